/// A coding key for any string, so decoders can accept the several spellings the spec's shapes use.
struct AnyKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

extension KeyedDecodingContainer where Key == AnyKey {
    /// The first of `keys` that is present and not null, decoded as `T`.
    func first<T: Decodable>(_ type: T.Type, _ keys: String...) throws -> T? {
        for key in keys {
            let k = AnyKey(key)
            if contains(k), try !decodeNil(forKey: k) { return try decode(T.self, forKey: k) }
        }
        return nil
    }

    /// True when any of `keys` is present and not null.
    func has(_ keys: String...) -> Bool {
        keys.contains { contains(AnyKey($0)) && ((try? decodeNil(forKey: AnyKey($0))) == false) }
    }

    /// A list of strings given as a list or as one string (`"columns": "email"` or `["email"]`).
    func strings(_ keys: String...) throws -> [String]? {
        for key in keys {
            let k = AnyKey(key)
            guard contains(k), try !decodeNil(forKey: k) else { continue }
            if let list = try? decode([String].self, forKey: k) { return list }
            return [try decode(String.self, forKey: k)]
        }
        return nil
    }
}

extension KeyedEncodingContainer where Key == AnyKey {
    mutating func put<T: Encodable>(_ value: T, _ key: String) throws { try encode(value, forKey: AnyKey(key)) }
    mutating func putIfPresent<T: Encodable>(_ value: T?, _ key: String) throws { try encodeIfPresent(value, forKey: AnyKey(key)) }
}

/// A list decoded from either a JSON array of objects or an object keyed by name (the 000 shape), where
/// each element learns its name from the key when it does not carry one.
struct NamedList<Element: Decodable>: Decodable {
    var elements: [Element]

    init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var out: [Element] = []
            while !list.isAtEnd { out.append(try list.decode(Element.self)) }
            elements = out
            return
        }
        let dict = try decoder.container(keyedBy: AnyKey.self)
        // Document order where the decoder keeps it (the server's JSON decoder and Yams do; Foundation's
        // JSONDecoder does not, which is why schema files are read with Yams).
        elements = try dict.allKeys.map { key in
            try NameContext.$current.withValue(key.stringValue) {
                try dict.decode(Element.self, forKey: key)
            }
        }
    }
}

/// The name a dict key gives the element being decoded (000 shape: `{"users": {...}}`).
enum NameContext {
    @TaskLocal static var current: String?
}
