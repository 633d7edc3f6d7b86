/// One migration run (or, with `dry_run`, one that would run) in a `MigrationRunResult`.
public struct MigrationChange: Sendable, Hashable, Codable {
    public var revision: String
    public var description: String
    public var direction: MigrationDirection
    /// `transactional` or `statement_by_statement`.
    public var mode: String
    /// The SQL that ran or would run.
    public var sql: String
    public var statements: Int
    /// Zero for a dry run.
    public var executionTimeMs: Int

    enum CodingKeys: String, CodingKey {
        case revision, description, direction, mode, sql, statements
        case executionTimeMs = "execution_time_ms"
    }
}

/// What `upgrade`, `downgrade` and `run_migrations` return: 001's dict (`direction`, `migrations_executed`,
/// `migrations_pending`, `current_version`, `execution_time`, `rollback_available`, `dry_run`,
/// `changes_applied`) plus `previous_version` and `success`.
public struct MigrationRunResult: Sendable, Hashable, Codable {
    public var direction: MigrationDirection
    public var migrationsExecuted: Int
    /// Migrations still pending after the run (before it, for a dry run).
    public var migrationsPending: Int
    /// The revision the database is at after the run (unchanged by a dry run); `nil` when none is applied.
    public var currentVersion: String?
    public var previousVersion: String?
    /// Seconds.
    public var executionTime: Double
    /// True when every migration of the run (or, when none ran, the current one) has downgrade SQL.
    public var rollbackAvailable: Bool
    public var dryRun: Bool
    public var changesApplied: [MigrationChange]
    public var success: Bool

    enum CodingKeys: String, CodingKey {
        case direction
        case migrationsExecuted = "migrations_executed", migrationsPending = "migrations_pending"
        case currentVersion = "current_version", previousVersion = "previous_version"
        case executionTime = "execution_time", rollbackAvailable = "rollback_available"
        case dryRun = "dry_run", changesApplied = "changes_applied", success
    }

    /// Writes every key of 001's dict, `null` included, so callers see the documented shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(direction, forKey: .direction)
        try c.encode(migrationsExecuted, forKey: .migrationsExecuted)
        try c.encode(migrationsPending, forKey: .migrationsPending)
        try c.encode(currentVersion, forKey: .currentVersion)
        try c.encode(previousVersion, forKey: .previousVersion)
        try c.encode(executionTime, forKey: .executionTime)
        try c.encode(rollbackAvailable, forKey: .rollbackAvailable)
        try c.encode(dryRun, forKey: .dryRun)
        try c.encode(changesApplied, forKey: .changesApplied)
        try c.encode(success, forKey: .success)
    }
}

/// What `repair` did.
public struct RepairResult: Sendable, Hashable, Codable {
    public var action: RepairAction
    /// The migrations it changed.
    public var revisions: [String]
    public var message: String
    public var currentRevision: String?

    enum CodingKeys: String, CodingKey {
        case action, revisions, message
        case currentRevision = "current_revision"
    }
}

/// The ways out of a dirty or drifted history that `repair` offers.
public enum RepairAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Run the dirty migration's remaining statements, from the one that failed (fix its cause first; the
    /// statements before it must stay as they were).
    case resume
    /// The dirty migration was finished by hand: mark it applied.
    case markApplied = "mark_applied"
    /// The dirty migration's applied statements were undone by hand: forget it.
    case markRolledBack = "mark_rolled_back"
    /// Edits to applied migrations are intended: record the files' current checksums.
    case acceptChecksums = "accept_checksums"
}

/// What `baseline` did.
public struct BaselineResult: Sendable, Hashable, Codable {
    public var revision: String
    /// How many migrations were marked applied without running.
    public var migrationsMarked: Int
    public var currentRevision: String?

    enum CodingKeys: String, CodingKey {
        case revision
        case migrationsMarked = "migrations_marked"
        case currentRevision = "current_revision"
    }
}

/// A summary for `dbm-client migrate status`.
public struct MigrationStatusReport: Sendable, Hashable, Codable {
    public var format: MigrationFormat
    public var currentRevision: String?
    public var applied: Int
    public var pending: [String]
    public var outOfOrder: [String]
    public var drifted: [String]
    public var missingFiles: [String]
    public var dirty: HistoryEntry?
    public var ignoredFiles: [String]

    enum CodingKeys: String, CodingKey {
        case format, applied, pending, dirty, drifted
        case currentRevision = "current_revision", outOfOrder = "out_of_order"
        case missingFiles = "missing_files", ignoredFiles = "ignored_files"
    }
}
