/// Params for a method that takes none. Decodes from anything (absent, null, `{}`, extra members).
public struct EmptyParams: Codable, Sendable, Hashable, JSONSchemaProviding {
    /// The (only) empty params value.
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: JSONCodingKey.self)
    }
    public static var jsonSchema: JSONValue { ["type": "object"] }
}

/// The result of a method that only reports success: encodes as `{}`.
public struct EmptyResult: Codable, Sendable, Hashable, JSONSchemaProviding {
    /// The (only) empty result value.
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: JSONCodingKey.self)
    }
    public static var jsonSchema: JSONValue { ["type": "object", "properties": [:]] }
}

/// A result that is always JSON `null` (LSP's `shutdown` answers this way).
public struct NullResult: Codable, Sendable, Hashable, JSONSchemaProviding {
    /// The (only) null result value.
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
    public static var jsonSchema: JSONValue { ["type": "null"] }
}
