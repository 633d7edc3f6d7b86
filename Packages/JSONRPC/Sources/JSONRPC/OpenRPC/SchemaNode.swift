/// The shape observed while a type decodes itself from a ``SchemaRecordingDecoder``.
final class SchemaNode {
    enum Shape {
        case unknown
        case object(SchemaObjectShape)
        case array(SchemaArrayShape)
        case leaf(JSONValue)
    }

    /// What a member or element turned out to be.
    enum Content {
        /// Only `decodeNil` was seen: the type is unknown.
        case pending
        case schema(JSONValue)
        case node(SchemaNode)

        func resolve() -> JSONValue {
            switch self {
            case .pending: return .emptyObject
            case .schema(let schema): return schema
            case .node(let node): return node.resolve()
            }
        }
    }

    var shape: Shape = .unknown
    var nullable = false

    var objectShape: SchemaObjectShape {
        if case .object(let object) = shape { return object }
        let object = SchemaObjectShape()
        shape = .object(object)
        return object
    }

    var arrayShape: SchemaArrayShape {
        if case .array(let array) = shape { return array }
        let array = SchemaArrayShape()
        shape = .array(array)
        return array
    }

    func resolve() -> JSONValue {
        let schema: JSONValue
        switch shape {
        case .unknown: schema = .emptyObject
        case .leaf(let leaf): schema = leaf
        case .object(let object): schema = object.resolve()
        case .array(let array): schema = array.resolve()
        }
        return nullable ? SchemaGenerator.nullable(schema) : schema
    }
}

/// Members recorded for an object, in the order the type decoded them.
final class SchemaObjectShape {
    struct Property {
        var content: SchemaNode.Content
        var required: Bool
    }

    private(set) var order: [String] = []
    private(set) var properties: [String: Property] = [:]

    /// `decodeNil(forKey:)` / `decodeIfPresent`: the member may be absent.
    func markOptional(_ key: String) {
        if properties[key] == nil {
            order.append(key)
            properties[key] = Property(content: .pending, required: false)
        } else {
            properties[key]!.required = false
        }
    }

    /// Records the member's content; it is required unless it was already marked optional.
    func record(_ key: String, _ content: SchemaNode.Content, optional: Bool = false) {
        if var existing = properties[key] {
            existing.content = content
            if optional { existing.required = false }
            properties[key] = existing
        } else {
            order.append(key)
            properties[key] = Property(content: content, required: !optional)
        }
    }

    func resolve() -> JSONValue {
        var members = JSONObject(minimumCapacity: order.count)
        var required: [JSONValue] = []
        for key in order {
            guard let property = properties[key] else { continue }
            members[key] = property.content.resolve()
            if property.required { required.append(.string(key)) }
        }
        var schema: JSONObject = ["type": "object", "properties": .object(members)]
        if !required.isEmpty { schema["required"] = .array(required) }
        return .object(schema)
    }
}

/// Elements recorded for an array.
final class SchemaArrayShape {
    var elements: [SchemaNode.Content] = []
    var nullableElements = false

    func resolve() -> JSONValue {
        var schema: JSONObject = ["type": "array"]
        let resolved = elements.map { $0.resolve() }
        if let first = resolved.first {
            if resolved.allSatisfy({ $0 == first }) {
                schema["items"] = nullableElements ? SchemaGenerator.nullable(first) : first
            } else {
                schema["prefixItems"] = .array(resolved)
            }
        }
        return .object(schema)
    }
}
