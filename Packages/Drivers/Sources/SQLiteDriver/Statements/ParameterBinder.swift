import CSQLite
import DatabaseDriver

/// Binds `DatabaseValue`s to a prepared statement's `?` parameters through the C API; values never
/// become part of the SQL text.
///
/// Errors name the parameter's position and the value's kind, never the value.
enum ParameterBinder {
    /// Binds `values` to parameters 1...n of `statement`.
    ///
    /// - Throws: `.parameterMismatch` when the statement has a different number of parameters,
    ///   `.invalidValue` for a value SQLite cannot store as given (NaN, an array, malformed temporal,
    ///   decimal or UUID text).
    static func bind(_ values: [DatabaseValue], to statement: OpaquePointer, sql: String) throws(DatabaseError) {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == values.count else {
            throw SQLiteErrorMapping.driver(.parameterMismatch,
                "the statement has \(expected) parameters but \(values.count) values were given", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc = try bind(value, at: index, to: statement, sql: sql)
            guard rc == SQLITE_OK else {
                throw SQLiteErrorMapping.error(rc, db: sqlite3_db_handle(statement), sql: sql)
            }
        }
    }

    private static func bind(_ value: DatabaseValue, at index: Int32, to statement: OpaquePointer, sql: String) throws(DatabaseError) -> Int32 {
        func invalid(_ why: String) -> DatabaseError {
            SQLiteErrorMapping.driver(.invalidValue, "parameter \(index) (\(value.kind.rawValue)): \(why)", sql: sql)
        }
        switch value {
        case .null:
            return sqlite3_bind_null(statement, index)
        case .integer(let v):
            return sqlite3_bind_int64(statement, index, v)
        case .bool(let b):
            return sqlite3_bind_int64(statement, index, b ? 1 : 0)
        case .double(let v):
            guard !v.isNaN else { throw invalid("SQLite cannot store NaN (it would become NULL)") }
            return sqlite3_bind_double(statement, index, v)
        case .text(let s), .json(let s):
            return bindText(s, at: index, to: statement)
        case .decimal(let s):
            guard CanonicalText.isDecimal(Array(s.utf8)) else {
                throw invalid("not a decimal number (expected digits with an optional sign, point and exponent)")
            }
            return bindText(s, at: index, to: statement)
        case .uuid(let s):
            guard CanonicalText.isUUID(Array(s.utf8)) else {
                throw invalid("not a UUID in 8-4-4-4-12 hexadecimal form")
            }
            return bindText(s.lowercased(), at: index, to: statement)
        case .date(let s):
            guard CanonicalText.temporal(Array(s.utf8)) == .date else { throw invalid("expected YYYY-MM-DD") }
            return bindText(s, at: index, to: statement)
        case .time(let s):
            guard CanonicalText.temporal(Array(s.utf8)) == .time else { throw invalid("expected HH:MM:SS[.ffffff][+HH:MM]") }
            return bindText(s, at: index, to: statement)
        case .timestamp(let s):
            guard CanonicalText.temporal(Array(s.utf8)) == .timestamp else { throw invalid("expected YYYY-MM-DD HH:MM:SS[.ffffff]") }
            return bindText(s, at: index, to: statement)
        case .timestampWithTimeZone(let s):
            guard CanonicalText.temporal(Array(s.utf8)) == .timestampWithTimeZone else {
                throw invalid("expected YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM]")
            }
            return bindText(s, at: index, to: statement)
        case .blob(let bytes):
            // sqlite3_bind_blob with a NULL pointer binds NULL; an empty blob needs zeroblob(0).
            if bytes.isEmpty { return sqlite3_bind_zeroblob(statement, index, 0) }
            return bytes.withUnsafeBytes { buffer in
                sqlite3_bind_blob64(statement, index, buffer.baseAddress, sqlite3_uint64(buffer.count), dbm_sqlite_transient())
            }
        case .array:
            throw invalid("SQLite has no array type; bind the elements separately or as a .json array")
        }
    }

    private static func bindText(_ text: String, at index: Int32, to statement: OpaquePointer) -> Int32 {
        var text = text
        return text.withUTF8 { buffer in
            // An empty buffer may have no address; SQLite would bind NULL for a NULL pointer.
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                return sqlite3_bind_text(statement, index, "", 0, dbm_sqlite_transient())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                sqlite3_bind_text64(statement, index, chars, sqlite3_uint64(buffer.count), dbm_sqlite_transient(), UInt8(SQLITE_UTF8))
            }
        }
    }
}
