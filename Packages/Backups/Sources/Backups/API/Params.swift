import DatabaseDriver
import Foundation

/// Where the database is: a URL (`database_url`, 000) or the spec's `connection_config` dict (001).
public struct DatabaseLocation: Sendable, Codable, Hashable {
    public var databaseURL: String?
    public var connectionConfig: ConnectionConfiguration?

    public init(databaseURL: String? = nil, connectionConfig: ConnectionConfiguration? = nil) {
        self.databaseURL = databaseURL
        self.connectionConfig = connectionConfig
    }

    enum CodingKeys: String, CodingKey {
        case databaseURL = "database_url"
        case connectionConfig = "connection_config"
    }

    /// The configuration to connect with. Throws `.invalidArgument` when neither key is given.
    public func configuration() throws(BackupError) -> ConnectionConfiguration {
        if let connectionConfig { return connectionConfig }
        guard let databaseURL else {
            throw BackupError(.invalidArgument, "give database_url or connection_config")
        }
        do {
            return try ConnectionConfiguration(url: databaseURL)
        } catch {
            throw BackupError(.invalidArgument, "database_url is not a valid connection URL: \(error.message)")
        }
    }
}

/// `backup_database` (both variants) and `BackupManager.create_backup`.
///
/// 000: `database_name`, `database_url`, `backup_type`, `compression`. 001: `connection_config`,
/// `backup_config`, and its `**kwargs` (`retention_days`, `encryption`, `destination`) at the top level.
public struct CreateBackupParams: Sendable, Codable, Hashable {
    /// A label for the backup; defaults to the connected database's name (SQLite: the file's base name).
    public var databaseName: String?
    public var databaseURL: String?
    public var connectionConfig: ConnectionConfiguration?
    public var backupConfig: BackupConfig?
    public var backupType: String?
    public var compression: String?
    public var destination: String?
    public var encryption: String?
    public var retentionDays: Int?

    public init(databaseName: String? = nil, databaseURL: String? = nil, connectionConfig: ConnectionConfiguration? = nil,
                backupConfig: BackupConfig? = nil, backupType: String? = nil, compression: String? = nil,
                destination: String? = nil, encryption: String? = nil, retentionDays: Int? = nil) {
        self.databaseName = databaseName
        self.databaseURL = databaseURL
        self.connectionConfig = connectionConfig
        self.backupConfig = backupConfig
        self.backupType = backupType
        self.compression = compression
        self.destination = destination
        self.encryption = encryption
        self.retentionDays = retentionDays
    }

    enum CodingKeys: String, CodingKey {
        case databaseName = "database_name"
        case databaseURL = "database_url"
        case connectionConfig = "connection_config"
        case backupConfig = "backup_config"
        case backupType = "backup_type"
        case compression, destination, encryption
        case retentionDays = "retention_days"
    }

    /// The backup configuration with the top-level keys applied over `backup_config`.
    public func effectiveConfig(defaults: BackupConfig) throws(BackupError) -> BackupConfig {
        var config = backupConfig ?? defaults
        if backupConfig?.destination == nil { config.destination = config.destination ?? defaults.destination }
        if let backupType { config.type = try BackupType(name: backupType) }
        if let compression { config.compression = try CompressionCodec(name: compression) }
        if let destination { config.destination = destination }
        if let encryption { config.encryption = try BackupConfig.encryptionName(encryption) }
        if let retentionDays { config.retentionDays = retentionDays }
        return config
    }
}

/// `BackupManager.restore_backup` and `Backup.restore`: `target_database` is a URL, or a database name on
/// the server of `connection_config` / `database_url` (SQLite: a file path).
public struct RestoreBackupParams: Sendable, Codable, Hashable {
    public var backupPath: String
    public var targetDatabase: String
    public var connectionConfig: ConnectionConfiguration?
    public var databaseURL: String?
    public var encryptionKeyEnv: String?
    public var encryptionKeyFile: String?
    public var parallelJobs: Int?

    public init(backupPath: String, targetDatabase: String, connectionConfig: ConnectionConfiguration? = nil,
                databaseURL: String? = nil, encryptionKeyEnv: String? = nil, encryptionKeyFile: String? = nil, parallelJobs: Int? = nil) {
        self.backupPath = backupPath
        self.targetDatabase = targetDatabase
        self.connectionConfig = connectionConfig
        self.databaseURL = databaseURL
        self.encryptionKeyEnv = encryptionKeyEnv
        self.encryptionKeyFile = encryptionKeyFile
        self.parallelJobs = parallelJobs
    }

