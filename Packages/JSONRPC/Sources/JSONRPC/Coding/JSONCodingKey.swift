/// A coding key built at run time: an object member name or an array index.
public struct JSONCodingKey: CodingKey, Sendable, Hashable {
    public let stringValue: String
    public let intValue: Int?

    public init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    public init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }

    /// The key for array element `index`.
    public static func index(_ index: Int) -> JSONCodingKey { JSONCodingKey(intValue: index) }

    /// The key `super`, used by `superDecoder()`/`superEncoder()` like Foundation's coders.
    static let superKey = JSONCodingKey(stringValue: "super")
}
