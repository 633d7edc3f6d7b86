/// Derives JSON Schemas from `Decodable` Swift types by watching them decode themselves.
///
/// Each type's `init(from:)` runs against a ``SchemaRecordingDecoder`` that answers every request with a
/// sample value and records what was asked: member names and types, and optionality (`decodeIfPresent` or
/// `decodeNil` → not `required`). Strings, numbers and booleans, arrays, sets, `[String: X]` dictionaries
/// (`additionalProperties`), optionals (nullable), `CaseIterable` raw-value enums (`enum`) and
/// ``JSONSchemaProviding`` types are recognized directly. Recursive types become
/// `{"$ref": "#/components/schemas/<Name>"}` with the definition in ``components``.
///
/// When a type's initializer rejects the samples it is given, the members recorded so far are kept and a
/// note is added to ``warnings``. Not thread-safe: use one generator per document.
public final class SchemaGenerator {
    /// Definitions of recursive types, by component name.
    public private(set) var components: [String: JSONValue] = [:]
    /// Problems met while recording (schemas that may be incomplete).
    public private(set) var warnings: [String] = []

    private struct Recorded {
        let schema: JSONValue
        let sample: Any?
    }

    private var cache: [ObjectIdentifier: Recorded] = [:]
    private var inProgress: [ObjectIdentifier: String] = [:]
    private var recursive: Set<ObjectIdentifier> = []

    /// A generator with no components or warnings yet.
    public init() {}

    /// The JSON Schema of `type`'s JSON form.
    public func schema<T: Decodable>(for type: T.Type) -> JSONValue {
        record(type).schema
    }

    /// The schema of `type` and a sample instance of it, when one could be made.
    func record<T: Decodable>(_ type: T.Type) -> (schema: JSONValue, sample: T?) {
        let id = ObjectIdentifier(type)
        if let cached = cache[id] { return (cached.schema, cached.sample.flatMap { $0 as? T }) }
        if let name = inProgress[id] {
            recursive.insert(id)
            return (Self.reference(name), nil)
        }
        let recorded = recordUncached(type)
        cache[id] = Recorded(schema: recorded.schema, sample: recorded.sample)
        return recorded
    }

    func warn(_ message: String) {
        warnings.append(message)
    }

    // MARK: Recognized types

    private func recordUncached<T: Decodable>(_ type: T.Type) -> (schema: JSONValue, sample: T?) {
        if let leaf = Self.leaf(type) { return leaf }
        if let provider = type as? any JSONSchemaProviding.Type {
            let schema = provider.jsonSchema
            let sample = try? JSONValueDecoder().decode(type, from: Self.sampleValue(for: schema))
            if sample == nil { warn("\(Self.typeName(type)): no instance decodes from its jsonSchema's sample; add \"examples\"") }
            return (schema, sample)
        }
        if let special = type as? any SchemaRecordableContainer.Type {
            let (schema, sample) = special.recordSchema(in: self)
            return (schema, sample as? T)
        }
        if let enumeration = type as? any CaseIterable.Type, let recorded = Self.enumSchema(enumeration) {
            return (recorded.schema, recorded.sample as? T)
        }
        return recordByDecoding(type)
    }

    /// Runs `T.init(from:)` against the recording decoder.
    private func recordByDecoding<T: Decodable>(_ type: T.Type) -> (schema: JSONValue, sample: T?) {
        let id = ObjectIdentifier(type)
        let name = Self.componentName(type)
        inProgress[id] = name
        defer { inProgress[id] = nil }

        let node = SchemaNode()
        var sample: T?
        do {
            sample = try T(from: SchemaRecordingDecoder(generator: self, node: node, codingPath: []))
        } catch let error as SchemaRecordingError {
            warn("\(Self.typeName(type)): \(error.message); members after it were not recorded")
        } catch {
            warn("\(Self.typeName(type)): init(from:) rejected the sample values (\(error)); its schema may be incomplete")
        }
        var schema = node.resolve()
        if let describing = type as? any JSONSchemaDescribing.Type {
            schema = Self.describe(schema, with: describing)
        }
        if recursive.contains(id) {
            components[name] = schema
            return (Self.reference(name), sample)
        }
        return (schema, sample)
    }

    private static func leaf<T>(_ type: T.Type) -> (schema: JSONValue, sample: T?)? {
        let string: JSONValue = ["type": "string"]
        let integer: JSONValue = ["type": "integer"]
        let unsigned: JSONValue = ["type": "integer", "minimum": 0]
        let number: JSONValue = ["type": "number"]
        switch type {
        case is String.Type: return (string, "" as? T)
        case is Bool.Type: return (["type": "boolean"], false as? T)
        case is Int.Type: return (integer, 0 as Int as? T)
        case is Int8.Type: return (integer, 0 as Int8 as? T)
        case is Int16.Type: return (integer, 0 as Int16 as? T)
        case is Int32.Type: return (integer, 0 as Int32 as? T)
        case is Int64.Type: return (integer, 0 as Int64 as? T)
        case is UInt.Type: return (unsigned, 0 as UInt as? T)
        case is UInt8.Type: return (unsigned, 0 as UInt8 as? T)
        case is UInt16.Type: return (unsigned, 0 as UInt16 as? T)
        case is UInt32.Type: return (unsigned, 0 as UInt32 as? T)
        case is UInt64.Type: return (unsigned, 0 as UInt64 as? T)
        case is Double.Type: return (number, 0 as Double as? T)
        case is Float.Type: return (number, 0 as Float as? T)
        default: return nil
        }
    }

