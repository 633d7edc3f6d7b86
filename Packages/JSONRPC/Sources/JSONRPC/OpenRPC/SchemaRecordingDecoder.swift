/// A `Decoder` that records what a type asks for instead of reading data (see ``SchemaGenerator``).
///
/// Keyed containers claim to contain every key and answer `decodeNil` with `false` (after noting that the
/// member is optional), so the type goes on to decode the member and reveal its type. Values returned are
/// samples: zero values, empty collections, first enum cases.
struct SchemaRecordingDecoder: Decoder, SingleValueDecodingContainer {
    let generator: SchemaGenerator
    let node: SchemaNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(SchemaRecordingKeyedContainer<Key>(
            generator: generator, shape: node.objectShape, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        SchemaRecordingUnkeyedContainer(generator: generator, shape: node.arrayShape, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool {
        node.nullable = true
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }

    private func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, sample) = generator.record(type)
        node.shape = .leaf(schema)
        return try SchemaRecordingError.require(sample, type, at: codingPath)
    }
}

/// Records the members a type decodes from an object.
struct SchemaRecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let generator: SchemaGenerator
    let shape: SchemaObjectShape
    let codingPath: [any CodingKey]

    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }

    func decodeNil(forKey key: Key) throws -> Bool {
        shape.markOptional(key.stringValue)
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeMember(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeMember(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeMember(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeMember(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeMember(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeMember(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeMember(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeMember(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeMember(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeMember(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeMember(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeMember(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeMember(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeMember(type, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decodeMember(type, key) }

    /// An optional member; answers `nil` when no sample exists (e.g. a recursive type), so recording goes on.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let (schema, sample) = generator.record(type)
        shape.record(key.stringValue, .schema(schema), optional: true)
        return sample
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let node = SchemaNode()
        shape.record(key.stringValue, .node(node))
        return KeyedDecodingContainer(SchemaRecordingKeyedContainer<NestedKey>(
            generator: generator, shape: node.objectShape, codingPath: codingPath + [key]))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let node = SchemaNode()
        shape.record(key.stringValue, .node(node))
        return SchemaRecordingUnkeyedContainer(generator: generator, shape: node.arrayShape, codingPath: codingPath + [key])
    }

    /// The superclass decodes into the same object (Foundation's coders would nest it under "super";
    /// that layout is rare in params and recording the merged members is the useful approximation).
    func superDecoder() throws -> any Decoder {
        let node = SchemaNode()
        node.shape = .object(shape)
        return SchemaRecordingDecoder(generator: generator, node: node, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        let node = SchemaNode()
        shape.record(key.stringValue, .node(node))
        return SchemaRecordingDecoder(generator: generator, node: node, codingPath: codingPath + [key])
    }

    private func decodeMember<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        let (schema, sample) = generator.record(type)
        shape.record(key.stringValue, .schema(schema))
        return try SchemaRecordingError.require(sample, type, at: codingPath + [key])
    }
}

/// Records the element type(s) a type decodes from an array. It reports one element, then the end.
struct SchemaRecordingUnkeyedContainer: UnkeyedDecodingContainer {
    let generator: SchemaGenerator
    let shape: SchemaArrayShape
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(generator: SchemaGenerator, shape: SchemaArrayShape, codingPath: [any CodingKey]) {
        self.generator = generator
        self.shape = shape
        self.codingPath = codingPath
    }

    var count: Int? { 1 }
    var isAtEnd: Bool { currentIndex >= 1 }

    mutating func decodeNil() throws -> Bool {
        shape.nullableElements = true
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (node, path) = appendNode()
        return KeyedDecodingContainer(SchemaRecordingKeyedContainer<NestedKey>(
            generator: generator, shape: node.objectShape, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (node, path) = appendNode()
        return SchemaRecordingUnkeyedContainer(generator: generator, shape: node.arrayShape, codingPath: path)
    }

    mutating func superDecoder() throws -> any Decoder {
        let (node, path) = appendNode()
        return SchemaRecordingDecoder(generator: generator, node: node, codingPath: path)
    }

    private mutating func appendNode() -> (SchemaNode, [any CodingKey]) {
        let node = SchemaNode()
        let path = elementPath
        shape.elements.append(.node(node))
        currentIndex += 1
        return (node, path)
    }

    private var elementPath: [any CodingKey] { codingPath + [JSONCodingKey.index(currentIndex)] }

    private mutating func next<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, sample) = generator.record(type)
        shape.elements.append(.schema(schema))
        let path = elementPath
        currentIndex += 1
        return try SchemaRecordingError.require(sample, type, at: path)
    }
}

extension SchemaRecordingError {
    /// The sample, or an error naming the member whose type could not produce one.
    static func require<T>(_ sample: T?, _ type: T.Type, at path: [any CodingKey]) throws -> T {
        guard let sample else {
            throw SchemaRecordingError(
                message: "no sample value of \(SchemaGenerator.typeName(type)) for '\(DecodingError.render("", path))'"
                    + " (adopt JSONSchemaProviding, or CaseIterable for enums)")
        }
        return sample
    }
}
