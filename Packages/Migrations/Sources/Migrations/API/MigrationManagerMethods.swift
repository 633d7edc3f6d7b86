import DatabaseDriver

/// Params of `MigrationManager.upgrade`: the manager's, plus `target_revision` and `dry_run`.
public struct UpgradeParams: Sendable, Codable {
    public var manager: MigrationManagerParams
    public var targetRevision: String?
    public var dryRun: Bool

    public init(manager: MigrationManagerParams, targetRevision: String? = nil, dryRun: Bool = false) {
        self.manager = manager
        self.targetRevision = targetRevision
        self.dryRun = dryRun
    }

    enum CodingKeys: String, CodingKey { case targetRevision = "target_revision", dryRun = "dry_run" }

    public init(from decoder: any Decoder) throws {
        manager = try MigrationManagerParams(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        targetRevision = try c.decodeIfPresent(String.self, forKey: .targetRevision)
        dryRun = try c.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        try manager.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(targetRevision, forKey: .targetRevision)
        try c.encode(dryRun, forKey: .dryRun)
    }
}

/// Params of `MigrationManager.downgrade`: the manager's, plus `target_revision` (`"base"` for all), or
/// `steps`, and `dry_run`.
public struct DowngradeParams: Sendable, Codable {
    public var manager: MigrationManagerParams
    public var targetRevision: String?
    public var steps: Int?
    public var dryRun: Bool

    public init(manager: MigrationManagerParams, targetRevision: String?, steps: Int? = nil, dryRun: Bool = false) {
        self.manager = manager
        self.targetRevision = targetRevision
        self.steps = steps
        self.dryRun = dryRun
    }

    enum CodingKeys: String, CodingKey { case targetRevision = "target_revision", steps, dryRun = "dry_run" }

    public init(from decoder: any Decoder) throws {
        manager = try MigrationManagerParams(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        targetRevision = try c.decodeIfPresent(String.self, forKey: .targetRevision)
        steps = try c.decodeIfPresent(Int.self, forKey: .steps)
        dryRun = try c.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        try manager.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(targetRevision, forKey: .targetRevision)
        try c.encodeIfPresent(steps, forKey: .steps)
        try c.encode(dryRun, forKey: .dryRun)
    }
}

/// Params of `MigrationManager.create_migration`: `migration_dir`, `description`, and the optional
/// `upgrade_sql`, `downgrade_sql`, `dependencies`, `revision`, `format`. No database is needed.
public struct CreateMigrationParams: Sendable, Codable {
    public var manager: MigrationManagerParams
    public var description: String
    public var upgradeSQL: String?
    public var downgradeSQL: String?
    public var dependencies: [String]
    public var revision: String?

    public init(manager: MigrationManagerParams, description: String, upgradeSQL: String? = nil, downgradeSQL: String? = nil,
                dependencies: [String] = [], revision: String? = nil) {
        self.manager = manager
        self.description = description
        self.upgradeSQL = upgradeSQL
        self.downgradeSQL = downgradeSQL
        self.dependencies = dependencies
        self.revision = revision
    }

    enum CodingKeys: String, CodingKey {
        case description, dependencies, revision
        case upgradeSQL = "upgrade_sql", downgradeSQL = "downgrade_sql", upSQL = "up_sql", downSQL = "down_sql"
    }

    public init(from decoder: any Decoder) throws {
        manager = try MigrationManagerParams(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decode(String.self, forKey: .description)
        upgradeSQL = try c.decodeIfPresent(String.self, forKey: .upgradeSQL) ?? c.decodeIfPresent(String.self, forKey: .upSQL)
        downgradeSQL = try c.decodeIfPresent(String.self, forKey: .downgradeSQL) ?? c.decodeIfPresent(String.self, forKey: .downSQL)
        dependencies = try c.decodeIfPresent([String].self, forKey: .dependencies) ?? []
        revision = try c.decodeIfPresent(String.self, forKey: .revision)
    }

    public func encode(to encoder: any Encoder) throws {
        try manager.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(description, forKey: .description)
        try c.encodeIfPresent(upgradeSQL, forKey: .upgradeSQL)
        try c.encodeIfPresent(downgradeSQL, forKey: .downgradeSQL)
        try c.encode(dependencies, forKey: .dependencies)
        try c.encodeIfPresent(revision, forKey: .revision)
    }

    /// Writes the migration. No database connection is opened.
    public func run() throws(MigrationError) -> Migration {
        let config = manager.connection ?? ConnectionConfiguration(dialect: .sqlite, database: ":memory:")
        return try MigrationManager(migrationDirectory: manager.migrationDir, configuration: config, options: manager.options)
            .createMigration(description: description, upgradeSQL: upgradeSQL, downgradeSQL: downgradeSQL,
                             dependencies: dependencies, revision: revision)
    }
}

/// Params of `MigrationManager.repair`: the manager's, plus `action` and the optional `revision`.
public struct RepairParams: Sendable, Codable {
    public var manager: MigrationManagerParams
    public var action: RepairAction
    public var revision: String?

    public init(manager: MigrationManagerParams, action: RepairAction, revision: String? = nil) {
        self.manager = manager
        self.action = action
        self.revision = revision
    }

    enum CodingKeys: String, CodingKey { case action, revision }

    public init(from decoder: any Decoder) throws {
        manager = try MigrationManagerParams(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        action = try c.decode(RepairAction.self, forKey: .action)
        revision = try c.decodeIfPresent(String.self, forKey: .revision)
    }

    public func encode(to encoder: any Encoder) throws {
        try manager.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(action, forKey: .action)
        try c.encodeIfPresent(revision, forKey: .revision)
    }
}

/// Params of `MigrationManager.baseline`: the manager's, plus `revision` (or `target_revision`).
public struct BaselineParams: Sendable, Codable {
    public var manager: MigrationManagerParams
    public var revision: String

    public init(manager: MigrationManagerParams, revision: String) {
        self.manager = manager
        self.revision = revision
    }

    enum CodingKeys: String, CodingKey { case revision, targetRevision = "target_revision" }

    public init(from decoder: any Decoder) throws {
        manager = try MigrationManagerParams(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let revision = try c.decodeIfPresent(String.self, forKey: .revision)
            ?? c.decodeIfPresent(String.self, forKey: .targetRevision) else {
            throw DecodingError.keyNotFound(CodingKeys.revision, .init(codingPath: c.codingPath, debugDescription: "baseline needs \"revision\""))
        }
        self.revision = revision
    }

    public func encode(to encoder: any Encoder) throws {
        try manager.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(revision, forKey: .revision)
    }
}
