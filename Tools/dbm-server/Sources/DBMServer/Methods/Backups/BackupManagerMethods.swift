import Backups
import JSONRPC

// `backup_database` and the spec's `BackupManager(config_path)` methods. `config_path` travels in every
// call's params; the package's params and results are used as they are.

/// `backup_database`: 000 `(database_name, database_url, backup_type, compression)` and 001
/// `(connection_config, backup_config, **kwargs)`.
enum BackupDatabaseMethod: RPCMethod {
    typealias Params = CreateBackupRequest
    typealias Result = BackupRecord
    static let name = "backup_database"
    static let summary = "Takes a consistent, compressed (optionally encrypted) backup of a whole database and returns the Backup record."
    static let paramDescriptions = [
        "database_name": "A label for the backup (default: the database's name)",
        "database_url": "000 form: the database to back up (or connection / connection_config)",
        "backup_type": "full | incremental | differential",
        "compression": "gzip | bz2 | zstd | none",
        "connection_config": "001 form: the database to back up",
        "backup_config": "001 form: {type, destination, compression, compression_level, encryption, encryption_key_env, encryption_key_file, retention_days, keep_last, format (native|sql), parallel_jobs}",
        "config_path": "BackupManager(config_path): a backup directory or a JSON backup_config file",
    ]
    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        try await params.run(state, context)
    }
}

enum BackupManagerCreateBackup: RPCMethod {
    typealias Params = CreateBackupRequest
    typealias Result = BackupRecord
    static let name = "BackupManager.create_backup"
    static let summary = "create_backup(database_name, backup_config): takes a backup of the database the params name and returns its record."
    static let paramDescriptions = BackupDatabaseMethod.paramDescriptions
    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        try await params.run(state, context)
    }
}

enum BackupManagerRestoreBackup: RPCMethod {
    typealias Params = RestoreBackupRequest
    typealias Result = RestoreResult
    static let name = "BackupManager.restore_backup"
    static let summary = "restore_backup(backup_path, target_database): restores into an empty (or new) database, reassembling an incremental chain."
    static let paramDescriptions = [
        "backup_path": "The backup's directory, or its id in the destination",
        "target_database": "A URL, or a database name on the server of connection / database_url / connection_config (SQLite: a file path)",
        "encryption_key_env": "Environment variable holding the key (default DBM_BACKUP_KEY)",
        "encryption_key_file": "File holding the key",
        "parallel_jobs": "Tables restored at once (default 2)",
    ]
    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        try await params.run(state, context)
    }
}

enum BackupManagerListBackups: RPCMethod {
    typealias Params = ListBackupsRequest
    typealias Result = [BackupRecord]
    static let name = "BackupManager.list_backups"
    static let summary = "list_backups(database_name=None): the completed backups in the destination, oldest first (read from their manifests)."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        var list = params.list
        list.destination = try state.policy.paths.resolve(optional: list.destination, parameter: "destination")
        return try params.location.manager(state.policy.paths).listBackups(list)
    }
}

enum BackupManagerValidateBackup: RPCMethod {
    typealias Params = ValidateBackupRequest
    typealias Result = ValidationReport
    static let name = "BackupManager.validate_backup"
    static let summary = "validate_backup(backup_path): checks the manifest checksum and every chunk (hash, decryption, decompression); with test_restore also restores into a scratch database and compares every table."
    static let paramDescriptions = [
        "backup_path": "The backup's directory, or its id in the destination",
        "test_restore": "Also restore into a scratch database on the server of connection / database_url / connection_config",
    ]
    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        try await params.run(state, context)
    }
}

enum BackupManagerDeleteBackup: RPCMethod {
    typealias Params = DeleteBackupRequest
    typealias Result = DeleteResult
    static let name = "BackupManager.delete_backup"
    static let summary = "delete_backup(backup_path): removes a backup; refuses when a later backup needs its chunks, unless force."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try params.run(state.policy.paths)
    }
}
