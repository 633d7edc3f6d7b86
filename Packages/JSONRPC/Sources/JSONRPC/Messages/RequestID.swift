/// The `id` of a JSON-RPC request: an integer, a string, or null. Responses echo it exactly.
public enum RequestID: Sendable, Hashable {
    case integer(Int64)
    case string(String)
    /// Allowed (though discouraged) in requests; used in responses when the request's id could not be read.
    case null

    /// Reads an id; `nil` for booleans, fractional or out-of-range numbers, arrays and objects.
    public init?(jsonValue value: JSONValue) {
        switch value {
        case .integer(let integer): self = .integer(integer)
        case .string(let string): self = .string(string)
        case .null: self = .null
        default: return nil
        }
    }

    /// The id as it appears in a message.
    public var jsonValue: JSONValue {
        switch self {
        case .integer(let integer): return .integer(integer)
        case .string(let string): return .string(string)
        case .null: return .null
        }
    }

    func serialize(into buffer: inout [UInt8]) {
        switch self {
        case .integer(let integer): JSONSerializer.appendInteger(integer, to: &buffer)
        case .string(let string): JSONSerializer.appendString(string, to: &buffer)
        case .null: JSONSerializer.appendLiteral("null", to: &buffer)
        }
    }
}

extension RequestID: CustomStringConvertible, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    /// The id in JSON form: `7`, `"abc"`, `null`.
    public var description: String { jsonValue.description }

    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .string(value) }
}
