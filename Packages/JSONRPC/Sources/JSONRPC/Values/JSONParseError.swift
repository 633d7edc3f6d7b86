/// Why a byte sequence is not valid JSON, and where.
///
/// `offset` is the zero-based byte offset of the offending byte (or the input length for a premature end).
/// ``description`` is a sentence suitable for a JSON-RPC parse error message.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of problem. Extensible: compare against the static members.
    public struct Kind: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The input contains nothing but whitespace.
        public static let emptyInput = Kind(rawValue: "emptyInput")
        /// The input ends inside a value.
        public static let unexpectedEndOfInput = Kind(rawValue: "unexpectedEndOfInput")
        /// A byte that cannot start or continue the value being read.
        public static let unexpectedCharacter = Kind(rawValue: "unexpectedCharacter")
        /// A string contains bytes that are not well-formed UTF-8.
        public static let invalidUTF8 = Kind(rawValue: "invalidUTF8")
        /// A string contains a raw control character (U+0000–U+001F), which JSON requires to be escaped.
        public static let controlCharacterInString = Kind(rawValue: "controlCharacterInString")
        /// A backslash escape that JSON does not define, or a malformed `\u` escape.
        public static let invalidEscape = Kind(rawValue: "invalidEscape")
        /// A malformed number (leading zeros, missing digits).
        public static let invalidNumber = Kind(rawValue: "invalidNumber")
        /// Arrays and objects are nested deeper than the parser's limit.
        public static let tooDeeplyNested = Kind(rawValue: "tooDeeplyNested")
        /// Non-whitespace bytes follow the top-level value.
        public static let trailingCharacters = Kind(rawValue: "trailingCharacters")
    }

    /// The class of problem.
    public let kind: Kind
    /// Zero-based byte offset where the problem was detected.
    public let offset: Int
    /// A short explanation, without the offset.
    public let detail: String

    /// Creates a parse error.
    public init(kind: Kind, offset: Int, detail: String) {
        self.kind = kind
        self.offset = offset
        self.detail = detail
    }

    /// "<detail> at byte offset <offset>".
    public var description: String { "\(detail) at byte offset \(offset)" }
}
