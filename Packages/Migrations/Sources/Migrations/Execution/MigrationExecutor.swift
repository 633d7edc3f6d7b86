import DatabaseDriver
import Foundation

/// Runs one migration up or down on a locked connection and records it in the toolkit's history and in the
/// other tool's table, in the same transaction where the engine allows it.
///
/// Cancellation: checked before each migration and between statements; a cancelled transactional
/// migration is rolled back, a cancelled statement-by-statement one is left dirty at the next statement.
struct MigrationExecutor: Sendable {
    let connection: any DatabaseConnection
    let lock: MigrationLock
    let history: HistoryTable
    let tool: ToolHistory?
    let user: String

    var dialect: Dialect { connection.dialect }

    /// Applies `migration`; returns its execution time in milliseconds. Runs where the caller runs: called
    /// inside `connection.perform`, a whole run stays on the connection's queue.
    nonisolated(nonsending) func apply(_ migration: Migration, order: Int) async throws -> Int {
        let statements = try StatementSplitter(dialect: dialect).split(migration.upgradeSQL)
        let mode = ExecutionMode.choose(statements: statements,
                                        transactional: migration.transactional, dialect: dialect)
        let started = ContinuousClock.now
        let entry = HistoryEntry(revision: migration.revision, description: migration.description, kind: migration.kind,
                                 checksum: migration.checksum, appliedAt: Date(), appliedBy: user, executionTimeMs: 0,
                                 success: mode == .transactional, statementsApplied: 0, appliedOrder: order, source: "dbm")
        try Task.checkCancellation()
        switch mode {
        case .transactional:
            if dialect == .postgresql, tool == nil {
                // Body, history row and COMMIT in one pipeline: one round trip for the whole migration.
                var done = entry
                done.statementsApplied = statements.count
                let batch = statements.map { BatchStatement($0.text) }
                    + [history.writeStatement(done, timedSinceTransactionStart: true)]
                do { _ = try await connection.executeInTransaction(batch) } catch {
                    throw wrap(error, migration: migration, direction: .up, statement: nil, dirty: false)
                }
                return milliseconds(since: started)
            }
            return try await connection.perform { _ in
                try await applyTransactional(migration, statements: statements, entry: entry, started: started)
            }
        case .statementByStatement:
            return try await lock.outsideTransaction {
                try await history.write(entry, on: connection)
                try await tool?.recordStart(migration, on: connection)
                try await runStatements(statements, from: 0, of: migration, direction: .up)
                let ms = milliseconds(since: started)
                try await history.recordSuccess(revision: migration.revision, checksum: migration.checksum,
                                                statementsApplied: statements.count, executionTimeMs: ms, on: connection)
                try await tool?.recordApplied(migration, executionTimeMs: ms, user: user, on: connection)
                return ms
            }
        }
    }

    /// Undoes `migration`; `previous` is the newest migration that stays applied. Returns milliseconds.
    nonisolated(nonsending) func revert(_ migration: Migration, previous: Migration?) async throws -> Int {
        guard let down = migration.downgradeSQL else {
            throw MigrationError(.irreversible, "migration \(migration.revision) has no downgrade SQL", revision: migration.revision)
        }
        let statements = try StatementSplitter(dialect: dialect).split(down)
        let mode = ExecutionMode.choose(statements: statements, transactional: migration.transactional, dialect: dialect)
        let started = ContinuousClock.now
        try Task.checkCancellation()
        switch mode {
        case .transactional:
            if dialect == .postgresql, tool == nil {
                let batch = statements.map { BatchStatement($0.text) } + [history.deleteStatement(revision: migration.revision)]
                do { _ = try await connection.executeInTransaction(batch) } catch {
                    throw wrap(error, migration: migration, direction: .down, statement: nil, dirty: false)
                }
                return milliseconds(since: started)
            }
            return try await connection.perform { _ in
                try await revertTransactional(migration, down: down, statements: statements, previous: previous,
                                              started: started)
            }
        case .statementByStatement:
            return try await lock.outsideTransaction {
                try await runStatements(statements, from: 0, of: migration, direction: .down)
                let ms = milliseconds(since: started)
                try await history.delete(revision: migration.revision, on: connection)
                try await tool?.recordReverted(migration, previous: previous, user: user, executionTimeMs: ms, on: connection)
                return ms
            }
        }
    }

