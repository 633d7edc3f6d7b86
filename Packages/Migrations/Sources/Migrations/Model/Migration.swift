import Foundation

/// One migration: the spec's `Migration` data structure, read from a file or from the history table.
///
/// It encodes with both of the spec's key sets, so a result reads the same to callers of either variant:
/// 001's `version`, `name`, `description`, `up_sql`, `down_sql`, `checksum`, `applied_at`, `applied_by`,
/// `execution_time_ms`, `success`, `rollback_available`, `dependencies`, and 000's `revision`,
/// `upgrade_sql`, `downgrade_sql`, `created_at`. Decoding accepts either spelling.
public struct Migration: Sendable, Hashable {
    /// The version that orders the migration (`0003`, `1.12.39`, `20240101120000`); for repeatable
    /// Flyway migrations `R__<description>`.
    public var revision: String
    /// The file's name without directory and extension (`0003_add_users`, `V1_2__add_users`).
    public var name: String
    public var description: String
    public var upgradeSQL: String
    /// The SQL that reverses the migration, or `nil` when there is none (the migration is up-only).
    public var downgradeSQL: String?
    /// Lower-case hex SHA-256 of the file that holds `upgradeSQL`.
    public var checksum: String
    /// Revisions that must be applied before this one (the toolkit's format: `-- dbm:depends-on`).
    public var dependencies: [String]
    /// When the file was last modified, or when the migration was created.
    public var createdAt: Date?
    /// Set once applied: when, by whom, how long it took, whether it completed.
    public var appliedAt: Date?
    public var appliedBy: String?
    public var executionTimeMs: Int?
    public var success: Bool?
    public var kind: MigrationKind
    /// False when the file opts out of the transaction (`-- dbm:no-transaction`, dbmate `transaction:false`)
    /// or manages its own (`BEGIN; ... COMMIT;`).
    public var transactional: Bool
    /// The files it was read from.
    public var files: [String]

    public init(
        revision: String, name: String? = nil, description: String, upgradeSQL: String, downgradeSQL: String? = nil,
        checksum: String? = nil, dependencies: [String] = [], createdAt: Date? = nil, kind: MigrationKind = .versioned,
        transactional: Bool = true, files: [String] = []
    ) {
        self.revision = revision
        self.name = name ?? revision
        self.description = description
        self.upgradeSQL = upgradeSQL
        self.downgradeSQL = downgradeSQL
        self.checksum = checksum ?? Checksums.sha256(Data(upgradeSQL.utf8))
        self.dependencies = dependencies
        self.createdAt = createdAt
        self.kind = kind
        self.transactional = transactional
        self.files = files
    }

    /// True when it has a downgrade. An empty down file is an explicit no-op downgrade (as in golang-migrate);
    /// no down file at all means the migration cannot be undone.
    public var rollbackAvailable: Bool { downgradeSQL != nil }
}

extension Migration: Codable {
    enum CodingKeys: String, CodingKey {
        case version, revision, name, description
        case upSQL = "up_sql", upgradeSQL = "upgrade_sql", downSQL = "down_sql", downgradeSQL = "downgrade_sql"
        case checksum, dependencies
        case createdAt = "created_at", appliedAt = "applied_at", appliedBy = "applied_by"
        case executionTimeMs = "execution_time_ms", success
        case rollbackAvailable = "rollback_available"
        case kind, transactional, files
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let revision = try c.decodeIfPresent(String.self, forKey: .revision)
            ?? c.decodeIfPresent(String.self, forKey: .version) else {
            throw DecodingError.keyNotFound(CodingKeys.revision, .init(codingPath: c.codingPath,
                debugDescription: "a migration needs \"revision\" or \"version\""))
        }
        let up = try c.decodeIfPresent(String.self, forKey: .upgradeSQL) ?? c.decodeIfPresent(String.self, forKey: .upSQL) ?? ""
        let down = try c.decodeIfPresent(String.self, forKey: .downgradeSQL) ?? c.decodeIfPresent(String.self, forKey: .downSQL)
        self.init(
            revision: revision,
            name: try c.decodeIfPresent(String.self, forKey: .name),
            description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
            upgradeSQL: up, downgradeSQL: down,
            checksum: try c.decodeIfPresent(String.self, forKey: .checksum),
            dependencies: try c.decodeIfPresent([String].self, forKey: .dependencies) ?? [],
            createdAt: try c.decodeTimestampIfPresent(forKey: .createdAt),
            kind: try c.decodeIfPresent(MigrationKind.self, forKey: .kind) ?? .versioned,
            transactional: try c.decodeIfPresent(Bool.self, forKey: .transactional) ?? true,
            files: try c.decodeIfPresent([String].self, forKey: .files) ?? [])
        appliedAt = try c.decodeTimestampIfPresent(forKey: .appliedAt)
        appliedBy = try c.decodeIfPresent(String.self, forKey: .appliedBy)
        executionTimeMs = try c.decodeIfPresent(Int.self, forKey: .executionTimeMs)
        success = try c.decodeIfPresent(Bool.self, forKey: .success)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(revision, forKey: .version)
        try c.encode(revision, forKey: .revision)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(upgradeSQL, forKey: .upSQL)
        try c.encode(upgradeSQL, forKey: .upgradeSQL)
        try c.encode(downgradeSQL, forKey: .downSQL)
        try c.encode(downgradeSQL, forKey: .downgradeSQL)
        try c.encode(checksum, forKey: .checksum)
        try c.encode(dependencies, forKey: .dependencies)
        try c.encodeTimestamp(createdAt, forKey: .createdAt)
        try c.encodeTimestamp(appliedAt, forKey: .appliedAt)
        try c.encode(appliedBy, forKey: .appliedBy)
        try c.encode(executionTimeMs, forKey: .executionTimeMs)
        try c.encode(success, forKey: .success)
        try c.encode(rollbackAvailable, forKey: .rollbackAvailable)
        try c.encode(kind, forKey: .kind)
        try c.encode(transactional, forKey: .transactional)
        try c.encode(files, forKey: .files)
    }
}
