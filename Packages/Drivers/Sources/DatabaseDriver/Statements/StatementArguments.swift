/// The values bound to a statement's placeholders: positional (`?`, `$1`) or named (`:name`).
public enum StatementArguments: Sendable, Hashable {
    case positional([DatabaseValue])
    case named([String: DatabaseValue])

    /// No arguments: the SQL text is sent as it is, with no placeholder rewriting.
    public static let none = StatementArguments.positional([])

    public var isEmpty: Bool {
        switch self {
        case .positional(let v): v.isEmpty
        case .named(let d): d.isEmpty
        }
    }
}

extension StatementArguments: ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(arrayLiteral elements: DatabaseValue...) { self = .positional(elements) }
    public init(dictionaryLiteral elements: (String, DatabaseValue)...) {
        self = .named(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
