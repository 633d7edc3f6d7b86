import DatabaseDriver
import Foundation

/// A column type in dbm's canonical spelling, and its translation to each dialect.
///
/// Canonical names: `smallint`, `integer`, `bigint` (optionally ` unsigned`), `tinyint`, `mediumint`,
/// `real`, `double`, `decimal(p,s)`, `boolean`, `char(n)`, `varchar(n)`, `text`, `blob`, `date`, `time`,
/// `timetz`, `timestamp`, `timestamptz` (each with an optional precision), `json`, `jsonb`, `uuid`,
/// arrays as `element[]`, MySQL's inline `enum('a','b')` and `set(...)`. Anything else passes through
/// lower-cased (outside quotes): `tsvector`, `year`, `geometry`, an enum or domain name.
public struct SQLType: Sendable, Hashable {
    /// The canonical base name: `varchar`, `integer`, `decimal`, or the type as written.
    public var base: String
    /// The arguments in parentheses, as text: `["10", "2"]` for `decimal(10,2)`.
    public var arguments: [String]
    public var unsigned: Bool
    /// Array dimensions (PostgreSQL `integer[]`).
    public var arrayDimensions: Int

    /// The canonical spelling of a type as any engine or person writes it. `dialect` resolves the
    /// spellings whose meaning depends on the engine (MySQL `timestamp` is zoned and `datetime` is not;
    /// MySQL `float` is single precision; MySQL `tinyint(1)` is its boolean).
    public static func canonical(_ raw: String, dialect: Dialect? = nil) -> String {
        parse(raw, dialect: dialect).description
    }

    /// The bare name of a possibly schema-qualified type (`public.year` → `year`), without quotes.
    public static func unqualified(_ name: String) -> String {
        var n = name
        if let dot = n.lastIndex(of: "."), !n.contains("(") { n = String(n[n.index(after: dot)...]) }
        return n.replacingOccurrences(of: "\"", with: "")
    }

    /// Parses and canonicalizes a type.
    public static func parse(_ raw: String, dialect: Dialect? = nil) -> SQLType {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var dims = 0
        while text.hasSuffix("[]") { dims += 1; text = String(text.dropLast(2)).trimmingCharacters(in: .whitespaces) }
        // Inline enum/set keep their values' case.
        let lowerHead = text.lowercased()
        for kind in ["enum", "set"] where lowerHead.hasPrefix(kind) {
            let rest = text.dropFirst(kind.count).trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix("(") {
                let values = SQLText.splitTopLevel(String(rest.dropFirst().dropLast()))
                return SQLType(base: kind, arguments: values, unsigned: false, arrayDimensions: dims)
            }
        }
        var words = lowercasedOutsideQuotes(text)
        var unsigned = false
        if words.hasSuffix(" zerofill") { words = String(words.dropLast(9)) }
        if words.hasSuffix(" unsigned") { unsigned = true; words = String(words.dropLast(9)) }
        if words.hasSuffix(" signed") { words = String(words.dropLast(7)) }
        var arguments: [String] = []
        var name = words
        var suffix = ""
        if let open = words.firstIndex(of: "("), let close = SQLText.matchingParenthesis(in: words, from: open) {
            name = String(words[..<open]).trimmingCharacters(in: .whitespaces)
            arguments = SQLText.splitTopLevel(String(words[words.index(after: open)..<close])).map {
                $0.replacingOccurrences(of: " ", with: "")
            }
            suffix = String(words[words.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        }
        name = name.split(separator: " ").joined(separator: " ")
        if !suffix.isEmpty { name += " " + suffix }

        var base = name
        switch name {
        case "int", "integer", "int4": base = "integer"; if dialect != .sqlite { arguments = [] }
        case "smallint", "int2": base = "smallint"; if dialect != .sqlite { arguments = [] }
        case "bigint", "int8": base = "bigint"; if dialect != .sqlite { arguments = [] }
        case "mediumint", "middleint": base = "mediumint"; arguments = []
        case "tinyint", "int1":
            if arguments == ["1"] && dialect == .mysql && !unsigned { base = "boolean"; arguments = [] }
            else { base = "tinyint"; arguments = [] }
        case "serial", "serial4": base = "integer"
        case "bigserial", "serial8": base = "bigint"
        case "smallserial", "serial2": base = "smallint"
        case "real", "float4": base = "real"
        case "float":
            if dialect == .mysql, arguments.isEmpty || (Int(arguments[0]) ?? 0) <= 24 { base = "real" }
            else if dialect != .mysql, let p = arguments.first.flatMap({ Int($0) }), p <= 24 { base = "real" }
            else { base = "double" }
            arguments = []
        case "double", "double precision", "float8": base = "double"; arguments = []
        case "decimal", "numeric", "dec", "fixed": base = "decimal"
        case "bool", "boolean": base = "boolean"
        case "varchar", "character varying", "nvarchar", "varchar2", "nvarchar2", "national varchar", "varying character", "native character": base = "varchar"
        case "char", "character", "bpchar", "nchar", "national char", "national character":
            base = "char"
            if arguments.isEmpty && dialect != .sqlite { arguments = ["1"] }
        case "text", "clob", "string": base = "text"
        case "bytea", "blob": base = "blob"
        case "date": base = "date"
        case "time", "time without time zone": base = "time"
        case "timetz", "time with time zone": base = "timetz"
        case "timestamp without time zone": base = "timestamp"
        case "timestamp":
            base = dialect == .mysql ? "timestamptz" : "timestamp"
        case "datetime", "datetime2", "smalldatetime": base = "timestamp"
        case "timestamptz", "timestamp with time zone", "datetimeoffset": base = "timestamptz"
        case "json": base = "json"
        case "jsonb": base = "jsonb"
        case "uuid", "uniqueidentifier": base = "uuid"
        case "year": base = "year"; arguments = []
        default: break
        }
        // Precision 0 is the default for MySQL's temporal types; PostgreSQL's default is 6.
        if ["time", "timestamp", "timestamptz", "timetz"].contains(base) {
            if dialect == .mysql && arguments == ["0"] { arguments = [] }
            if dialect == .postgresql && arguments == ["6"] { arguments = [] }
        }
        return SQLType(base: base, arguments: arguments, unsigned: unsigned, arrayDimensions: dims)
    }

    private static func lowercasedOutsideQuotes(_ text: String) -> String {
        var out = ""
        var quote: Character? = nil
        for ch in text {
            if let q = quote {
                out.append(ch)
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                out.append(ch)
            } else {
                out.append(contentsOf: ch.lowercased())
            }
        }
        return out
    }

    /// True for the integer family (`smallint`, `integer`, `bigint`, `tinyint`, `mediumint`).
    public var isInteger: Bool { arrayDimensions == 0 && ["smallint", "integer", "bigint", "tinyint", "mediumint"].contains(base) }

    /// True for MySQL's inline `enum(...)`.
    public var isInlineEnum: Bool { base == "enum" && arrayDimensions == 0 }

    /// The values of an inline `enum('a','b')` or `set(...)`.
    public var inlineValues: [String] {
        arguments.compactMap { SQLText.leadingStringLiteral($0)?.value }
    }
}

extension SQLType: CustomStringConvertible {
    /// The canonical spelling.
    public var description: String {
        var out = base
        if !arguments.isEmpty {
            out += "(" + arguments.joined(separator: ",") + ")"
        }
        if unsigned { out += " unsigned" }
        out += String(repeating: "[]", count: arrayDimensions)
        return out
    }
}
