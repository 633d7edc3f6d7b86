/// One statement of `DatabaseConnection.executeInTransaction(_:)`: its SQL and the values bound to it.
public struct BatchStatement: Sendable, Hashable {
    public var sql: String
    public var arguments: StatementArguments

    public init(_ sql: String, _ arguments: StatementArguments = .none) {
        self.sql = sql
        self.arguments = arguments
    }
}

extension DatabaseConnection {
    /// Runs `body` on the connection's executor: one hop for the whole body, however many statements it runs.
    ///
    /// Calls on the `isolated` connection inside `body` run without leaving its queue (each plain `await
    /// connection.execute` from elsewhere is a thread hop there and back). Functions `body` calls keep the
    /// connection's isolation only when they take it as an `isolated` parameter or are
    /// `nonisolated(nonsending)`.
    /// - Important: `body` runs on the connection's queue: keep it to database work.
    public func perform<T: Sendable>(_ body: @Sendable (isolated Self) async throws -> T) async throws -> T {
        try await body(self)
    }

    /// Runs `statements` in order in one transaction: `BEGIN`, the statements, `COMMIT`; the first failure
    /// rolls the transaction back and is thrown. Returns each statement's result. Rows are discarded.
    ///
    /// PostgreSQL sends the whole transaction at once in libpq's pipeline mode (one round trip); the other
    /// engines run the statements one after another in one hop onto the connection's queue. On MySQL/MariaDB
    /// DDL commits implicitly, as ever.
    /// - Throws: `.misuse` when a transaction is already open; the failing statement's `DatabaseError`.
    public func executeInTransaction(_ statements: [BatchStatement]) async throws -> [ExecutionResult] {
        try await begin()
        do {
            var results: [ExecutionResult] = []
            results.reserveCapacity(statements.count)
            for statement in statements {
                results.append(try await execute(statement.sql, statement.arguments))
            }
            try await commit()
            return results
        } catch {
            // In a task of its own: the drivers refuse statements of a cancelled task.
            await Task { if self.inTransaction { try? await self.rollback() } }.value
            throw error
        }
    }
}
