import DatabaseDriver

/// Params of `run_migrations`, accepting both of the spec's variants:
/// - 000: `migration_dir`, `database_url`, `target_revision`, `dry_run`;
/// - 001: `migration_path`, `connection_config`, `direction` (`up`, `down`, `latest`, `rollback`) and the
///   kwargs `target_version`, `dry_run`, `steps`, `out_of_order`, `migrations_table`, `format`, `lock_timeout`.
public struct RunMigrationsParams: Sendable, Codable {
    public var manager: MigrationManagerParams
    public var direction: MigrationDirection
    public var targetRevision: String?
    public var steps: Int?
    public var dryRun: Bool

    public init(manager: MigrationManagerParams, direction: MigrationDirection = .up, targetRevision: String? = nil,
                steps: Int? = nil, dryRun: Bool = false) {
        self.manager = manager
        self.direction = direction
        self.targetRevision = targetRevision
        self.steps = steps
        self.dryRun = dryRun
    }

    enum CodingKeys: String, CodingKey {
        case direction, steps
        case targetRevision = "target_revision", targetVersion = "target_version", dryRun = "dry_run"
    }

    public init(from decoder: any Decoder) throws {
        manager = try MigrationManagerParams(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        direction = try c.decodeIfPresent(MigrationDirection.self, forKey: .direction) ?? .up
        targetRevision = try c.decodeIfPresent(String.self, forKey: .targetRevision) ?? c.decodeIfPresent(String.self, forKey: .targetVersion)
        steps = try c.decodeIfPresent(Int.self, forKey: .steps)
        dryRun = try c.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        try manager.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(direction, forKey: .direction)
        try c.encodeIfPresent(targetRevision, forKey: .targetRevision)
        try c.encodeIfPresent(steps, forKey: .steps)
        try c.encode(dryRun, forKey: .dryRun)
    }
}

/// `run_migrations`: one call that brings a database up or down.
///
/// - `up`: pending migrations up to the target (all without one);
/// - `latest`: every pending migration, ignoring any target;
/// - `down`: undo down to the target (kept applied), or the last `steps` (default 1) without one;
/// - `rollback`: undo the last `steps` (default 1).
public func runMigrations(_ params: RunMigrationsParams, progress: MigrationProgressHandler? = nil,
                          connect: MigrationConnectionFactory? = nil) async throws -> MigrationRunResult {
    let manager = try params.manager.manager(progress: progress, connect: connect)
    var result: MigrationRunResult
    switch params.direction {
    case .up:
        result = try await manager.upgrade(targetRevision: params.targetRevision, dryRun: params.dryRun)
    case .latest:
        result = try await manager.upgrade(targetRevision: nil, dryRun: params.dryRun)
    case .down:
        result = try await manager.downgrade(targetRevision: params.targetRevision, steps: params.steps, dryRun: params.dryRun)
    case .rollback:
        result = try await manager.downgrade(targetRevision: nil, steps: params.steps ?? 1, dryRun: params.dryRun)
    }
    result.direction = params.direction
    return result
}
