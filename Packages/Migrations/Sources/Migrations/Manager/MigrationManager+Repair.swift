import DatabaseDriver
import Foundation

extension MigrationManager {
    /// `repair`: the guided way out of a dirty or drifted history, so nobody edits the history table by hand.
    ///
    /// - `resume`: runs the dirty migration's remaining statements, starting with the one that failed (fix the
    ///   cause first; you may fix that statement in the file, the ones before it must stay as they are).
    /// - `mark_applied`: the dirty migration was completed by hand.
    /// - `mark_rolled_back`: the dirty migration's applied statements were undone by hand.
    /// - `accept_checksums`: edits to applied migrations are intended; records the files' current checksums
    ///   (only `revision`'s when given).
    /// - Throws: `MigrationError.invalidRequest` when there is nothing to repair (no dirty migration, or
    ///   `revision` is not the dirty one); whatever `resume` hits while running SQL.
    public func repair(action: RepairAction, revision: String? = nil) async throws -> RepairResult {
        try await withLockedState { state, executor in
            let connection = executor.connection
            if action == .acceptChecksums {
                let drifted = state.drifted.filter { revision == nil || $0.migration.revision == revision }
                for (migration, _) in drifted {
                    try await executor.history.updateChecksum(revision: migration.revision, checksum: migration.checksum, on: connection)
                }
                return RepairResult(action: action, revisions: drifted.map(\.migration.revision),
                                    message: drifted.isEmpty ? "no applied migration was edited; nothing to accept"
                                        : "recorded the current checksums of \(drifted.count) edited migration(s)",
                                    currentRevision: state.currentRevision)
            }
            if let entry = state.dirty {
                return try await repairDirty(entry, action: action, revision: revision, state: state, executor: executor)
            }
            if let toolDirty = state.tool.dirtyRevision {
                return try await repairToolDirty(toolDirty, action: action, revision: revision, state: state, executor: executor)
            }
            throw MigrationError(.invalidRequest, "no migration is dirty; there is nothing to \(action.rawValue)")
        }
    }

    private func repairDirty(_ entry: HistoryEntry, action: RepairAction, revision: String?, state: MigrationState,
                             executor: MigrationExecutor) async throws -> RepairResult {
        if let revision, revision != entry.revision {
            throw MigrationError(.invalidRequest, "migration \(revision) is not dirty; \(entry.revision) is", revision: revision)
        }
        let migration = state.directory.migrations.first { $0.revision == entry.revision && $0.kind == entry.kind }
        let previous = state.applied.last { $0.revision != entry.revision }
        let connection = executor.connection
        switch action {
        case .resume:
            guard let migration else {
                throw MigrationError(.invalidRequest, "cannot resume \(entry.revision): its file is not in the directory", revision: entry.revision)
            }
            _ = try await executor.resume(migration, entry: entry, previous: previous)
            let after = try await readState(directory: state.directory, on: connection)
            return RepairResult(action: action, revisions: [entry.revision],
                                message: "resumed \(entry.revision) from statement \(entry.statementsApplied + 1); it is "
                                    + (entry.direction == .down ? "rolled back" : "applied"),
                                currentRevision: after.currentRevision)
        case .markApplied:
            if entry.direction == .down {
                // The rollback was finished by hand: the migration is no longer applied.
                try await executor.history.delete(revision: entry.revision, on: connection)
                if let migration { try await executor.tool?.recordReverted(migration, previous: previous, user: user, executionTimeMs: 0, on: connection) }
            } else {
                try await executor.history.recordSuccess(revision: entry.revision, checksum: migration?.checksum ?? entry.checksum,
                                                         statementsApplied: entry.statementsApplied,
                                                         executionTimeMs: entry.executionTimeMs, on: connection)
                if let migration { try await executor.tool?.recordApplied(migration, executionTimeMs: entry.executionTimeMs, user: user, on: connection) }
            }
        case .markRolledBack:
            if entry.direction == .down {
                // The rollback's statements were undone: the migration is applied again.
                try await executor.history.recordSuccess(revision: entry.revision, checksum: migration?.checksum ?? entry.checksum,
                                                         statementsApplied: 0, executionTimeMs: entry.executionTimeMs, on: connection)
                try await executor.tool?.clearDirty(current: migration ?? previous, on: connection)
            } else {
                try await executor.history.delete(revision: entry.revision, on: connection)
                try await executor.tool?.clearDirty(current: previous, on: connection)
            }
        case .acceptChecksums:
            break
        }
        let after = try await readState(directory: state.directory, on: connection)
        return RepairResult(action: action, revisions: [entry.revision],
                            message: "\(entry.revision) marked \(action == .markApplied ? "applied" : "rolled back")",
                            currentRevision: after.currentRevision)
    }

