/// One value read from or bound to a database, in a form every engine's native types map onto without loss.
///
/// Temporal values, decimals, JSON and UUIDs are kept as their canonical text so nothing is rounded or
/// reinterpreted on the way through (a `numeric(38,10)` never passes through `Double`, a PostgreSQL
/// `timestamp` keeps its microseconds and its `infinity`). The canonical text forms are:
/// - `date`: `YYYY-MM-DD`
/// - `time`: `HH:MM:SS[.ffffff]`, optionally followed by a zone offset for `time with time zone`
/// - `timestamp`: `YYYY-MM-DD HH:MM:SS[.ffffff]`
/// - `timestampWithTimeZone`: `YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM]`
public enum DatabaseValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case double(Double)
    /// An exact decimal number as text, for example `"12345.6789"`.
    case decimal(String)
    case text(String)
    case blob([UInt8])
    case bool(Bool)
    case date(String)
    case time(String)
    case timestamp(String)
    case timestampWithTimeZone(String)
    /// A JSON document as text, exactly as the engine returned it.
    case json(String)
    /// A UUID in its canonical lower-case 8-4-4-4-12 form.
    case uuid(String)
    /// An array (PostgreSQL); elements are themselves values, possibly nested arrays.
    case array([DatabaseValue])

    /// True for `.null`.
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The name of this value's kind, as used in error messages and JSON type tags.
    public var kind: DatabaseValueKind {
        switch self {
        case .null: .null
        case .integer: .integer
        case .double: .double
        case .decimal: .decimal
        case .text: .text
        case .blob: .blob
        case .bool: .bool
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .timestampWithTimeZone: .timestampWithTimeZone
        case .json: .json
        case .uuid: .uuid
        case .array: .array
        }
    }

    /// The value as text for engines that take parameters as text (libpq's text format); `nil` for null.
    ///
    /// Blobs have no text form here; drivers bind them in binary.
    public var textRepresentation: String? {
        switch self {
        case .null: nil
        case .integer(let v): String(v)
        case .double(let v): DatabaseValue.format(double: v)
        case .decimal(let s), .text(let s), .date(let s), .time(let s), .timestamp(let s),
             .timestampWithTimeZone(let s), .json(let s), .uuid(let s): s
        case .bool(let b): b ? "true" : "false"
        case .blob(let bytes): "\\x" + bytes.hexString
        case .array(let elements): DatabaseValue.postgresArrayLiteral(elements)
        }
    }

    /// Shortest text that reads back as the same `Double` (`"Infinity"`, `"-Infinity"`, `"NaN"` for the specials).
    public static func format(double v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        return "\(v)"
    }

    /// A PostgreSQL array literal (`{1,2,"a b",NULL}`) for `elements`.
    public static func postgresArrayLiteral(_ elements: [DatabaseValue]) -> String {
        var out = "{"
        for (i, element) in elements.enumerated() {
            if i > 0 { out += "," }
            switch element {
            case .null: out += "NULL"
            case .array(let nested): out += postgresArrayLiteral(nested)
            default:
                let text = element.textRepresentation ?? ""
                out += "\""
                for ch in text.unicodeScalars {
                    if ch == "\"" || ch == "\\" { out += "\\" }
                    out.unicodeScalars.append(ch)
                }
                out += "\""
            }
        }
        return out + "}"
    }
}

/// The kinds of `DatabaseValue`, with the names used in JSON (`"timestamptz"` for the zoned timestamp).
public enum DatabaseValueKind: String, Sendable, Codable, CaseIterable {
    case null, integer, double, decimal, text, blob, bool, date, time, timestamp
    case timestampWithTimeZone = "timestamptz"
    case json, uuid, array
}

extension DatabaseValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension DatabaseValue: CustomStringConvertible {
    /// A short description that never prints the value itself (values may be secrets); use
    /// `String(reflecting:)` for the contents.
    public var description: String { "DatabaseValue(\(kind.rawValue))" }
}

extension DatabaseValue: CustomDebugStringConvertible {
    public var debugDescription: String {
        switch self {
        case .null: "NULL"
        case .blob(let b): "blob(\(b.count) bytes)"
        default: "\(kind.rawValue)(\(textRepresentation ?? ""))"
        }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal digits of the bytes.
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
