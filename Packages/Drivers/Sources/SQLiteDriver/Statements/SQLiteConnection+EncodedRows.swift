import CSQLite
import DatabaseDriver

extension SQLiteConnection {
    /// Steps `sql` and hands each row to `update` as one byte string of its stored values, without making a
    /// Swift value per row: for checksums over whole tables.
    ///
    /// Each column is encoded as a type byte and its value, numbers little-endian: `n` (NULL), `i` and 8
    /// bytes (integer), `r` and the 8 bytes of the IEEE double (real), `t` or `b`, a 4-byte length and the
    /// bytes (text in UTF-8, blob as is). The encoding is exact: two rows encode alike only if they hold the
    /// same values of the same storage classes.
    public func reduceEncodedRows<T: Sendable>(
        _ sql: String, into initial: T, _ update: @Sendable (inout T, UnsafeRawBufferPointer) throws -> Void
    ) async throws -> T {
        try await withTaskCancellationHandler {
            let db = try openHandle()
            guard let statement = try prepare(sql, .none, db: db) else { return initial }
            defer { statement.finalize() }
            let handle = statement.handle
            let columns = sqlite3_column_count(handle)
            var result = initial
            var row = [UInt8]()
            row.reserveCapacity(4096)
            while true {
                let rc = sqlite3_step(handle)
                if rc == SQLITE_DONE { return result }
                guard rc == SQLITE_ROW else { throw statement.error(rc) }
                row.removeAll(keepingCapacity: true)
                for column in 0..<columns { Self.encode(handle, column, into: &row) }
                try row.withUnsafeBytes { try update(&result, $0) }
            }
        } onCancel: {
            self.cancel()
        }
    }

    private static func encode(_ statement: OpaquePointer, _ column: Int32, into row: inout [UInt8]) {
        func append<I: FixedWidthInteger>(_ value: I) {
            withUnsafeBytes(of: value.littleEndian) { row.append(contentsOf: $0) }
        }
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            row.append(0x69)
            append(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            row.append(0x72)
            append(sqlite3_column_double(statement, column).bitPattern)
        case let type where type == SQLITE_TEXT || type == SQLITE_BLOB:
            // Text in UTF-8 (converted from a UTF-16 database), a blob as is; the count is read after.
            let bytes = type == SQLITE_TEXT
                ? UnsafeRawPointer(sqlite3_column_text(statement, column)) : sqlite3_column_blob(statement, column)
            let count = Int(sqlite3_column_bytes(statement, column))
            row.append(type == SQLITE_TEXT ? 0x74 : 0x62)
            append(UInt32(count))
            if let bytes { row.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count)) }
        default:
            row.append(0x6E)
        }
    }
}
