import CMariaDB
import DatabaseDriver

/// One row of a text-protocol result as the client library holds it: each column's bytes, or nil for
/// NULL. Valid only during the call it is passed to.
public struct MySQLRawRow {
    fileprivate let fields: MYSQL_ROW
    fileprivate let lengths: UnsafeMutablePointer<UInt>
    public let count: Int

    /// Column `index`'s bytes as the server sent them (text protocol), or nil for NULL.
    public subscript(index: Int) -> UnsafeRawBufferPointer? {
        precondition(index >= 0 && index < count, "column index out of range")
        guard let field = fields[index] else { return nil }
        return UnsafeRawBufferPointer(start: field, count: Int(lengths[index]))
    }
}

extension MySQLConnection {
    /// Streams the rows of `sql` (unbuffered, sent as text) to `update` as the client library holds them,
    /// without making a Swift value per row: for dumps that copy each row's bytes elsewhere. Cancellation
    /// is checked every 1,024 rows, as for `withCursor`.
    public func reduceRawRows<T: Sendable>(
        _ sql: String, into initial: T, _ update: @Sendable (inout T, MySQLRawRow) throws -> Void
    ) async throws -> T {
        if configuration.readOnly { try ReadOnlyGuard.check(sql) }
        return try await runCancellable(sql: sql) { handle, check in
            try handle.sendQuery(sql)
            guard let result = mysql_use_result(handle.raw) else {
                if mysql_field_count(handle.raw) > 0 { throw handle.lastError(sql: sql) }
                try handle.discardRemainingResults(sql: sql)
                return initial
            }
            let count = Int(mysql_num_fields(result))
            var value = initial
            var failure: (any Error)?
            while true {
                do { try check.check(sql: sql) } catch { failure = error; break }
                guard let fields = mysql_fetch_row(result) else { break }
                guard let lengths = mysql_fetch_lengths(result) else { failure = handle.lastError(sql: sql); break }
                do { try update(&value, MySQLRawRow(fields: fields, lengths: lengths, count: count)) } catch { failure = error; break }
            }
            // NULL from mysql_fetch_row is the end or an error; the errno tells them apart. Rows the caller
            // did not read are read and dropped by mysql_free_result.
            let errno = mysql_errno(handle.raw)
            let ended = failure == nil && errno != 0 ? handle.lastError(sql: sql) : nil
            mysql_free_result(result)
            if let failure { throw failure }
            if let ended { throw ended }
            try handle.discardRemainingResults(sql: sql)
            return value
        }
    }
}
