/// The `info` object of an OpenRPC document.
public struct OpenRPCInfo: Sendable, Hashable {
    /// The API's title (the server's name by default).
    public var title: String
    /// The API's version.
    public var version: String
    /// A longer description (Markdown).
    public var description: String?

    /// Creates the info object.
    public init(title: String, version: String, description: String? = nil) {
        self.title = title
        self.version = version
        self.description = description
    }
}

/// Builds OpenRPC 1.4 documents from method descriptors, with every schema derived from the Swift types.
///
/// Each method's `params` lists one content descriptor per top-level member of its `Params` type (required
/// ones first, as OpenRPC demands), with `paramStructure: "by-name"`; `result` describes its `Result` type.
/// Notifications have no `result`. Definitions of recursive types go to `components.schemas`; recording
/// problems, if any, are listed under `x-schema-warnings`.
public enum OpenRPCDocument {
    /// The OpenRPC specification version the documents follow.
    public static let specVersion = "1.4.0"

    /// The document for `methods`, in the order given.
    public static func generate(info: OpenRPCInfo, methods: [MethodDescriptor]) -> JSONValue {
        let generator = SchemaGenerator()
        let methodObjects = methods.map { methodObject(for: $0, generator: generator) }
        var infoObject: JSONObject = ["title": .string(info.title), "version": .string(info.version)]
        if let description = info.description { infoObject["description"] = .string(description) }
        var document: JSONObject = [
            "openrpc": .string(specVersion), "info": .object(infoObject), "methods": .array(methodObjects),
        ]
        if !generator.components.isEmpty {
            var schemas = JSONObject()
            for name in generator.components.keys.sorted() { schemas[name] = generator.components[name] }
            document["components"] = ["schemas": .object(schemas)]
        }
        if !generator.warnings.isEmpty {
            document["x-schema-warnings"] = .array(generator.warnings.map { .string($0) })
        }
        return .object(document)
    }

    /// One OpenRPC method object.
    static func methodObject(for method: MethodDescriptor, generator: SchemaGenerator) -> JSONValue {
        var object: JSONObject = ["name": .string(method.name)]
        if !method.summary.isEmpty { object["summary"] = .string(method.summary) }
        if !method.details.isEmpty { object["description"] = .string(method.details) }
        if !method.tags.isEmpty { object["tags"] = .array(method.tags.map { ["name": .string($0)] }) }
        object["paramStructure"] = "by-name"

        let paramsSchema = method.paramsSchema(generator)
        let (params, unlisted) = contentDescriptors(
            for: resolve(paramsSchema, in: generator), descriptions: method.paramDescriptions)
        object["params"] = .array(params)
        if unlisted { object["x-params-schema"] = paramsSchema }

        if let resultSchema = method.resultSchema {
            var result: JSONObject = ["name": .string(method.resultName), "schema": resultSchema(generator)]
            if !method.resultDescription.isEmpty { result["description"] = .string(method.resultDescription) }
            object["result"] = .object(result)
        }
        if !method.errors.isEmpty {
            object["errors"] = .array(method.errors.map(\.jsonValue))
        }
        if method.isDeprecated { object["deprecated"] = true }
        return .object(object)
    }

    /// Content descriptors for the members of an object schema. `unlisted` is true when the params are not
    /// an object (their schema is then attached as `x-params-schema`).
    private static func contentDescriptors(
        for schema: JSONValue, descriptions: [String: String]
    ) -> (descriptors: [JSONValue], unlisted: Bool) {
        guard case .object(let object) = schema else { return ([], true) }
        if object.isEmpty { return ([], false) }  // any value: nothing to list
        guard object["type"] == "object" else { return ([], true) }
        guard case .object(let properties)? = object["properties"] else { return ([], false) }
        let required = Set((object["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        var requiredDescriptors: [JSONValue] = []
        var optionalDescriptors: [JSONValue] = []
        for (name, propertySchema) in properties {
            var schema = propertySchema
            var descriptor: JSONObject = ["name": .string(name)]
            var description = descriptions[name]
            if case .object(var propertyObject) = schema, let own = propertyObject["description"]?.stringValue {
                description = description ?? own
                propertyObject["description"] = nil
                schema = .object(propertyObject)
            }
            if let description { descriptor["description"] = .string(description) }
            descriptor["required"] = .bool(required.contains(name))
            descriptor["schema"] = schema
            if required.contains(name) {
                requiredDescriptors.append(.object(descriptor))
            } else {
                optionalDescriptors.append(.object(descriptor))
            }
        }
        return (requiredDescriptors + optionalDescriptors, false)
    }

    /// Follows a `#/components/schemas/...` reference.
    private static func resolve(_ schema: JSONValue, in generator: SchemaGenerator) -> JSONValue {
        let prefix = "#/components/schemas/"
        guard let reference = schema["$ref"]?.stringValue, reference.hasPrefix(prefix) else { return schema }
        return generator.components[String(reference.dropFirst(prefix.count))] ?? schema
    }
}
