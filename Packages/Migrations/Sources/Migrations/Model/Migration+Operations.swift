import DatabaseDriver

extension Migration {
    /// `Migration.apply(connection)`: runs the upgrade SQL on `connection`, in one transaction on PostgreSQL and
    /// SQLite unless the migration opts out, statement by statement otherwise. Records no history: use
    /// `MigrationManager.upgrade` for tracked, locked runs.
    /// - Returns: true when the SQL ran.
    /// - Throws: `MigrationError.executionFailed` (rolled back) or `.dirty` (statement by statement, stopped part-way).
    public func apply(on connection: any DatabaseConnection) async throws -> Bool {
        try await run(upgradeSQL, direction: .up, on: connection)
        return true
    }

    /// `Migration.rollback(connection)`: runs the downgrade SQL the same way as `apply`. Records no history.
    /// - Throws: `MigrationError.irreversible` when there is no downgrade SQL.
    public func rollback(on connection: any DatabaseConnection) async throws -> Bool {
        guard let downgradeSQL else {
            throw MigrationError(.irreversible, "migration \(revision) has no downgrade SQL", revision: revision)
        }
        try await run(downgradeSQL, direction: .down, on: connection)
        return true
    }

    /// `Migration.validate()`: problems found without a database: an empty revision or upgrade, SQL that cannot
    /// be split (an unterminated string, comment or dollar-quoted body), a dependency on itself, no downgrade SQL.
    /// Empty when the migration is fine.
    public func validate(dialect: Dialect = .postgresql) -> [String] {
        var issues: [String] = []
        if revision.trimmingWhitespace().isEmpty { issues.append("the revision is empty") }
        let splitter = StatementSplitter(dialect: dialect)
        do {
            if try splitter.split(upgradeSQL).isEmpty { issues.append("the upgrade SQL has no statements") }
        } catch { issues.append("upgrade SQL: \(error.message)") }
        if let downgradeSQL {
            do { _ = try splitter.split(downgradeSQL) } catch { issues.append("downgrade SQL: \(error.message)") }
        }
        if !rollbackAvailable { issues.append("no downgrade SQL: the migration cannot be rolled back") }
        if dependencies.contains(revision) { issues.append("it depends on itself") }
        return issues
    }

    /// `Migration.to_dict()`: the migration as the spec's dict (both key sets). Encoding it gives the same.
    public func toDict() -> Migration { self }

    private func run(_ sql: String, direction: MigrationDirection, on connection: any DatabaseConnection) async throws {
        let statements = try StatementSplitter(dialect: connection.dialect).split(sql)
        let mode = ExecutionMode.choose(statements: statements, transactional: transactional, dialect: connection.dialect)
        let verb = direction == .down ? "rolling back" : "applying"
        switch mode {
        case .transactional:
            try await connection.begin()
            do {
                if !statements.isEmpty { try await connection.executeScript(sql) }
                try await connection.commit()
            } catch {
                // In a task of its own, so the rollback runs even when this task was cancelled.
                await Task { if await connection.inTransaction { try? await connection.rollback() } }.value
                throw MigrationError(.executionFailed, "\(verb) migration \(revision) failed and was rolled back",
                                     revision: revision, underlying: error as? DatabaseError)
            }
        case .statementByStatement:
            for (index, statement) in statements.enumerated() {
                try Task.checkCancellation()
                do { _ = try await connection.execute(statement.text, .none) } catch {
                    throw MigrationError(index == 0 ? .executionFailed : .dirty,
                        "\(verb) migration \(revision) failed at statement \(index + 1) of \(statements.count) (line \(statement.line))"
                        + (index == 0 ? "" : "; statements 1-\(index) were applied and not rolled back"),
                        revision: revision, statementIndex: index + 1, statement: statement.text, underlying: error as? DatabaseError)
                }
            }
        }
    }
}
