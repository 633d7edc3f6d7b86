import DatabaseDriver
import Foundation

extension MigrationManager {
    /// `upgrade(target_revision)`: applies pending migrations in order up to `targetRevision` (all when `nil`).
    ///
    /// Refuses, changing nothing, when the history is dirty or an applied file was edited (drift), or when a
    /// pending migration is older than the newest applied one unless `options.outOfOrder`. Migrations another
    /// tool applied are adopted into the history first. With `dryRun`, returns the SQL that would run and
    /// takes no lock. Progress is reported per migration; cancelling the task stops between statements.
    public func upgrade(targetRevision: String? = nil, dryRun: Bool = false) async throws -> MigrationRunResult {
        let started = ContinuousClock.now
        if dryRun {
            return try await withState { state, _ in
                try checkClean(state)
                let pending = try state.pending(upTo: targetRevision)
                try checkOrder(state, pending: pending)
                let changes = try pending.map { try plannedChange($0, direction: .up) }
                return result(.up, state: state, changes: changes, pendingAfter: try state.pending().count,
                              current: state.currentRevision, started: started, dryRun: true,
                              rollbackAvailable: pending.allSatisfy(\.rollbackAvailable))
            }
        }
        return try await withLockedState { state, executor in
            try checkClean(state)
            var state = state
            if !state.adopted.isEmpty {
                try await adopt(state, executor: executor)
                state = try await readState(directory: state.directory, on: executor.connection)
            }
            let pending = try state.pending(upTo: targetRevision)
            try checkOrder(state, pending: pending)
            // The whole run on the connection's queue: no thread hop per migration or statement.
            let changes = try await executor.connection.perform { _ in
                var order = try await executor.history.nextOrder(on: executor.connection)
                var changes: [MigrationChange] = []
                for (i, migration) in pending.enumerated() {
                    try Task.checkCancellation()
                    report(migration, .up, .started, i + 1, pending.count)
                    let ms = try await executor.apply(migration, order: order)
                    order += 1
                    report(migration, .up, .finished, i + 1, pending.count, ms)
                    var change = try plannedChange(migration, direction: .up)
                    change.executionTimeMs = ms
                    changes.append(change)
                }
                return changes
            }
            let after = try await readState(directory: state.directory, on: executor.connection)
            let rollback = pending.isEmpty ? (after.current?.rollbackAvailable ?? false) : pending.allSatisfy(\.rollbackAvailable)
            return result(.up, state: state, changes: changes, pendingAfter: try after.pending().count,
                          current: after.currentRevision, started: started, dryRun: false, rollbackAvailable: rollback)
        }
    }

    /// `downgrade(target_revision)`: undoes applied migrations newer than `targetRevision`, newest first
    /// (`"base"` or `"0"` undoes all). With `steps` instead of a target, undoes that many.
    ///
    /// Checks before running anything that every migration to undo has downgrade SQL. Refuses on a dirty or
    /// drifted history. With `dryRun`, returns the SQL that would run and takes no lock.
    public func downgrade(targetRevision: String?, steps: Int? = nil, dryRun: Bool = false) async throws -> MigrationRunResult {
        let started = ContinuousClock.now
        let direction: MigrationDirection = targetRevision == nil ? .rollback : .down
        if dryRun {
            return try await withState { state, _ in
                let revert = try revertPlan(state, targetRevision: targetRevision, steps: steps)
                let changes = try revert.map { try plannedChange($0, direction: .down) }
                return result(direction, state: state, changes: changes, pendingAfter: try state.pending().count,
                              current: state.currentRevision, started: started, dryRun: true,
                              rollbackAvailable: state.current?.rollbackAvailable ?? false)
            }
        }
        return try await withLockedState { state, executor in
            let revert = try revertPlan(state, targetRevision: targetRevision, steps: steps)
            let applied = state.applied
            let changes = try await executor.connection.perform { _ in
                var remaining = applied
                var changes: [MigrationChange] = []
                for (i, migration) in revert.enumerated() {
                    try Task.checkCancellation()
                    remaining.removeAll { $0.revision == migration.revision }
                    report(migration, .down, .started, i + 1, revert.count)
                    let ms = try await executor.revert(migration, previous: remaining.last)
                    report(migration, .down, .finished, i + 1, revert.count, ms)
                    var change = try plannedChange(migration, direction: .down)
                    change.executionTimeMs = ms
                    changes.append(change)
                }
                return changes
            }
            let after = try await readState(directory: state.directory, on: executor.connection)
            return result(direction, state: state, changes: changes, pendingAfter: try after.pending().count,
                          current: after.currentRevision, started: started, dryRun: false,
                          rollbackAvailable: after.current?.rollbackAvailable ?? false)
        }
    }

