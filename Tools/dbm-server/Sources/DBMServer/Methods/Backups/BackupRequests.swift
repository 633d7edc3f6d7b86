import Backups
import Drivers
import JSONRPC

// The params the Backups methods share. Each reads the Backups package's own Codable params (the spec's
// names) from the request, plus what only the server knows: which database (`connection`,
// `connection_id`, `database_url`, `connection_config`, or the server's default) and the
// `BackupManager(config_path)` constructor argument.

/// `BackupManager(config_path)`: a backup directory, or a JSON file of `backup_config` defaults; absent:
/// `$DBM_BACKUP_DIR` or `~/.local/share/dbm/backups`.
struct BackupManagerLocation: Decodable, Sendable {
    let configPath: String?
    enum CodingKeys: String, CodingKey { case config_path }
    init(from decoder: any Decoder) throws {
        configPath = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .config_path)
    }

    /// The manager, with `config_path` (and the destination and key file a JSON file names) checked by `paths`.
    func manager(_ paths: PathPolicy) throws -> BackupManager { try paths.manager(configPath: configPath) }
}

/// `backup_database` and `BackupManager.create_backup`.
struct CreateBackupRequest: Decodable, Sendable {
    let backup: CreateBackupParams
    let target: DatabaseTarget
    let location: BackupManagerLocation

    init(from decoder: any Decoder) throws {
        backup = try CreateBackupParams(from: decoder)
        target = try DatabaseTarget(from: decoder)
        location = try BackupManagerLocation(from: decoder)
    }

    func run(_ state: ServerState, _ context: RequestContext) async throws -> BackupRecord {
        let configuration = try await state.connections.configuration(for: target)
        let name = backup.databaseName ?? configuration.database
        let paths = state.policy.paths
        let manager = try location.manager(paths)
        var backup = backup
        backup.destination = try paths.resolve(optional: backup.destination, parameter: "destination")
        backup.backupConfig = try paths.check(backup.backupConfig)
        return try await BackupProgressBridge.run(context, title: "Backing up \(name)") { [backup] progress in
            try await manager.createBackup(of: configuration, params: backup, progress: progress)
        }
    }
}

/// `BackupManager.restore_backup` and `Backup.restore`: `target_database` is a URL, or a database name on
/// the server the request's connection names.
struct RestoreBackupRequest: Decodable, Sendable {
    var restore: RestoreBackupParams
    let target: DatabaseTarget
    let location: BackupManagerLocation

    init(from decoder: any Decoder) throws {
        restore = try RestoreBackupParams(from: decoder)
        target = try DatabaseTarget(from: decoder)
        location = try BackupManagerLocation(from: decoder)
    }

    func run(_ state: ServerState, _ context: RequestContext) async throws -> RestoreResult {
        var params = restore
        let paths = state.policy.paths
        let manager = try location.manager(paths)
        params.backupPath = try paths.resolveBackupReference(params.backupPath, destination: manager.destination)
        params.encryptionKeyFile = try paths.resolve(optional: params.encryptionKeyFile, parameter: "encryption_key_file")
        // The target is checked like any database a call names (allow-list; a SQLite file is a path).
        if params.targetDatabase.contains("://") || params.targetDatabase.hasPrefix("sqlite:") || !target.isEmpty {
            let (server, database) = try await DatabaseNaming.resolve(name: params.targetDatabase, target: target, state: state)
            params.connectionConfig = server
            params.databaseURL = nil
            params.targetDatabase = database
        } else {
            var file = ConnectionConfiguration(dialect: .sqlite, database: PathPolicy.expandingTilde(params.targetDatabase))
            try state.connections.checkAccess(&file)
            params.targetDatabase = file.database
        }
        if state.readOnly { throw DatabaseError(.permissionDenied, "restore refused: the server is read-only") }
        return try await BackupProgressBridge.run(context, title: "Restoring") { [params] progress in
            try await manager.restoreBackup(params, progress: progress)
        }
    }
}

/// `BackupManager.validate_backup` and `Backup.validate`.
struct ValidateBackupRequest: Decodable, Sendable {
    var validate: ValidateBackupParams
    let target: DatabaseTarget
    let location: BackupManagerLocation

