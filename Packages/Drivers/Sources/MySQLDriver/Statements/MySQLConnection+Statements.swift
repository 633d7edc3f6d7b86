import CMariaDB

extension MySQLConnection {
    /// Runs one statement and discards any rows it returns.
    ///
    /// With arguments the statement is prepared and the values bound (`?`, `$n` and `:name` are all
    /// accepted); without, it is sent as text. A `CALL`'s further results are read and discarded.
    /// - Returns: rows affected (as MariaDB counts them: changed rows) and the AUTO_INCREMENT id generated,
    ///   if any.
    /// - Throws: `DatabaseError`; `.permissionDenied` before sending when the connection is read-only and
    ///   the statement writes; `.cancelled` when cancelled.
    public func execute(_ sql: String, _ arguments: StatementArguments) async throws -> ExecutionResult {
        if configuration.readOnly { try ReadOnlyGuard.check(sql) }
        let rewritten = try PlaceholderRewriter(dialect: .mysql).rewrite(sql, arguments)
        return try await runCancellable(sql: sql) { handle, _ in
            if arguments.isEmpty {
                try handle.sendQuery(sql)
                try handle.discardCurrentResult(sql: sql)
                let affected = mysql_affected_rows(handle.raw)
                let insertID = mysql_insert_id(handle.raw)
                try handle.discardRemainingResults(sql: sql)
                return ExecutionResult(rowsAffected: affected == UInt64.max ? 0 : Int64(clamping: affected),
                                       lastInsertID: insertID == 0 ? nil : Int64(clamping: insertID))
            }
            let statement = try PreparedStatement(rewritten.sql, on: handle)
            defer { statement.close() }
            try statement.execute(rewritten.values)
            let result = ExecutionResult(rowsAffected: statement.affectedRows, lastInsertID: statement.insertID)
            try statement.discardResults(readingRows: true)
            return result
        }
    }

    /// Runs a script of statements separated by `;` (no arguments), stopping at the first error.
    ///
    /// Multi-statement mode is switched on for this call only, so `execute` never runs more than one
    /// statement. On a read-only connection every statement of the script is checked first.
    public func executeScript(_ sql: String) async throws {
        if configuration.readOnly { try ReadOnlyGuard.check(sql) }
        guard !SQLScanner.statements(in: sql).isEmpty else { return }
        try await runCancellable(sql: sql) { handle, _ in
            if mysql_set_server_option(handle.raw, MYSQL_OPTION_MULTI_STATEMENTS_ON) != 0 {
                throw handle.lastError(sql: nil)
            }
            defer { _ = mysql_set_server_option(handle.raw, MYSQL_OPTION_MULTI_STATEMENTS_OFF) }
            try handle.sendQuery(sql)
            try handle.discardCurrentResult(sql: sql)
            try handle.discardRemainingResults(sql: sql)
        }
    }

    /// Runs a query and hands its rows one at a time to `body`, on the connection's queue.
    ///
    /// Without arguments the text protocol streams the rows (`mysql_use_result`); with arguments a
    /// prepared statement does (`mysql_stmt_fetch`, unbuffered). Only the current row is in memory. Rows
    /// the body leaves unread are read and discarded afterwards, so the connection stays usable after an
    /// early return or a thrown error. Every 1024 rows the cursor checks for cancellation.
    public func withCursor<T: Sendable>(
        _ sql: String, _ arguments: StatementArguments,
        _ body: @Sendable (any RowCursor) throws -> T
    ) async throws -> T {
        if configuration.readOnly { try ReadOnlyGuard.check(sql) }
        let rewritten = try PlaceholderRewriter(dialect: .mysql).rewrite(sql, arguments)
        return try await runCancellable(sql: sql) { handle, check in
            if arguments.isEmpty {
                try handle.sendQuery(sql)
                let cursor = try TextResultCursor(handle: handle, sql: sql, cancellation: check)
                let value: T
                do {
                    value = try body(cursor)
                } catch {
                    try? cursor.finish()
                    throw error
                }
                try cursor.finish()
                return value
            }
            let statement = try PreparedStatement(rewritten.sql, on: handle)
            defer { statement.close() }
            try statement.execute(rewritten.values)
            let cursor = try PreparedResultCursor(statement: statement, cancellation: check)
            defer { cursor.invalidate() }
            let value = try body(cursor)
            try statement.discardResults(readingRows: false)
            return value
        }
    }
}
