import DatabaseDriver
import Foundation

/// A column default: a literal value or a SQL expression.
///
/// On the wire a default is SQL text (`"'active'"`, `"0"`, `"TRUE"`, `"CURRENT_TIMESTAMP"`,
/// `"nextval('s')"`). Decoding reads that text with `init(sql:)`; a bare word that is not a SQL keyword
/// (`"active"`) is taken as a string literal, which is what people mean when they write it. JSON numbers
/// and booleans are literals; `{"expression": "..."}` and `{"literal": ...}` say it explicitly.
public enum ColumnDefault: Sendable, Hashable {
    case string(String)
    /// A number, kept as its text so decimals are exact (`"4.99"`, `"-1"`).
    case number(String)
    case boolean(Bool)
    case null
    /// A SQL expression, rendered as written (`CURRENT_TIMESTAMP`, `gen_random_uuid()`).
    case expression(String)

    /// Reads SQL default text, removing the wrappers engines add when they report it: PostgreSQL casts
    /// (`'G'::mpaa_rating`), parentheses around numbers (`(-1)`), MariaDB's `current_timestamp()`.
    public init(sql raw: String) {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // Outer parentheses around the whole default: (0), ('x'), ((-1)).
        while text.hasPrefix("("), text.hasSuffix(")"), SQLText.matchingParenthesis(in: text, from: text.startIndex) == text.index(before: text.endIndex) {
            text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        if let literal = SQLText.leadingStringLiteral(text) {
            let rest = text[literal.end...].trimmingCharacters(in: .whitespaces)
            if rest.isEmpty || SQLText.isCastSuffix(rest) { self = .string(literal.value); return }
        }
        if let numberEnd = SQLText.numberPrefixEnd(text) {
            let number = String(text[..<numberEnd])
            let rest = text[numberEnd...].trimmingCharacters(in: .whitespaces)
            if rest.isEmpty || SQLText.isCastSuffix(rest) { self = .number(SQLText.canonicalNumber(number)); return }
        }
        switch text.lowercased() {
        case "true": self = .boolean(true); return
        case "false": self = .boolean(false); return
        case "null": self = .null; return
        default: break
        }
        if let keyword = ColumnDefault.timeKeyword(text) { self = .expression(keyword); return }
        if SQLText.isBareWord(text) && !SQLText.sqlKeywords.contains(text.uppercased()) {
            self = .string(text)
            return
        }
        self = .expression(text)
    }

    /// `CURRENT_TIMESTAMP`, `CURRENT_DATE` or `CURRENT_TIME` for the spellings engines use for them
    /// (`now()`, `current_timestamp()`, `CURRENT_TIMESTAMP(6)` keeps its precision).
    static func timeKeyword(_ text: String) -> String? {
        let lower = text.lowercased().replacingOccurrences(of: " ", with: "")
        switch lower {
        case "current_timestamp", "current_timestamp()", "now()", "localtimestamp", "localtimestamp()",
             "transaction_timestamp()":
            return "CURRENT_TIMESTAMP"
        case "current_date", "curdate()", "current_date()": return "CURRENT_DATE"
        case "current_time", "curtime()", "current_time()": return "CURRENT_TIME"
        default:
            for prefix in ["current_timestamp(", "now(", "localtimestamp("] where lower.hasPrefix(prefix) && lower.hasSuffix(")") {
                let digits = lower.dropFirst(prefix.count).dropLast()
                if !digits.isEmpty, digits.allSatisfy(\.isNumber) { return "CURRENT_TIMESTAMP(\(digits))" }
            }
            return nil
        }
    }

    /// The default as SQL text for `dialect`.
    public func sql(for dialect: Dialect) -> String {
        switch self {
        case .string(let s): return "'" + (dialect == .mysql ? s.replacingOccurrences(of: "\\", with: "\\\\") : s).replacingOccurrences(of: "'", with: "''") + "'"
        case .number(let n): return n
        case .boolean(let b):
            if dialect == .sqlite { return b ? "1" : "0" }
            return b ? "TRUE" : "FALSE"
        case .null: return "NULL"
        case .expression(let e): return e
        }
    }

    /// The default as the wire shows it: SQL text in the PostgreSQL/standard spelling.
    public var sqlText: String { sql(for: .postgresql) }

    /// A key for comparing defaults across engines: the same default reads the same after a round trip
    /// through any engine (booleans stored as 0/1 compare equal to TRUE/FALSE).
    var comparisonKey: String {
        switch self {
        case .string(let s): return "s:" + s
        case .number(let n): return "n:" + SQLText.numberKey(n)
        case .boolean(let b): return "n:" + (b ? "1" : "0")
        case .null: return "null"
        case .expression(let e): return "e:" + SQLText.expressionKey(e)
        }
    }
}
