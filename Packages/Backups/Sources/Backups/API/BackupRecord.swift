import Foundation

/// The spec's `Backup` (001's dict shape) with 000's `BackupResult` fields: what `backup_database`,
/// `create_backup` and `list_backups` return for each backup.
public struct BackupRecord: Sendable, Codable, Hashable {
    public var id: String
    /// 000's `name`: the backup's id.
    public var name: String
    public var databaseName: String
    public var backupType: BackupType
    /// The directory holding the backup (and its chain).
    public var destination: String
    public var compression: CompressionCodec
    public var encryption: String
    public var sizeMB: Double
    public var sizeBytes: Int64
    /// ISO 8601 in UTC (`2026-11-21T06:00:00Z`).
    public var createdAt: String
    /// `completed` for every listed backup: one being written or interrupted is never listed.
    public var status: String
    public var retentionDays: Int?
    /// SHA-256 of the manifest, which holds the SHA-256 of every chunk.
    public var verificationHash: String
    /// 000's `checksum`: the same value as `verification_hash`.
    public var checksum: String
    public var restoreTested: Bool
    /// 000's `file_path`: the backup's directory, the `backup_path` the other methods take.
    public var filePath: String
    public var engine: String
    public var serverVersion: String
    public var parentBackup: String?

    init(_ backup: StoredBackup) {
        self.init(backup.manifest, directory: backup.directory, manifestSHA256: backup.manifestSHA256, verification: backup.verification)
    }

    init(_ backup: BackupSummary) {
        self.init(backup.fields, directory: backup.directory, manifestSHA256: backup.manifestSHA256, verification: backup.verification)
    }

    private init(_ m: Manifest, directory: URL, manifestSHA256: String, verification: VerificationRecord?) {
        id = m.id
        name = m.id
        databaseName = m.databaseName
        backupType = m.backupType
        destination = directory.deletingLastPathComponent().path
        compression = m.compression
        encryption = m.encryption
        sizeBytes = m.storedBytes
        sizeMB = (Double(m.storedBytes) / 1_048_576 * 1000).rounded() / 1000
        createdAt = m.createdAt.formatted(.iso8601)
        status = "completed"
        retentionDays = m.retentionDays
        verificationHash = manifestSHA256
        checksum = manifestSHA256
        restoreTested = verification?.restoreTested ?? false
        filePath = directory.path
        engine = m.engine
        serverVersion = m.serverVersion
        parentBackup = m.parentBackup
    }

    enum CodingKeys: String, CodingKey {
        case id, name, destination, compression, encryption, status, checksum, engine
        case databaseName = "database_name"
        case backupType = "backup_type"
        case sizeMB = "size_mb"
        case sizeBytes = "size_bytes"
        case createdAt = "created_at"
        case retentionDays = "retention_days"
        case verificationHash = "verification_hash"
        case restoreTested = "restore_tested"
        case filePath = "file_path"
        case serverVersion = "server_version"
        case parentBackup = "parent_backup"
    }
}

/// What `Backup.get_info` returns: the record, the tables with their row counts, and the chain.
public struct BackupInfo: Sendable, Codable, Hashable {
    public var backup: BackupRecord
    public var tables: [Manifest.TableSummary]
    /// Ids of the backups holding chunks this one needs (empty for a self-contained full backup).
    public var dependsOn: [String]
    /// Ids of the backups that need chunks held by this one.
    public var neededBy: [String]
    public var logicalBytes: Int64
    public var chunkCount: Int

    enum CodingKeys: String, CodingKey {
        case backup, tables
        case dependsOn = "depends_on"
        case neededBy = "needed_by"
        case logicalBytes = "logical_bytes"
        case chunkCount = "chunk_count"
    }
}