    /// The transactional unit of `apply` when it is not pipelined: the savepoint (SQLite) or transaction, the
    /// other tool's bookkeeping, the body and the history row. Called on the connection's queue through
    /// `perform`, it stays there: no thread hop per statement.
    nonisolated(nonsending) private func applyTransactional(
        _ migration: Migration, statements: [SQLStatement], entry: HistoryEntry, started: ContinuousClock.Instant
    ) async throws -> Int {
        try await lock.inTransaction {
            try await tool?.recordStart(migration, on: connection)
            if !statements.isEmpty {
                do { try await connection.executeScript(migration.upgradeSQL) } catch {
                    throw wrap(error, migration: migration, direction: .up, statement: nil, dirty: false)
                }
            }
            var done = entry
            done.executionTimeMs = milliseconds(since: started)
            done.statementsApplied = statements.count
            try await history.write(done, on: connection)
            try await tool?.recordApplied(migration, executionTimeMs: done.executionTimeMs, user: user, on: connection)
            return done.executionTimeMs
        }
    }

    /// The transactional unit of `revert` when it is not pipelined, on the connection's queue like
    /// `applyTransactional`.
    nonisolated(nonsending) private func revertTransactional(
        _ migration: Migration, down: String, statements: [SQLStatement], previous: Migration?,
        started: ContinuousClock.Instant
    ) async throws -> Int {
        try await lock.inTransaction {
            do { if !statements.isEmpty { try await connection.executeScript(down) } } catch {
                throw wrap(error, migration: migration, direction: .down, statement: nil, dirty: false)
            }
            let ms = milliseconds(since: started)
            try await history.delete(revision: migration.revision, on: connection)
            try await tool?.recordReverted(migration, previous: previous, user: user, executionTimeMs: ms, on: connection)
            return ms
        }
    }

    /// Continues a dirty migration from the statement that failed (after the cause was fixed).
    func resume(_ migration: Migration, entry: HistoryEntry, previous: Migration?) async throws -> Int {
        let sql = entry.direction == .down ? (migration.downgradeSQL ?? "") : migration.upgradeSQL
        let statements = try StatementSplitter(dialect: dialect).split(sql)
        let started = ContinuousClock.now
        return try await lock.outsideTransaction {
            try await runStatements(statements, from: min(entry.statementsApplied, statements.count), of: migration,
                                    direction: entry.direction)
            let ms = milliseconds(since: started)
            if entry.direction == .down {
                try await history.delete(revision: migration.revision, on: connection)
                try await tool?.recordReverted(migration, previous: previous, user: user, executionTimeMs: ms, on: connection)
            } else {
                try await history.recordSuccess(revision: migration.revision, checksum: migration.checksum,
                                                statementsApplied: statements.count, executionTimeMs: entry.executionTimeMs + ms,
                                                on: connection)
                try await tool?.recordApplied(migration, executionTimeMs: ms, user: user, on: connection)
            }
            return ms
        }
    }

