import CMariaDB

/// Streams the rows of a prepared statement: `mysql_stmt_fetch` row by row without
/// `mysql_stmt_store_result`, so only the current row is in memory whatever the result size.
///
/// Values arrive in the binary protocol into `ResultBuffers`; long values are completed with
/// `mysql_stmt_fetch_column`.
///
/// - Important: valid only inside the `withCursor` body that received it.
final class PreparedResultCursor: RowCursor {
    let columns: [Column]
    private let statement: PreparedStatement
    private let cancellation: CancellationCheck
    private let buffers: ResultBuffers?
    private var values: [DatabaseValue]
    private var finished = false

    /// Prepares fetching the result of `statement`, which has just executed.
    init(statement: PreparedStatement, cancellation: CancellationCheck) throws(DatabaseError) {
        self.statement = statement
        self.cancellation = cancellation
        var descriptors: [ColumnDescriptor] = []
        if statement.fieldCount > 0 {
            guard let metadata = mysql_stmt_result_metadata(statement.raw) else { throw statement.lastError() }
            descriptors = ColumnDescriptor.describe(metadata)
            mysql_free_result(metadata)
        }
        columns = descriptors.map(\.column)
        values = Array(repeating: .null, count: descriptors.count)
        if descriptors.isEmpty {
            buffers = nil
            finished = true
        } else {
            let buffers = ResultBuffers(columns: descriptors)
            try buffers.bind(to: statement)
            self.buffers = buffers
        }
    }

    /// Ends the cursor: later `next()` calls return nil (the statement is about to close).
    func invalidate() {
        finished = true
    }

    func next() throws -> Row? {
        guard !finished, let buffers else { return nil }
        try cancellation.check(sql: statement.sql)
        if buffers.needsRebind { try buffers.bind(to: statement) }
        let rc = mysql_stmt_fetch(statement.raw)
        switch rc {
        case 0, MYSQL_DATA_TRUNCATED:
            for i in 0..<values.count {
                values[i] = try buffers.decode(i, statement: statement)
            }
            return Row(columns: columns, values: values)
        case MYSQL_NO_DATA:
            finished = true
            return nil
        default:
            finished = true
            throw statement.lastError()
        }
    }
}