    /// `{"type": "string", "enum": [...]}` for enums whose cases all have string (or all integer) raw values.
    private static func enumSchema<E: CaseIterable>(_ type: E.Type) -> (schema: JSONValue, sample: Any?)? {
        var values: [JSONValue] = []
        var kinds: Set<String> = []
        for enumCase in E.allCases {
            guard let raw = (enumCase as? any RawRepresentable)?.rawValue else { return nil }
            switch raw {
            case let string as String: values.append(.string(string)); kinds.insert("string")
            case let integer as Int: values.append(.integer(Int64(integer))); kinds.insert("integer")
            default: return nil
            }
        }
        guard kinds.count <= 1 else { return nil }
        return (["type": .string(kinds.first ?? "string"), "enum": .array(values)], E.allCases.first)
    }

    // MARK: Schema helpers

    /// `schema` that also accepts `null`.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var object) = schema, !object.isEmpty else { return schema }
        switch object["type"] {
        case .string(let type)?:
            object["type"] = [.string(type), "null"]
        case .array(var types)?:
            if !types.contains("null") { types.append("null") }
            object["type"] = .array(types)
        default:
            return ["anyOf": [schema, ["type": "null"]]]
        }
        if case .array(var values)? = object["enum"], !values.contains(.null) {
            values.append(.null)
            object["enum"] = .array(values)
        }
        return .object(object)
    }

    /// A value that matches `schema`, to decode samples of ``JSONSchemaProviding`` types.
    static func sampleValue(for schema: JSONValue) -> JSONValue {
        guard case .object(let object) = schema else { return .null }
        if case .array(let examples)? = object["examples"], let first = examples.first { return first }
        if let value = object["default"] ?? object["const"] { return value }
        if case .array(let values)? = object["enum"], let first = values.first { return first }
        for key in ["anyOf", "oneOf"] {
            if case .array(let options)? = object[key], let first = options.first { return sampleValue(for: first) }
        }
        var type = object["type"]
        if case .array(let types)? = type { type = types.first { $0 != "null" } ?? .null }
        switch type {
        case "string"?: return ""
        case "integer"?, "number"?: return .integer(0)
        case "boolean"?: return false
        case "array"?: return []
        case "object"?:
            var sample = JSONObject()
            if case .array(let required)? = object["required"], case .object(let properties)? = object["properties"] {
                for case .string(let key) in required {
                    sample[key] = sampleValue(for: properties[key] ?? .emptyObject)
                }
            }
            return .object(sample)
        default: return .null
        }
    }

    private static func describe(_ schema: JSONValue, with type: any JSONSchemaDescribing.Type) -> JSONValue {
        guard case .object(var object) = schema else { return schema }
        if let description = type.schemaDescription { object["description"] = .string(description) }
        if case .object(var properties)? = object["properties"] {
            for (key, description) in type.propertyDescriptions {
                guard case .object(var property)? = properties[key] else { continue }
                property["description"] = .string(description)
                properties[key] = .object(property)
            }
            object["properties"] = .object(properties)
        }
        return .object(object)
    }

    static func reference(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }

    static func typeName(_ type: Any.Type) -> String { String(reflecting: type) }

    /// A component name from the qualified type name, restricted to letters, digits and `_`.
    private static func componentName(_ type: Any.Type) -> String {
        String(typeName(type).map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}

/// Collections whose schema comes from their element type rather than from decoding.
protocol SchemaRecordableContainer {
    static func recordSchema(in generator: SchemaGenerator) -> (schema: JSONValue, sample: Any)
}

extension Optional: SchemaRecordableContainer where Wrapped: Decodable {
    static func recordSchema(in generator: SchemaGenerator) -> (schema: JSONValue, sample: Any) {
        (SchemaGenerator.nullable(generator.schema(for: Wrapped.self)), Wrapped?.none as Any)
    }
}

extension Array: SchemaRecordableContainer where Element: Decodable {
    static func recordSchema(in generator: SchemaGenerator) -> (schema: JSONValue, sample: Any) {
        (["type": "array", "items": generator.schema(for: Element.self)], [Element]())
    }
}

extension Set: SchemaRecordableContainer where Element: Decodable {
    static func recordSchema(in generator: SchemaGenerator) -> (schema: JSONValue, sample: Any) {
        (["type": "array", "items": generator.schema(for: Element.self), "uniqueItems": true], Set<Element>())
    }
}

extension Dictionary: SchemaRecordableContainer where Key == String, Value: Decodable {
    static func recordSchema(in generator: SchemaGenerator) -> (schema: JSONValue, sample: Any) {
        (["type": "object", "additionalProperties": generator.schema(for: Value.self)], [String: Value]())
    }
}

/// Thrown inside a recording when a member's type yields no sample, which stops the enclosing initializer.
struct SchemaRecordingError: Error {
    let message: String
}
