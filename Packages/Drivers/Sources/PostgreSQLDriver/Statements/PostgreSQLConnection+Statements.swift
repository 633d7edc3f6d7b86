import CLibPQ

extension PostgreSQLConnection {
    /// Runs one statement (the extended protocol takes exactly one) and discards any rows as they arrive.
    ///
    /// `rowsAffected` comes from the command tag (`UPDATE 3`, `SELECT 10`); `lastInsertID` is always
    /// `nil`, as PostgreSQL reports no generated key: use `INSERT ... RETURNING` with `withCursor`.
    public func execute(_ sql: String, _ arguments: StatementArguments) async throws -> ExecutionResult {
        let statement = try PlaceholderRewriter(dialect: .postgresql).rewrite(sql, arguments)
        let parameters = try BoundParameters(statement.values)
        return try await runCancellable(sql) { connection in
            try send(connection, statement.sql, parameters, originalSQL: sql)
            let outcome = try ResultDrain.drain(connection, sql: sql)
            if let tag = outcome.commandStatus, Self.changesTypes(tag) { catalog.invalidate() }
            return ExecutionResult(rowsAffected: outcome.rowsAffected)
        }
    }

    /// Runs statements separated by semicolons with the simple protocol, in one round trip; stops at the
    /// first error (the server skips the rest). `COPY FROM STDIN` is refused with `.misuse`: use `copyIn`.
    public func executeScript(_ sql: String) async throws {
        try await runCancellable(sql) { connection in
            try Self.checkNoNUL(sql)
            guard PQsendQuery(connection, sql) == 1 else {
                throw PostgreSQLErrors.error(connection: connection, sql: sql)
            }
            _ = PQsetSingleRowMode(connection)
            afterSend()
            defer { catalog.invalidate() }
            _ = try ResultDrain.drain(connection, sql: sql)
        }
    }

    /// Runs a query and streams its rows to `body` in single-row mode: memory stays flat whatever the
    /// result size. Rows the body does not read are discarded, or the query is cancelled when many remain.
    ///
    /// - Throws: the statement's `DatabaseError`; `.cancelled` when the task or `cancel()` stopped it;
    ///   whatever `body` throws.
    public func withCursor<T: Sendable>(
        _ sql: String, _ arguments: StatementArguments,
        _ body: @Sendable (any RowCursor) throws -> T
    ) async throws -> T {
        let statement = try PlaceholderRewriter(dialect: .postgresql).rewrite(sql, arguments)
        let parameters = try BoundParameters(statement.values)
        try refreshCatalogIfNeeded()
        return try await runCancellable(sql) { connection in
            try send(connection, statement.sql, parameters, originalSQL: sql)
            let cursor = PostgreSQLRowCursor(connection: connection, sql: sql, signal: cancelSignal)
            defer {
                cursor.close()
                if cursor.sawUnknownType { catalog.invalidate() }
            }
            try cursor.start(catalog: catalog)
            return try body(cursor)
        }
    }

    /// Runs `work` with the statement marked in flight, so that `cancel()` and cancelling the calling task
    /// reach the server. Refuses statements that would lift read-only mode first.
    func runCancellable<T>(_ sql: String, _ work: (OpaquePointer) throws -> T) async throws -> T {
        let connection = try livePointer()
        if configuration.readOnly { try ReadOnlyGuard.check(sql) }
        let signal = cancelSignal
        return try await withTaskCancellationHandler {
            signal.statementStarted()
            defer { signal.statementEnded() }
            if Task.isCancelled {
                throw DatabaseError(.cancelled, "the statement was not started because its task was cancelled",
                    engineCode: "57014", sql: sql, engine: PostgreSQLErrors.engine)
            }
            return try work(connection)
        } onCancel: {
            signal.cancel()
        }
    }

    /// Sends one statement with its parameters (`PQsendQueryParams`) in single-row mode.
    private func send(
        _ connection: OpaquePointer, _ text: String, _ parameters: BoundParameters, originalSQL: String
    ) throws(DatabaseError) {
        try Self.checkNoNUL(text)
        let sent = parameters.withUnsafeArguments { count, types, values, lengths, formats in
            PQsendQueryParams(connection, text, count, types, values, lengths, formats, 0)
        }
        guard sent == 1 else { throw PostgreSQLErrors.error(connection: connection, sql: originalSQL) }
        _ = PQsetSingleRowMode(connection)
        afterSend()
    }

    /// A cancel request that raced the send (it reached an idle server) is repeated now that the
    /// statement is on its way.
    private func afterSend() {
        if cancelSignal.wasRequested { cancelSignal.cancel() }
    }

    private static func checkNoNUL(_ sql: String) throws(DatabaseError) {
        if sql.utf8.contains(0) {
            throw DatabaseError(.invalidValue, "the SQL text contains a NUL byte", engine: PostgreSQLErrors.engine)
        }
    }

    /// Loads the user-defined types before a query that returns rows, when they may have changed. Skipped
    /// inside a failed transaction, where the server answers nothing but errors.
    private func refreshCatalogIfNeeded() throws(DatabaseError) {
        guard !catalog.isCurrent else { return }
        let connection = try livePointer()
        guard PQtransactionStatus(connection) != PQTRANS_INERROR,
              let result = PQexec(connection, TypeCatalog.query) else { return }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else { return }
        var rows: [[String?]] = []
        let fields = PQnfields(result)
        for row in 0..<PQntuples(result) {
            rows.append((0..<fields).map { field in
                PQgetisnull(result, row, field) != 0 ? nil : String(cString: PQgetvalue(result, row, field))
            })
        }
        catalog.load(rows)
    }

    /// True for command tags after which the database's types may differ.
    static func changesTypes(_ tag: String) -> Bool {
        for prefix in ["CREATE ", "ALTER ", "DROP "] where tag.hasPrefix(prefix) {
            let object = tag.dropFirst(prefix.count)
            return object == "TYPE" || object == "DOMAIN" || object == "EXTENSION" || object == "SCHEMA"
        }
        return false
    }
}
