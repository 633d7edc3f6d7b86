import Backups
import JSONRPC

// The spec's `Backup` object methods: the backup travels as `backup_path` (its directory or id).

enum BackupRestore: RPCMethod {
    typealias Params = RestoreBackupRequest
    typealias Result = RestoreResult
    static let name = "Backup.restore"
    static let summary = "Backup.restore(target_database): restores this backup into an empty (or new) database."
    static let paramDescriptions = BackupManagerRestoreBackup.paramDescriptions
    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        try await params.run(state, context)
    }
}

enum BackupValidate: RPCMethod {
    typealias Params = ValidateBackupRequest
    typealias Result = ValidationReport
    static let name = "Backup.validate"
    static let summary = "Backup.validate(): checks this backup end to end (the report's valid is the spec's bool)."
    static let paramDescriptions = BackupManagerValidateBackup.paramDescriptions
    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        try await params.run(state, context)
    }
}

enum BackupGetInfo: RPCMethod {
    typealias Params = BackupPathRequest
    typealias Result = BackupInfo
    static let name = "Backup.get_info"
    static let summary = "Backup.get_info(): the Backup record, its tables with row counts, and the backups it depends on and that need it."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        let manager = try params.location.manager(state.policy.paths)
        var path = params.path
        path.backupPath = try state.policy.paths.resolveBackupReference(path.backupPath, destination: manager.destination)
        return try manager.getInfo(path)
    }
}

enum BackupDelete: RPCMethod {
    typealias Params = DeleteBackupRequest
    typealias Result = DeleteResult
    static let name = "Backup.delete"
    static let summary = "Backup.delete(): removes this backup; refuses when a later backup needs its chunks, unless force."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try params.run(state.policy.paths)
    }
}