    // MARK: helpers

    /// The migrations `downgrade` undoes, newest first, after checking the history is clean and each has
    /// downgrade SQL.
    func revertPlan(_ state: MigrationState, targetRevision: String?, steps: Int?) throws(MigrationError) -> [Migration] {
        try checkClean(state)
        let revert = try state.toRevert(downTo: targetRevision, steps: targetRevision == nil ? (steps ?? 1) : nil)
        let irreversible = revert.filter { !$0.rollbackAvailable }
        guard irreversible.isEmpty else {
            throw MigrationError(.irreversible,
                "cannot downgrade: no downgrade SQL for " + irreversible.map(\.revision).joined(separator: ", ")
                + "; nothing was changed", revision: irreversible[0].revision)
        }
        return revert
    }

    func checkOrder(_ state: MigrationState, pending: [Migration]) throws(MigrationError) {
        let late = state.outOfOrder(in: pending)
        guard !late.isEmpty, !options.outOfOrder else { return }
        throw MigrationError(.outOfOrder,
            "pending migrations are older than the newest applied one (\(state.current?.revision ?? "?")): "
            + late.map(\.revision).joined(separator: ", ")
            + ". They were probably merged late from a branch. Apply them with out_of_order: true, or renumber them",
            revision: late[0].revision)
    }

    /// Writes the toolkit's history rows for migrations only the other tool's table records.
    func adopt(_ state: MigrationState, executor: MigrationExecutor) async throws {
        var order = try await executor.history.nextOrder(on: executor.connection)
        for migration in state.directory.migrations where state.adopted.contains(migration.revision) {
            let entry = HistoryEntry(revision: migration.revision, description: migration.description, kind: migration.kind,
                                     checksum: migration.checksum, appliedAt: Date(), appliedBy: user, executionTimeMs: 0,
                                     success: true, statementsApplied: 0, appliedOrder: order,
                                     source: "adopted:" + state.directory.format.rawValue)
            try await executor.history.write(entry, on: executor.connection)
            order += 1
        }
    }

    func plannedChange(_ migration: Migration, direction: MigrationDirection) throws(MigrationError) -> MigrationChange {
        let sql = direction == .down ? (migration.downgradeSQL ?? "") : migration.upgradeSQL
        let statements = try StatementSplitter(dialect: configuration.dialect).split(sql)
        let mode = ExecutionMode.choose(statements: statements, transactional: migration.transactional,
                                        dialect: configuration.dialect)
        return MigrationChange(revision: migration.revision, description: migration.description, direction: direction,
                               mode: mode == .transactional ? "transactional" : "statement_by_statement",
                               sql: sql, statements: statements.count, executionTimeMs: 0)
    }

    func report(_ migration: Migration, _ direction: MigrationDirection, _ phase: MigrationProgress.Phase,
                _ index: Int, _ total: Int, _ ms: Int? = nil) {
        progress?(MigrationProgress(revision: migration.revision, description: migration.description, direction: direction,
                                    phase: phase, index: index, total: total, executionTimeMs: ms))
    }

    func result(_ direction: MigrationDirection, state: MigrationState, changes: [MigrationChange], pendingAfter: Int,
                current: String?, started: ContinuousClock.Instant, dryRun: Bool, rollbackAvailable: Bool) -> MigrationRunResult {
        let elapsed = ContinuousClock.now - started
        return MigrationRunResult(
            direction: direction, migrationsExecuted: dryRun ? 0 : changes.count, migrationsPending: pendingAfter,
            currentVersion: current, previousVersion: state.currentRevision,
            executionTime: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            rollbackAvailable: rollbackAvailable, dryRun: dryRun, changesApplied: changes, success: true)
    }
}
