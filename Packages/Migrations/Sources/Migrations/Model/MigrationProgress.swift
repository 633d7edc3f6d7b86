/// One report of a long run: sent when a migration starts and when it finishes (the server maps it to
/// `$/progress`).
public struct MigrationProgress: Sendable, Hashable, Codable {
    public enum Phase: String, Sendable, Hashable, Codable { case started, finished }

    public var revision: String
    public var description: String
    public var direction: MigrationDirection
    public var phase: Phase
    /// 1-based position in this run, and the run's number of migrations.
    public var index: Int
    public var total: Int
    /// Set when `phase` is `.finished`.
    public var executionTimeMs: Int?

    public init(revision: String, description: String, direction: MigrationDirection, phase: Phase,
                index: Int, total: Int, executionTimeMs: Int? = nil) {
        self.revision = revision
        self.description = description
        self.direction = direction
        self.phase = phase
        self.index = index
        self.total = total
        self.executionTimeMs = executionTimeMs
    }

    enum CodingKeys: String, CodingKey {
        case revision, description, direction, phase, index, total
        case executionTimeMs = "execution_time_ms"
    }
}

/// Called once per migration per phase. Must be cheap and must not block: it runs on the runner's task.
public typealias MigrationProgressHandler = @Sendable (MigrationProgress) -> Void

/// Which way a run goes: the spec's `direction`.
public enum MigrationDirection: String, Sendable, Hashable, Codable, CaseIterable {
    /// Apply pending migrations up to `target_version` (all when none is given).
    case up
    /// Undo applied migrations down to `target_version` (kept applied), or the last `steps` (default 1).
    case down
    /// Apply every pending migration, ignoring any target.
    case latest
    /// Undo the last `steps` applied migrations (default 1).
    case rollback
}
