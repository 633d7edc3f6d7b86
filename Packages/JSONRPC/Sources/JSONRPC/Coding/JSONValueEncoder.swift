/// Encodes `Encodable` values into a ``JSONValue`` tree, without producing text.
///
/// Keys keep the order in which `encode(to:)` wrote them. `nil` optionals written with `encodeIfPresent`
/// (the synthesized default) are omitted. A type that encodes nothing becomes `{}`. Non-finite doubles are
/// kept as `.double` and serialize as `null`.
public struct JSONValueEncoder: Sendable {
    /// Values made available to `encode(to:)` implementations through `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// An encoder with empty `userInfo`.
    public init() {}

    /// Encodes `value` into a JSON value.
    /// - Throws: whatever the value's `encode(to:)` throws.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoderImpl.encode(value, codingPath: [], userInfo: userInfo)
    }
}

/// A value under construction: finished, or a container that nested encoders may still be filling.
enum EncodedNode {
    case value(JSONValue)
    case object(EncodedObject)
    case array(EncodedArray)
    case deferred(JSONValueEncoderImpl)

    func resolve() -> JSONValue {
        switch self {
        case .value(let value): return value
        case .object(let object): return object.resolve()
        case .array(let array): return .array(array.nodes.map { $0.resolve() })
        case .deferred(let encoder): return encoder.resolve()
        }
    }
}

/// An object being encoded; a class so nested containers can keep adding to it.
final class EncodedObject {
    var keys: [String] = []
    var nodes: [EncodedNode] = []

    func set(_ node: EncodedNode, forKey key: String) {
        keys.append(key)
        nodes.append(node)
    }

    func resolve() -> JSONValue {
        var object = JSONObject(minimumCapacity: keys.count)
        for index in keys.indices { object[keys[index]] = nodes[index].resolve() }  // a repeated key: last wins
        return .object(object)
    }
}

/// An array being encoded; a class so nested containers can keep adding to it.
final class EncodedArray {
    var nodes: [EncodedNode] = []
}

/// The `Encoder` for one value. It is also that value's single-value container.
final class JSONValueEncoderImpl: Encoder, SingleValueEncodingContainer {
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]
    private var storage: EncodedNode?

    init(codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) {
        self.codingPath = codingPath
        self.userInfo = userInfo
    }

    /// Encodes `value`, short-cutting the common leaf types.
    static func encode<T: Encodable>(_ value: T, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) throws -> JSONValue {
        if let leaf = leafValue(value) { return leaf }
        let encoder = JSONValueEncoderImpl(codingPath: codingPath, userInfo: userInfo)
        try value.encode(to: encoder)
        return encoder.resolve()
    }

    private static func leafValue<T: Encodable>(_ value: T) -> JSONValue? {
        // Type comparisons fold away when specialized, unlike dynamic casts.
        if T.self == JSONValue.self { return (value as! JSONValue) }
        if T.self == String.self { return .string(value as! String) }
        if T.self == Int.self { return .integer(Int64(value as! Int)) }
        if T.self == Int64.self { return .integer(value as! Int64) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == Double.self { return .double(value as! Double) }
        return nil
    }

    func store(_ node: EncodedNode) { storage = node }

    func resolve() -> JSONValue { storage?.resolve() ?? .object(JSONObject()) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: EncodedObject
        if case .object(let existing) = storage {
            object = existing
        } else {
            object = EncodedObject()
            storage = .object(object)
        }
        return KeyedEncodingContainer(JSONValueKeyedEncodingContainer<Key>(encoder: self, object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: EncodedArray
        if case .array(let existing) = storage {
            array = existing
        } else {
            array = EncodedArray()
            storage = .array(array)
        }
        return JSONValueUnkeyedEncodingContainer(encoder: self, array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: SingleValueEncodingContainer

    func encodeNil() { storage = .value(.null) }
    func encode(_ value: Bool) { storage = .value(.bool(value)) }
    func encode(_ value: String) { storage = .value(.string(value)) }
    func encode(_ value: Double) { storage = .value(.double(value)) }
    func encode(_ value: Float) { storage = .value(.double(Double(value))) }
    func encode(_ value: Int) { storage = .value(.integer(Int64(value))) }
    func encode(_ value: Int8) { storage = .value(.integer(Int64(value))) }
    func encode(_ value: Int16) { storage = .value(.integer(Int64(value))) }
    func encode(_ value: Int32) { storage = .value(.integer(Int64(value))) }
    func encode(_ value: Int64) { storage = .value(.integer(value)) }
    func encode(_ value: UInt) { storage = .value(Self.unsigned(UInt64(value))) }
    func encode(_ value: UInt8) { storage = .value(.integer(Int64(value))) }
    func encode(_ value: UInt16) { storage = .value(.integer(Int64(value))) }
    func encode(_ value: UInt32) { storage = .value(.integer(Int64(value))) }
    func encode(_ value: UInt64) { storage = .value(Self.unsigned(value)) }
    func encode<T: Encodable>(_ value: T) throws {
        storage = .value(try Self.encode(value, codingPath: codingPath, userInfo: userInfo))
    }

    /// Unsigned values above `Int64.max` fall back to a (rounded) double.
    static func unsigned(_ value: UInt64) -> JSONValue {
        if let exact = Int64(exactly: value) { return .integer(exact) }
        return .double(Double(value))
    }
}
