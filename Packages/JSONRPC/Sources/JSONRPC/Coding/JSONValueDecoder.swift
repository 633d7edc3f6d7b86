/// Decodes `Decodable` types straight from a ``JSONValue``, without serializing to text first.
///
/// Numbers convert between integer and floating-point types when the value is exactly representable
/// (`5.0` decodes as `Int`, `5` as `Double`); nothing else is coerced (a string never decodes as a number).
/// Failures are standard `DecodingError`s whose `debugDescription` reads "expected integer, got string";
/// ``Swift/DecodingError/message(root:)`` renders them as "params.limit: expected integer, got string".
public struct JSONValueDecoder: Sendable {
    /// Values made available to `init(from:)` implementations through `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// A decoder with empty `userInfo`.
    public init() {}

    /// Decodes a `T` from `value`.
    ///
    /// - Parameter codingPath: the path of `value` inside a larger document, prefixed to every error's path.
    /// - Throws: `DecodingError` describing the first mismatch.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, codingPath: [any CodingKey] = []) throws -> T {
        try JSONValueDecoderImpl.decode(type, from: value, codingPath: codingPath, userInfo: userInfo)
    }
}

/// The `Decoder` over one value. It is also that value's single-value container.
final class JSONValueDecoderImpl: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    init(value: JSONValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) {
        self.value = value
        self.codingPath = codingPath
        self.userInfo = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw Self.mismatch(expected: "object", type: [String: JSONValue].self, found: value, at: codingPath)
        }
        return KeyedDecodingContainer(JSONValueKeyedDecodingContainer<Key>(decoder: self, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw Self.mismatch(expected: "array", type: [JSONValue].self, found: value, at: codingPath)
        }
        return JSONValueUnkeyedDecodingContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try Self.unboxBool(value, at: codingPath) }
    func decode(_ type: String.Type) throws -> String { try Self.unboxString(value, at: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try Self.unboxDouble(value, at: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try Self.unboxDouble(value, at: codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try Self.unboxInteger(value, as: type, at: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Self.unboxInteger(value, as: type, at: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Self.unboxInteger(value, as: type, at: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Self.unboxInteger(value, as: type, at: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Self.unboxInteger(value, as: type, at: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Self.unboxInteger(value, as: type, at: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Self.unboxInteger(value, as: type, at: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Self.unboxInteger(value, as: type, at: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Self.unboxInteger(value, as: type, at: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Self.unboxInteger(value, as: type, at: codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Self.decode(type, from: value, codingPath: codingPath, userInfo: userInfo)
    }

    // MARK: Shared conversions

    /// Decodes `T` from `value`, short-cutting the common leaf types.
    static func decode<T: Decodable>(
        _ type: T.Type, from value: JSONValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]
    ) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        if T.self == String.self { return try unboxString(value, at: codingPath) as! T }
        if T.self == Int.self { return try unboxInteger(value, as: Int.self, at: codingPath) as! T }
        if T.self == Int64.self { return try unboxInteger(value, as: Int64.self, at: codingPath) as! T }
        if T.self == Bool.self { return try unboxBool(value, at: codingPath) as! T }
        if T.self == Double.self { return try unboxDouble(value, at: codingPath) as! T }
        return try T(from: JSONValueDecoderImpl(value: value, codingPath: codingPath, userInfo: userInfo))
    }

    static func unboxBool(_ value: JSONValue, at path: [any CodingKey]) throws -> Bool {
        guard case .bool(let bool) = value else { throw mismatch(expected: "boolean", type: Bool.self, found: value, at: path) }
        return bool
    }

    static func unboxString(_ value: JSONValue, at path: [any CodingKey]) throws -> String {
        guard case .string(let string) = value else {
            throw mismatch(expected: "string", type: String.self, found: value, at: path)
        }
        return string
    }

    static func unboxDouble(_ value: JSONValue, at path: [any CodingKey]) throws -> Double {
        switch value {
        case .double(let double): return double
        case .integer(let integer): return Double(integer)
        default: throw mismatch(expected: "number", type: Double.self, found: value, at: path)
        }
    }

    static func unboxInteger<T: FixedWidthInteger>(_ value: JSONValue, as type: T.Type, at path: [any CodingKey]) throws -> T {
        switch value {
        case .integer(let integer):
            if let exact = T(exactly: integer) { return exact }
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: path,
                debugDescription: "expected integer between \(T.min) and \(T.max), got \(integer)"))
        case .double(let double):
            if let exact = T(exactly: double) { return exact }
            throw DecodingError.typeMismatch(type, DecodingError.Context(
                codingPath: path, debugDescription: "expected integer, got number \(JSONValue.double(double))"))
        default:
            throw mismatch(expected: "integer", type: type, found: value, at: path)
        }
    }

    /// A `valueNotFound` for null, a `typeMismatch` otherwise; the message reads "expected X, got Y".
    static func mismatch(expected: String, type: Any.Type, found: JSONValue, at path: [any CodingKey]) -> DecodingError {
        let context = DecodingError.Context(codingPath: path, debugDescription: "expected \(expected), got \(found.typeName)")
        if found.isNull { return .valueNotFound(type, context) }
        return .typeMismatch(type, context)
    }
}