    enum CodingKeys: String, CodingKey {
        case backupPath = "backup_path"
        case targetDatabase = "target_database"
        case connectionConfig = "connection_config"
        case databaseURL = "database_url"
        case encryptionKeyEnv = "encryption_key_env"
        case encryptionKeyFile = "encryption_key_file"
        case parallelJobs = "parallel_jobs"
    }

    /// The target's configuration.
    public func target(engine: String) throws(BackupError) -> ConnectionConfiguration {
        if targetDatabase.contains("://") {
            return try DatabaseLocation(databaseURL: targetDatabase).configuration()
        }
        if connectionConfig != nil || databaseURL != nil {
            return try DatabaseLocation(databaseURL: databaseURL, connectionConfig: connectionConfig).configuration()
                .with(database: targetDatabase)
        }
        if engine == Dialect.sqlite.rawValue {
            return ConnectionConfiguration(dialect: .sqlite, database: (targetDatabase as NSString).expandingTildeInPath)
        }
        throw BackupError(.invalidArgument, "target_database \(targetDatabase) is a name: give a URL, or connection_config for its server")
    }
}

/// What `restore_backup` returns (the spec's `bool`, as `success`, with what was restored).
public struct RestoreResult: Sendable, Codable, Hashable {
    public var success: Bool
    public var backupID: String
    public var targetDatabase: String
    public var tablesRestored: Int
    public var rowsRestored: Int64
    public var executionTime: Double
    /// How the restore ran where it matters (a MariaDB table loaded with INSERTs instead of `LOAD DATA`, a
    /// PostgreSQL table loaded without `COPY FREEZE`, and why); absent when there is nothing to say.
    public var notes: [String]?

    enum CodingKeys: String, CodingKey {
        case success, notes
        case backupID = "backup_id"
        case targetDatabase = "target_database"
        case tablesRestored = "tables_restored"
        case rowsRestored = "rows_restored"
        case executionTime = "execution_time"
    }
}

/// `list_backups(database_name=None)`.
public struct ListBackupsParams: Sendable, Codable, Hashable {
    public var databaseName: String?
    public var destination: String?

    public init(databaseName: String? = nil, destination: String? = nil) {
        self.databaseName = databaseName
        self.destination = destination
    }

    enum CodingKeys: String, CodingKey {
        case databaseName = "database_name"
        case destination
    }
}

/// `validate_backup(backup_path)`, with `test_restore` to restore into a scratch database as well.
public struct ValidateBackupParams: Sendable, Codable, Hashable {
    public var backupPath: String
    public var testRestore: Bool?
    /// For a test restore on PostgreSQL or MariaDB: the server to create the scratch database on.
    public var connectionConfig: ConnectionConfiguration?
    public var databaseURL: String?
    public var encryptionKeyEnv: String?
    public var encryptionKeyFile: String?

    public init(backupPath: String, testRestore: Bool? = nil, connectionConfig: ConnectionConfiguration? = nil,
                databaseURL: String? = nil, encryptionKeyEnv: String? = nil, encryptionKeyFile: String? = nil) {
        self.backupPath = backupPath
        self.testRestore = testRestore
        self.connectionConfig = connectionConfig
        self.databaseURL = databaseURL
        self.encryptionKeyEnv = encryptionKeyEnv
        self.encryptionKeyFile = encryptionKeyFile
    }

    enum CodingKeys: String, CodingKey {
        case backupPath = "backup_path"
        case testRestore = "test_restore"
        case connectionConfig = "connection_config"
        case databaseURL = "database_url"
        case encryptionKeyEnv = "encryption_key_env"
        case encryptionKeyFile = "encryption_key_file"
    }
}

/// `delete_backup(backup_path)`; `force` deletes a backup other backups still need.
public struct DeleteBackupParams: Sendable, Codable, Hashable {
    public var backupPath: String
    public var force: Bool?

    public init(backupPath: String, force: Bool? = nil) {
        self.backupPath = backupPath
        self.force = force
    }

    enum CodingKeys: String, CodingKey {
        case backupPath = "backup_path"
        case force
    }
}

/// What `delete_backup` returns.
public struct DeleteResult: Sendable, Codable, Hashable {
    public var success: Bool
    public var backupID: String
    /// Backups made unrestorable by a forced delete.
    public var brokenBackups: [String]

    enum CodingKeys: String, CodingKey {
        case success
        case backupID = "backup_id"
        case brokenBackups = "broken_backups"
    }
}

/// `Backup.get_info()`, `Backup.validate()`, `Backup.delete()`: the backup addressed by its path.
public struct BackupPathParams: Sendable, Codable, Hashable {
    public var backupPath: String

    public init(backupPath: String) { self.backupPath = backupPath }

    enum CodingKeys: String, CodingKey { case backupPath = "backup_path" }
}