    /// The other tool left a migration dirty (golang-migrate `dirty = true`, a failed Flyway row): the toolkit
    /// does not know how far it got, so it can only be marked.
    private func repairToolDirty(_ revision: String, action: RepairAction, revision requested: String?, state: MigrationState,
                                 executor: MigrationExecutor) async throws -> RepairResult {
        if let requested, requested != revision {
            throw MigrationError(.invalidRequest, "migration \(requested) is not dirty; \(revision) is", revision: requested)
        }
        let migration = state.directory.migrations.first { $0.revision == revision }
        let connection = executor.connection
        switch action {
        case .resume:
            throw MigrationError(.invalidRequest,
                "\(revision) was left dirty by \(state.directory.format.rawValue), which does not record how far it got; "
                + "check the database, then use \"mark_applied\" or \"mark_rolled_back\"", revision: revision)
        case .markApplied:
            guard let migration else {
                throw MigrationError(.invalidRequest, "cannot mark \(revision) applied: its file is not in the directory", revision: revision)
            }
            try await executor.tool?.clearDirty(current: migration, on: connection)
            if state.directory.format == .flyway {
                try await executor.tool?.recordApplied(migration, executionTimeMs: 0, user: user, on: connection)
            }
        case .markRolledBack:
            let previous = state.applied.last { $0.revision != revision }
            try await executor.tool?.clearDirty(current: previous, on: connection)
        case .acceptChecksums:
            break
        }
        let after = try await readState(directory: state.directory, on: connection)
        return RepairResult(action: action, revisions: [revision],
                            message: "\(revision) marked \(action == .markApplied ? "applied" : "rolled back") in \(state.directory.format.rawValue)'s history",
                            currentRevision: after.currentRevision)
    }

    /// `baseline`: marks an existing database as being at `revision` without running anything: every versioned
    /// migration up to it is recorded as applied (source `baseline`), and the other tool's table says the same.
    /// - Throws: `MigrationError.invalidRequest` when the database already has migration history;
    ///   `.unknownRevision` when `revision` is not in the directory.
    public func baseline(revision: String) async throws -> BaselineResult {
        try await withLockedState { state, executor in
            guard state.history.isEmpty && state.adopted.isEmpty else {
                throw MigrationError(.invalidRequest,
                    "the database already has migration history (current revision \(state.currentRevision ?? "none")); baseline is for databases with none")
            }
            guard let position = state.position[revision] else {
                throw MigrationError(.unknownRevision, "baseline revision \(revision) is not a migration in \(state.directory.path)", revision: revision)
            }
            let marked = state.directory.migrations[...position].filter { $0.kind == .versioned }
            var order = try await executor.history.nextOrder(on: executor.connection)
            for migration in marked {
                try await executor.history.write(HistoryEntry(
                    revision: migration.revision, description: migration.description, kind: migration.kind,
                    checksum: migration.checksum, appliedAt: Date(), appliedBy: user, executionTimeMs: 0, success: true,
                    statementsApplied: 0, appliedOrder: order, source: "baseline"), on: executor.connection)
                order += 1
            }
            if let last = marked.last {
                try await executor.tool?.recordBaseline(last, applied: Array(marked), user: user, on: executor.connection)
            }
            return BaselineResult(revision: revision, migrationsMarked: marked.count, currentRevision: marked.last?.revision)
        }
    }
}
