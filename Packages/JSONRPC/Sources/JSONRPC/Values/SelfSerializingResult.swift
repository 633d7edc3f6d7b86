/// A result that writes its own JSON text, so a large answer (thousands of rows) skips building a
/// ``JSONValue`` tree and the encoder: the registry takes the bytes as they are.
///
/// - Important: `serializeJSON(into:)` must append exactly one valid, compact JSON value, with every
///   string escaped as ``JSONSerializer/appendString(_:to:)`` does (no raw newline: newline-delimited
///   framing relies on it).
public protocol SelfSerializingResult: Sendable {
    func serializeJSON(into buffer: inout [UInt8])
}

/// What a method produced: a JSON value, or JSON text a ``SelfSerializingResult`` wrote itself.
public enum MethodOutput: Sendable, Hashable {
    case value(JSONValue)
    case serialized([UInt8])

    /// The output as a JSON value (parsing serialized text).
    public func jsonValue() throws -> JSONValue {
        switch self {
        case .value(let value): return value
        case .serialized(let bytes): return try JSONValue(parsing: bytes)
        }
    }
}