    /// Runs statements one at a time, recording progress after each; on failure or cancellation records the
    /// failing statement and throws a `MigrationError` with code `.dirty` or `.cancelled`.
    nonisolated(nonsending) private func runStatements(_ statements: [SQLStatement], from start: Int, of migration: Migration,
                               direction: MigrationDirection) async throws {
        if direction == .down {
            // The row stays while the rollback runs, marked as a rollback in progress.
            try await history.recordFailure(revision: migration.revision, direction: .down, statementsApplied: start,
                                            statement: "", error: "rollback in progress", on: connection)
        }
        for index in start..<statements.count {
            let statement = statements[index]
            if Task.isCancelled {
                await recordUncancellable(revision: migration.revision, direction: direction, statementsApplied: index,
                                          statement: statement.text, error: "cancelled before this statement")
                throw MigrationError(.cancelled,
                    "cancelled during migration \(migration.revision) before statement \(index + 1) of \(statements.count); "
                    + "statements 1-\(index) ran and are recorded. Run repair with action \"resume\" to continue.",
                    revision: migration.revision, statementIndex: index + 1, statement: statement.text)
            }
            do {
                _ = try await connection.execute(statement.text, .none)
            } catch {
                let cancelled = Task.isCancelled || (error as? DatabaseError)?.code == .cancelled
                let message = cancelled ? "cancelled during this statement"
                    : (error as? DatabaseError)?.description ?? String(describing: error)
                await recordUncancellable(revision: migration.revision, direction: direction, statementsApplied: index,
                                          statement: statement.text, error: message)
                throw wrap(error, migration: migration, direction: direction,
                           statement: (index + 1, statements.count, statement), dirty: true)
            }
            try await history.recordProgress(revision: migration.revision, statementsApplied: index + 1, on: connection)
        }
    }

    /// Records a failure even when the task was cancelled: the driver cancels statements of a cancelled task,
    /// so the bookkeeping runs in a task of its own, which does not inherit the cancellation.
    private func recordUncancellable(revision: String, direction: MigrationDirection, statementsApplied: Int,
                                     statement: String, error: String) async {
        let history = self.history, connection = self.connection
        await Task {
            try? await history.recordFailure(revision: revision, direction: direction, statementsApplied: statementsApplied,
                                             statement: statement, error: error, on: connection)
        }.value
    }

    private func wrap(_ error: any Error, migration: Migration, direction: MigrationDirection,
                      statement: (index: Int, total: Int, statement: SQLStatement)?, dirty: Bool) -> MigrationError {
        if let error = error as? MigrationError { return error }
        let databaseError = error as? DatabaseError
        let verb = direction == .down ? "rolling back" : "applying"
        if databaseError?.code == .cancelled || error is CancellationError || Task.isCancelled {
            guard let statement, dirty else {
                return MigrationError(.cancelled, "cancelled while \(verb) migration \(migration.revision); it was rolled back",
                                      revision: migration.revision, underlying: databaseError)
            }
            return MigrationError(.cancelled,
                "cancelled while \(verb) migration \(migration.revision) during statement \(statement.index) of \(statement.total); "
                + "statements before it ran and the history marks it dirty. Run repair with action \"resume\" to continue",
                revision: migration.revision, statementIndex: statement.index, statement: statement.statement.text,
                underlying: databaseError)
        }
        guard let statement, dirty else {
            return MigrationError(.executionFailed,
                "\(verb) migration \(migration.revision) (\(migration.description)) failed and was rolled back",
                revision: migration.revision, underlying: databaseError ?? DatabaseError(.other, String(describing: error)))
        }
        let why = dialect == .mysql ? "MySQL/MariaDB commits DDL implicitly" : "the migration runs without a transaction"
        let done = statement.index == 1 ? "none of its statements ran" : "statements 1-\(statement.index - 1) of it ran"
        let undo = statement.index == 1 ? "if you decide not to run it after all" : "if you undid statements 1-\(statement.index - 1)"
        return MigrationError(.dirty,
            "\(verb) migration \(migration.revision) (\(migration.description)) failed at statement \(statement.index) of "
            + "\(statement.total) (line \(statement.statement.line)), which cannot be rolled back because \(why): \(done), "
            + "and the history marks it dirty. Fix the cause, then run repair with action \"resume\" to continue from "
            + "statement \(statement.index), \"mark_applied\" if you finished it by hand, or \"mark_rolled_back\" \(undo)",
            revision: migration.revision, statementIndex: statement.index, statement: statement.statement.text,
            underlying: databaseError ?? DatabaseError(.other, String(describing: error)))
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let d = ContinuousClock.now - start
        return Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }
}
