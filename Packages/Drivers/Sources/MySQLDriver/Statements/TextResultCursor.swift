import CMariaDB

/// Streams the rows of a statement sent as text: `mysql_use_result` + `mysql_fetch_row` (unbuffered), so
/// only the current row is in memory whatever the result size.
///
/// The rows' `values` array is reused when the caller has let go of the previous row, and every row shares
/// one `columns` array.
///
/// - Important: valid only inside the `withCursor` body that received it; `finish()` frees the result.
final class TextResultCursor: RowCursor {
    let columns: [Column]
    private let descriptors: [ColumnDescriptor]
    private let decodings: [ValueDecoding]
    private let handle: MySQLHandle
    private let sql: String
    private let cancellation: CancellationCheck
    private var result: UnsafeMutablePointer<MYSQL_RES>?
    private var values: [DatabaseValue]

    /// Starts reading the result of the statement just sent on `handle`; a statement without a result
    /// set gives a cursor with no columns and no rows.
    init(handle: MySQLHandle, sql: String, cancellation: CancellationCheck) throws(DatabaseError) {
        self.handle = handle
        self.sql = sql
        self.cancellation = cancellation
        let result = mysql_use_result(handle.raw)
        if result == nil, mysql_field_count(handle.raw) > 0 { throw handle.lastError(sql: sql) }
        self.result = result
        descriptors = result.map(ColumnDescriptor.describe) ?? []
        decodings = descriptors.map(\.decoding)
        columns = descriptors.map(\.column)
        values = Array(repeating: .null, count: columns.count)
    }

    func next() throws -> Row? {
        guard let result else { return nil }
        try cancellation.check(sql: sql)
        guard let row = mysql_fetch_row(result) else {
            try finish()
            return nil
        }
        guard let lengths = mysql_fetch_lengths(result) else { throw handle.lastError(sql: sql) }
        for i in 0..<decodings.count {
            if let field = row[i] {
                values[i] = TextValueDecoder.decode(field, count: Int(lengths[i]), as: decodings[i])
            } else {
                values[i] = .null
            }
        }
        return Row(columns: columns, values: values)
    }

    /// Frees the result, first reading any rows the caller did not (so the connection can take the next
    /// command), then any further results (`CALL`). Throws the error that ended the rows, if any.
    func finish() throws(DatabaseError) {
        guard let result else { return }
        self.result = nil
        // mysql_fetch_row returns NULL both at the end and on error; the errno tells them apart.
        let errno = mysql_errno(handle.raw)
        let failure = errno != 0 ? handle.lastError(sql: sql) : nil
        mysql_free_result(result)
        if let failure { throw failure }
        try handle.discardRemainingResults(sql: sql)
    }
}
