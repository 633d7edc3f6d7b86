/// A type that states its own JSON Schema instead of having it recorded from its `init(from:)`.
///
/// Adopt it for types whose decoding the recorder cannot observe or would misdescribe: free-form values,
/// custom single-value encodings, types whose initializer validates. When recording needs an instance of
/// such a type (to keep walking its parent), it decodes one from a sample derived from the schema:
/// the first of `examples`, `default`, `const` or `enum`, or a zero value of its `type`. Give validating
/// types an `examples` entry.
///
/// `CaseIterable` enums whose raw values are strings or integers need not adopt it: their `enum` list is
/// recorded automatically.
public protocol JSONSchemaProviding {
    /// The JSON Schema (draft 7 vocabulary) of the type's JSON form. `{}` means any value.
    static var jsonSchema: JSONValue { get }
}

/// Adds human descriptions to a recorded schema (the recorder still records the shape).
public protocol JSONSchemaDescribing {
    /// Becomes the schema's `description`.
    static var schemaDescription: String? { get }
    /// Become the `description` of each property, by member name.
    static var propertyDescriptions: [String: String] { get }
}

extension JSONSchemaDescribing {
    public static var schemaDescription: String? { nil }
    public static var propertyDescriptions: [String: String] { [:] }
}

extension JSONValue: JSONSchemaProviding {
    /// Any JSON value: `{}`.
    public static var jsonSchema: JSONValue { .emptyObject }
}

extension RequestID: Codable, JSONSchemaProviding {
    public static var jsonSchema: JSONValue { ["type": ["string", "integer", "null"]] }

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        guard let id = RequestID(jsonValue: value) else {
            throw DecodingError.typeMismatch(RequestID.self, DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "expected string, integer or null, got \(value.typeName)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }
}
