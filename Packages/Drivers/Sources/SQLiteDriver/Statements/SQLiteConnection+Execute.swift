import CSQLite
import DatabaseDriver

extension SQLiteConnection {
    /// Runs one statement and discards any rows it returns.
    ///
    /// Placeholders may be `?`, `$1`/`?1` or `:name`; values are bound through the C API.
    /// `lastInsertID` is the rowid of the row the statement inserted, `nil` when it inserted none.
    /// - Throws: `DatabaseError`; `.misuse` when `sql` holds more than one statement, `.permissionDenied`
    ///   for a writing statement on a read-only connection, `.cancelled` when interrupted.
    public func execute(_ sql: String, _ arguments: StatementArguments) async throws -> ExecutionResult {
        try await withTaskCancellationHandler {
            let db = try openHandle()
            let statement = try prepare(sql, arguments, db: db)
            guard let statement else { return ExecutionResult(rowsAffected: 0) }
            defer { statement.finalize() }
            return try run(statement, db: db)
        } onCancel: {
            self.cancel()
        }
    }

    /// Runs the statements of `sql` in order (no arguments), stopping at the first error. Statements that
    /// ran before the error keep their effect unless the script wraps itself in a transaction.
    /// Each statement is compiled only after the previous one ran, so later statements see earlier DDL.
    /// - Throws: `DatabaseError`; the error's `sql` is the statement that failed. On a read-only
    ///   connection the first writing statement is refused before it runs.
    public func executeScript(_ sql: String) async throws {
        try await withTaskCancellationHandler {
            let db = try openHandle()
            try StatementCompiler.forEach(in: sql, db: db) { (statement) throws(DatabaseError) in
                _ = try run(statement, db: db)
            }
        } onCancel: {
            self.cancel()
        }
    }

    /// Runs a query and hands a streaming cursor over its rows to `body`, on the connection's queue.
    ///
    /// Rows come one `sqlite3_step` at a time; nothing is collected. Cancelling the calling task
    /// interrupts the query, and the cursor then throws `.cancelled`; the connection stays usable.
    /// - Important: the cursor is valid only inside `body`.
    public func withCursor<T: Sendable>(
        _ sql: String, _ arguments: StatementArguments,
        _ body: @Sendable (any RowCursor) throws -> T
    ) async throws -> T {
        try await withTaskCancellationHandler {
            let db = try openHandle()
            let statement = try prepare(sql, arguments, db: db)
            defer { statement?.finalize() }
            let cursor = SQLiteCursor(statement)
            defer { cursor.invalidate() }
            return try body(cursor)
        } onCancel: {
            self.cancel()
        }
    }

    /// Rewrites placeholders, compiles the single statement, refuses writes on a read-only connection
    /// and binds the values.
    func prepare(
        _ sql: String, _ arguments: StatementArguments, db: OpaquePointer
    ) throws(DatabaseError) -> PreparedStatement? {
        if Task.isCancelled { throw SQLiteErrorMapping.driver(.cancelled, "the statement was cancelled before it ran", sql: sql) }
        let rewritten: PlaceholderRewriter.Output
        do {
            rewritten = try PlaceholderRewriter(dialect: .sqlite).rewrite(sql, arguments)
        } catch {
            throw SQLiteErrorMapping.driver(error.code, error.message, sql: sql)
        }
        guard let statement = try StatementCompiler.single(rewritten.sql, db: db) else { return nil }
        do {
            try checkWritable(statement)
            try ParameterBinder.bind(rewritten.values, to: statement.handle, sql: rewritten.sql)
        } catch {
            statement.finalize()
            throw error
        }
        return statement
    }

    /// Refuses a statement that writes when the connection is read-only, before it runs.
    func checkWritable(_ statement: PreparedStatement) throws(DatabaseError) {
        if configuration.readOnly && !statement.isReadOnly {
            throw SQLiteErrorMapping.driver(.permissionDenied,
                "the connection is read-only; statements that write are refused", sql: statement.sql)
        }
    }

    /// Steps `statement` to its end and reports what it changed.
    func run(_ statement: PreparedStatement, db: OpaquePointer) throws(DatabaseError) -> ExecutionResult {
        try checkWritable(statement)
        if Task.isCancelled { throw SQLiteErrorMapping.driver(.cancelled, "the statement was cancelled before it ran", sql: statement.sql) }
        let changesBefore = sqlite3_total_changes64(db)
        // A sentinel tells whether this statement inserted a row, even one with the previous rowid.
        let rowidBefore = sqlite3_last_insert_rowid(db)
        sqlite3_set_last_insert_rowid(db, Int64.min)
        var rc = sqlite3_step(statement.handle)
        while rc == SQLITE_ROW { rc = sqlite3_step(statement.handle) }
        let rowidAfter = sqlite3_last_insert_rowid(db)
        if rowidAfter == Int64.min { sqlite3_set_last_insert_rowid(db, rowidBefore) }
        guard rc == SQLITE_DONE else { throw statement.error(rc) }
        let changed = sqlite3_total_changes64(db) != changesBefore
        return ExecutionResult(rowsAffected: changed ? sqlite3_changes64(db) : 0,
                               lastInsertID: rowidAfter == Int64.min ? nil : rowidAfter)
    }
}
