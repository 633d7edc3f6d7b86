import CSQLite
import DatabaseDriver

/// Reads one cell of the current row of a stepped statement as a `DatabaseValue`, guided by the
/// column's declared type.
///
/// A value that does not fit its column's declared type (SQLite lets any column hold any storage class)
/// comes back as its storage class (`INTEGER` → `.integer`, `REAL` → `.double`, `TEXT` → `.text`,
/// `BLOB` → `.blob`), so writing it back stores the same thing.
///
/// - Important: `statement` must be a live statement positioned on a row (`sqlite3_step` returned
///   `SQLITE_ROW`), used on the connection's queue.
enum ColumnReader {
    /// 2^63: the smallest magnitude a `REAL` has when SQLite stored an integer too large for `INTEGER`.
    private static let int64Bound = 9_223_372_036_854_775_808.0

    @inline(__always)
    static func value(_ statement: OpaquePointer, _ index: Int32, as type: ColumnType) -> DatabaseValue {
        let storage = sqlite3_column_type(statement, index)
        switch storage {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            let v = sqlite3_column_int64(statement, index)
            switch type {
            case .decimal: return .decimal(String(v))
            case .bool where v == 0 || v == 1: return .bool(v == 1)
            case .json: return .json(String(v))
            default: return .integer(v)
            }
        case SQLITE_FLOAT:
            let v = sqlite3_column_double(statement, index)
            switch type {
            case .decimal where v.isFinite: return .decimal(CanonicalText.plainDecimal(v))
            case .integer where v.isFinite && abs(v) >= int64Bound && v.rounded() == v:
                // An integer beyond Int64 that SQLite's INTEGER affinity stored as REAL.
                return .decimal(CanonicalText.exactInteger(v))
            case .json where v.isFinite: return .json("\(v)")
            default: return .double(v)
            }
        case SQLITE_TEXT:
            return text(statement, index, as: type)
        default:
            return .blob(blob(statement, index))
        }
    }

    @inline(__always)
    private static func text(_ statement: OpaquePointer, _ index: Int32, as type: ColumnType) -> DatabaseValue {
        guard let pointer = sqlite3_column_text(statement, index) else { return .text("") }
        let bytes = UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, index)))
        switch type {
        case .unknown, .text, .integer, .double, .blob, .bool, .array:
            return .text(String(decoding: bytes, as: UTF8.self))
        case .json:
            return .json(String(decoding: bytes, as: UTF8.self))
        case .decimal:
            let s = String(decoding: bytes, as: UTF8.self)
            return CanonicalText.isDecimal(bytes) ? .decimal(s) : .text(s)
        case .uuid:
            let s = String(decoding: bytes, as: UTF8.self)
            return CanonicalText.isUUID(bytes) ? .uuid(s.lowercased()) : .text(s)
        case .date, .time, .timestamp, .timestampWithTimeZone:
            let s = String(decoding: bytes, as: UTF8.self)
            switch CanonicalText.temporal(bytes) {
            case .date: return .date(s)
            case .time: return .time(s)
            case .timestamp: return .timestamp(s)
            case .timestampWithTimeZone: return .timestampWithTimeZone(s)
            case nil: return .text(s)
            }
        }
    }

    @inline(__always)
    private static func blob(_ statement: OpaquePointer, _ index: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(statement, index) else { return [] }
        let count = Int(sqlite3_column_bytes(statement, index))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
