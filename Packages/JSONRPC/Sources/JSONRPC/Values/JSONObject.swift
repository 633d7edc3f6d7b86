/// A JSON object: string keys mapped to values, iterated in insertion order.
///
/// Setting an existing key replaces its value in place (the key keeps its position); setting a key to `nil`
/// removes it. Lookups are a linear scan for small objects and a hash lookup once an object grows past a few
/// keys, so both the common tiny objects and large ones stay cheap. Equality ignores key order.
public struct JSONObject: Sendable {
    /// The keys, in insertion order.
    public private(set) var keys: [String]
    /// The values, parallel to ``keys``.
    public private(set) var values: [JSONValue]
    /// Key → position, built only once the object is larger than `linearSearchLimit`.
    private var positions: [String: Int]?

    private static let linearSearchLimit = 12

    /// An empty object.
    public init() {
        keys = []
        values = []
    }

    /// An empty object with room for `minimumCapacity` members.
    public init(minimumCapacity: Int) {
        keys = []
        values = []
        keys.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// `true` when the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value for `key`, or `nil` when absent. Assigning `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = position(of: key) else { return nil }
            return values[position]
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Sets `value` for `key`, appending the key if it is new; returns the previous value.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        if let position = position(of: key) {
            let old = values[position]
            values[position] = value
            return old
        }
        keys.append(key)
        values.append(value)
        if positions != nil {
            positions![key] = keys.count - 1
        } else if keys.count > Self.linearSearchLimit {
            buildPositions()
        }
        return nil
    }

    /// Removes the member named `key`; returns its value, or `nil` when it was absent.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = position(of: key) else { return nil }
        keys.remove(at: position)
        let old = values.remove(at: position)
        if positions != nil { buildPositions() }
        return old
    }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        for index in keys.indices where keys[index] == key { return index }
        return nil
    }

    private mutating func buildPositions() {
        var table = [String: Int](minimumCapacity: keys.count)
        for (index, key) in keys.enumerated() { table[key] = index }
        positions = table
    }
}

extension JSONObject: Sequence {
    /// One member of an object.
    public typealias Element = (key: String, value: JSONValue)

    /// Iterates the members in insertion order.
    public struct Iterator: IteratorProtocol {
        fileprivate let object: JSONObject
        fileprivate var index = 0

        public mutating func next() -> Element? {
            guard index < object.keys.count else { return nil }
            defer { index += 1 }
            return (object.keys[index], object.values[index])
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }

    public var underestimatedCount: Int { count }
}

extension JSONObject: Hashable {
    /// Two objects are equal when they have the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    /// Hashes the members independently of their order, matching `==`.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in self {
            var memberHasher = Hasher()
            memberHasher.combine(key)
            memberHasher.combine(value)
            combined = combined &+ memberHasher.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(minimumCapacity: elements.count)
        for (key, value) in elements { self[key] = value }
    }
}

extension JSONObject: CustomStringConvertible {
    /// The compact JSON text of this object.
    public var description: String { JSONValue.object(self).description }
}
