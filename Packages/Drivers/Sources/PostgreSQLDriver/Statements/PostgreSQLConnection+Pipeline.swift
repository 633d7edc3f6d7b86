import CLibPQ

extension PostgreSQLConnection {
    /// Runs `statements` in one transaction sent as one pipeline (libpq pipeline mode): `BEGIN`, each
    /// statement with its bound values (extended protocol, one statement each), `COMMIT` and a sync go out
    /// together and the results are read back together, so the whole transaction costs one round trip.
    ///
    /// After a failure the server skips the rest of the pipeline; the transaction is then rolled back and
    /// the failing statement's error thrown. Rows are discarded. Cancelling the task cancels the statement
    /// running on the server, which fails and rolls the transaction back.
    /// - Throws: `.misuse` when a transaction is already open; the failing statement's `DatabaseError`.
    public func executeInTransaction(_ statements: [BatchStatement]) async throws -> [ExecutionResult] {
        if inTransaction {
            throw DatabaseError(.misuse, "a transaction is already open; use a savepoint to nest",
                engineCode: "25001", engine: PostgreSQLErrors.engine)
        }
        let rewriter = PlaceholderRewriter(dialect: .postgresql)
        var prepared: [(sql: String, original: String, parameters: BoundParameters)] = []
        prepared.reserveCapacity(statements.count)
        for statement in statements {
            if configuration.readOnly { try ReadOnlyGuard.check(statement.sql) }
            let rewritten = try rewriter.rewrite(statement.sql, statement.arguments)
            if rewritten.sql.utf8.contains(0) {
                throw DatabaseError(.invalidValue, "the SQL text contains a NUL byte", engine: PostgreSQLErrors.engine)
            }
            prepared.append((rewritten.sql, statement.sql, try BoundParameters(rewritten.values)))
        }
        let summary = statements.first?.sql ?? "BEGIN"
        do {
            let (results, changedTypes) = try await runCancellable(summary) { connection in
                try Self.runPipeline(connection, prepared)
            }
            if changedTypes { catalog.invalidate() }
            return results
        } catch {
            catalog.invalidate()
            // In a task of its own: a cancelled task's statements are refused.
            await Task { if self.inTransaction { try? await self.rollback() } }.value
            throw error
        }
    }

    /// Sends the pipeline and reads every result; leaves the connection out of pipeline mode.
    private static func runPipeline(
        _ connection: OpaquePointer, _ statements: [(sql: String, original: String, parameters: BoundParameters)]
    ) throws(DatabaseError) -> (results: [ExecutionResult], changedTypes: Bool) {
        guard PQenterPipelineMode(connection) == 1 else { throw PostgreSQLErrors.error(connection: connection, sql: nil) }
        defer { _ = PQexitPipelineMode(connection) }
        // What each queued query is, for error messages: BEGIN, the statements, COMMIT.
        var texts: [String] = ["BEGIN"]
        guard PQsendQueryParams(connection, "BEGIN", 0, nil, nil, nil, nil, 0) == 1 else {
            throw drainAfterFailure(connection, sent: 0, sql: "BEGIN")
        }
        for statement in statements {
            let sent = statement.parameters.withUnsafeArguments { count, types, values, lengths, formats in
                PQsendQueryParams(connection, statement.sql, count, types, values, lengths, formats, 0)
            }
            guard sent == 1 else { throw drainAfterFailure(connection, sent: texts.count, sql: statement.original) }
            texts.append(statement.original)
        }
        guard PQsendQueryParams(connection, "COMMIT", 0, nil, nil, nil, nil, 0) == 1 else {
            throw drainAfterFailure(connection, sent: texts.count, sql: "COMMIT")
        }
        texts.append("COMMIT")
        guard PQpipelineSync(connection) == 1 else { throw drainAfterFailure(connection, sent: texts.count, sql: nil) }

        var results: [ExecutionResult] = []
        results.reserveCapacity(statements.count)
        var firstError: DatabaseError?
        var changedTypes = false
        for (index, text) in texts.enumerated() {
            // Each query's results end with a NULL from PQgetResult.
            while let result = PQgetResult(connection) {
                defer { PQclear(result) }
                switch PQresultStatus(result) {
                case PGRES_FATAL_ERROR:
                    if firstError == nil { firstError = PostgreSQLErrors.error(from: result, connection: connection, sql: text) }
                case PGRES_PIPELINE_ABORTED:
                    break
                default:
                    if let tag = PQcmdStatus(result), changesTypes(String(cString: tag)) { changedTypes = true }
                    if index > 0 && index < texts.count - 1 {
                        results.append(ExecutionResult(rowsAffected: ResultDrain.rowsAffected(result)))
                    } else if index == texts.count - 1, firstError == nil,
                              let tag = PQcmdStatus(result), String(cString: tag) == "ROLLBACK" {
                        firstError = DatabaseError(.misuse, "the transaction had failed, so COMMIT rolled it back",
                            engineCode: "25P02", sql: "COMMIT", engine: PostgreSQLErrors.engine)
                    }
                }
            }
        }
        // The sync's own result closes the pipeline.
        while let result = PQgetResult(connection) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if let firstError { throw firstError }
        if PQstatus(connection) == CONNECTION_BAD { throw PostgreSQLErrors.error(connection: connection, sql: nil) }
        return (results, changedTypes)
    }

    /// A send failed mid-pipeline: syncs what was queued, reads it back, and returns the error.
    private static func drainAfterFailure(_ connection: OpaquePointer, sent: Int, sql: String?) -> DatabaseError {
        let error = PostgreSQLErrors.error(connection: connection, sql: sql)
        guard PQstatus(connection) == CONNECTION_OK, PQpipelineSync(connection) == 1 else { return error }
        var remaining = sent
        while remaining >= 0 {
            guard let result = PQgetResult(connection) else {
                remaining -= 1
                continue
            }
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        return error
    }
}