    init(from decoder: any Decoder) throws {
        validate = try ValidateBackupParams(from: decoder)
        target = try DatabaseTarget(from: decoder)
        location = try BackupManagerLocation(from: decoder)
    }

    func run(_ state: ServerState, _ context: RequestContext) async throws -> ValidationReport {
        var params = validate
        let paths = state.policy.paths
        let manager = try location.manager(paths)
        params.backupPath = try paths.resolveBackupReference(params.backupPath, destination: manager.destination)
        params.encryptionKeyFile = try paths.resolve(optional: params.encryptionKeyFile, parameter: "encryption_key_file")
        if params.testRestore == true, params.connectionConfig == nil, params.databaseURL == nil, !target.isEmpty {
            params.connectionConfig = try await state.connections.configuration(for: target)
        }
        return try await BackupProgressBridge.run(context, title: "Validating") { [params] progress in
            try await manager.validateBackup(params, progress: progress)
        }
    }
}

/// `BackupManager.list_backups`.
struct ListBackupsRequest: Decodable, Sendable {
    let list: ListBackupsParams
    let location: BackupManagerLocation

    init(from decoder: any Decoder) throws {
        list = try ListBackupsParams(from: decoder)
        location = try BackupManagerLocation(from: decoder)
    }
}

/// `BackupManager.delete_backup` and `Backup.delete`.
struct DeleteBackupRequest: Decodable, Sendable {
    let delete: DeleteBackupParams
    let location: BackupManagerLocation

    init(from decoder: any Decoder) throws {
        delete = try DeleteBackupParams(from: decoder)
        location = try BackupManagerLocation(from: decoder)
    }

    /// Deletes the backup, with `config_path` and `backup_path` checked by `paths` first.
    func run(_ paths: PathPolicy) throws -> DeleteResult {
        let manager = try location.manager(paths)
        var delete = delete
        delete.backupPath = try paths.resolveBackupReference(delete.backupPath, destination: manager.destination)
        return try manager.deleteBackup(delete)
    }
}

/// `Backup.get_info`: the backup addressed by `backup_path` (a directory, or an id in the destination).
struct BackupPathRequest: Decodable, Sendable {
    let path: BackupPathParams
    let location: BackupManagerLocation

    init(from decoder: any Decoder) throws {
        path = try BackupPathParams(from: decoder)
        location = try BackupManagerLocation(from: decoder)
    }
}

/// Turns the package's `BackupProgress` callbacks into `$/progress` notifications (begin, report, end).
enum BackupProgressBridge {
    static func run<T: Sendable>(
        _ context: RequestContext, title: String, _ body: (@escaping ProgressHandler) async throws -> T
    ) async throws -> T {
        let reporter = context.progress
        reporter.begin(title: title, cancellable: true)
        let handler: ProgressHandler = { progress in
            let percentage = progress.total.flatMap { $0 > 0 ? min(100, progress.completed * 100 / $0) : nil }
            var message = progress.phase
            if let current = progress.current { message += " " + current }
            reporter.report(message: message, percentage: percentage)
        }
        do {
            let value = try await body(handler)
            reporter.end(message: "done")
            return value
        } catch {
            reporter.end(message: "failed")
            throw error
        }
    }
}

extension BackupConfig: @retroactive JSONSchemaProviding {
    /// The spec's `backup_config` object (every key optional).
    public static var jsonSchema: JSONValue {
        ["type": "object",
         "description": "backup_config: type (full|incremental|differential), destination, compression (gzip|bz2|zstd|none), compression_level, encryption (none|aes-256-gcm), encryption_key_env, encryption_key_file, retention_days, keep_last, format (native|sql), parallel_jobs",
         "properties": [
            "type": ["type": "string", "enum": ["full", "incremental", "differential"]],
            "destination": ["type": "string"],
            "compression": ["type": "string", "enum": ["gzip", "bz2", "zstd", "none"]],
            "compression_level": ["type": "integer"],
            "encryption": ["type": "string", "enum": ["none", "aes-256-gcm"]],
            "encryption_key_env": ["type": "string"], "encryption_key_file": ["type": "string"],
            "retention_days": ["type": "integer"], "keep_last": ["type": "integer"],
            "format": ["type": "string", "enum": ["native", "sql"]], "parallel_jobs": ["type": "integer"],
         ]]
    }
}
