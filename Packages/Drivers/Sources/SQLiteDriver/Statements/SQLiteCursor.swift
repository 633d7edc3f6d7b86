import CSQLite
import DatabaseDriver

/// Streams the rows of one prepared statement: each `next()` is one `sqlite3_step`, and values are read
/// straight from the statement, so memory stays flat whatever the result size.
///
/// Every 1024 rows it checks whether the task was cancelled; the running step itself is stopped by
/// `sqlite3_interrupt` (from `cancel()`) or the connection's progress handler.
///
/// - Important: valid only inside the `withCursor` body that received it, on the connection's queue.
///   After the body returns, `next()` throws `.misuse`.
final class SQLiteCursor: RowCursor {
    let columns: [Column]
    private let columnTypes: [ColumnType]
    private var statement: PreparedStatement?
    private var rowsRead = 0
    private var isExhausted = false
    /// The error that ended the cursor. Stepping again would make SQLite restart the query from its
    /// first row, so every later `next()` throws this error instead.
    private var failure: DatabaseError?

    /// A cursor over `statement`'s rows; `nil` gives an empty result (SQL text with no statement).
    init(_ statement: PreparedStatement?) {
        self.statement = statement
        guard let handle = statement?.handle else {
            columns = []
            columnTypes = []
            isExhausted = true
            return
        }
        let count = sqlite3_column_count(handle)
        var columns = [Column]()
        columns.reserveCapacity(Int(count))
        for index in 0..<count {
            let name = sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
            let declared = sqlite3_column_decltype(handle, index).map { String(cString: $0) }
            columns.append(Column(name: name, nativeType: declared ?? "", type: DeclaredType.columnType(declared)))
        }
        self.columns = columns
        self.columnTypes = columns.map(\.type)
    }

    func next() throws -> Row? {
        if isExhausted { return nil }
        if let failure { throw failure }
        guard let statement else {
            throw SQLiteErrorMapping.driver(.misuse, "the cursor was used after its withCursor body returned")
        }
        if rowsRead & 1023 == 0 && Task.isCancelled {
            let error = SQLiteErrorMapping.driver(.cancelled, "the query was cancelled", sql: statement.sql)
            failure = error
            throw error
        }
        let handle = statement.handle
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            rowsRead &+= 1
            var values = [DatabaseValue]()
            values.reserveCapacity(columnTypes.count)
            for (index, type) in columnTypes.enumerated() {
                values.append(ColumnReader.value(handle, Int32(truncatingIfNeeded: index), as: type))
            }
            return Row(columns: columns, values: values)
        case SQLITE_DONE:
            isExhausted = true
            // Releases the statement's read lock now rather than when the body returns.
            sqlite3_reset(handle)
            return nil
        case let rc:
            let error = statement.error(rc)
            failure = error
            throw error
        }
    }

    /// Ends the cursor's life: later `next()` calls throw `.misuse` instead of touching a freed statement.
    func invalidate() {
        statement = nil
        isExhausted = false
        failure = nil
    }
}
