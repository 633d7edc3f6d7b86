import Backups
import JSONRPC

// `schedule_backup`, `run_due` and retention (`prune`), with the schedule list and removal. Schedules
// live in the backup directory (`config_path`), in `schedules.json`.

/// `BackupManager.schedule_backup` params: the package's, the database, and `config_path`.
struct ScheduleBackupRequest: Decodable, Sendable {
    let schedule: ScheduleBackupParams
    let target: DatabaseTarget
    let location: BackupManagerLocation

    init(from decoder: any Decoder) throws {
        schedule = try ScheduleBackupParams(from: decoder)
        target = try DatabaseTarget(from: decoder)
        location = try BackupManagerLocation(from: decoder)
    }
}

enum BackupManagerScheduleBackup: RPCMethod {
    typealias Params = ScheduleBackupRequest
    typealias Result = ScheduleInfo
    static let name = "BackupManager.schedule_backup"
    static let summary = "schedule_backup(database_name, schedule): records a cron schedule (5 fields, or @hourly/@daily/@weekly; UTC) in the backup directory and returns it with its schedule_id; dbm-server runs due schedules while it runs."
    static let paramDescriptions = [
        "database_name": "The database's label in backups",
        "schedule": "Cron: minute hour day month weekday (e.g. 30 2 * * *), or @hourly, @daily, @weekly, @monthly, @yearly",
        "backup_config": "The scheduled backups' backup_config (type, compression, encryption, retention_days, keep_last, ...)",
        "config_path": "BackupManager(config_path): the backup directory that keeps the schedule",
        "password_env": "The environment variable holding the database password when the schedule runs; the password itself is never stored (without it, dbm-server uses the passwords it knows, then the engine's defaults such as ~/.pgpass)",
    ]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        let configuration = try await state.connections.configuration(for: params.target)
        let manager = try params.location.manager(state.policy.paths)
        var schedule = params.schedule
        schedule.backupConfig = try state.policy.paths.check(schedule.backupConfig)
        let info = try manager.scheduleBackup(schedule, of: configuration)
        await state.connections.rememberPassword(of: configuration)
        await state.backupScheduler.watch(manager.destination)
        return info
    }
}

/// `run_due` params: the package's `now` and `config_path`.
struct RunDueRequest: Decodable, Sendable {
    let runDue: RunDueParams
    let location: BackupManagerLocation

    init(from decoder: any Decoder) throws {
        runDue = try RunDueParams(from: decoder)
        location = try BackupManagerLocation(from: decoder)
    }
}

enum BackupManagerRunDue: RPCMethod {
    typealias Params = RunDueRequest
    typealias Result = RunDueResult
    static let name = "BackupManager.run_due"
    static let summary = "Runs every schedule of the backup directory that is due (each exactly once, even with concurrent callers), then applies retention; what system cron calls through dbm-client backup run-due."
    static let paramDescriptions = ["now": "ISO 8601 time to use instead of the clock"]
    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        try await BackupProgressBridge.run(context, title: "Running due backups") { progress in
            let connections = state.connections
            return try await params.location.manager(state.policy.paths).runDue(params.runDue, passwords: { await connections.knownPassword(for: $0) },
                                                                                progress: progress)
        }
    }
}

/// `prune` params: the package's and `config_path`.
struct PruneRequest: Decodable, Sendable {
    let prune: PruneParams
    let location: BackupManagerLocation

    init(from decoder: any Decoder) throws {
        prune = try PruneParams(from: decoder)
        location = try BackupManagerLocation(from: decoder)
    }
}

enum BackupManagerPrune: RPCMethod {
    typealias Params = PruneRequest
    typealias Result = PruneResult
    static let name = "BackupManager.prune"
    static let summary = "Applies retention: removes backups older than retention_days (the call's or each backup's own) or beyond the newest keep_last per database, never one a kept backup needs; dry_run only lists."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try params.location.manager(state.policy.paths).prune(params.prune)
    }
}

enum BackupManagerListSchedules: RPCMethod {
    typealias Params = BackupManagerLocation
    typealias Result = [ScheduleInfo]
    static let name = "BackupManager.list_schedules"
    static let summary = "The backup schedules kept in the backup directory, with their next and last runs (database URLs redacted)."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try params.manager(state.policy.paths).listSchedules()
    }
}

/// `delete_schedule` params: `schedule_id` and `config_path`.
struct ScheduleIDRequest: Decodable, Sendable {
    let schedule: ScheduleIDParams
    let location: BackupManagerLocation

    init(from decoder: any Decoder) throws {
        schedule = try ScheduleIDParams(from: decoder)
        location = try BackupManagerLocation(from: decoder)
    }
}

enum BackupManagerDeleteSchedule: RPCMethod {
    typealias Params = ScheduleIDRequest
    typealias Result = ScheduleInfo
    static let name = "BackupManager.delete_schedule"
    static let summary = "Removes a backup schedule by its schedule_id and returns it."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try params.location.manager(state.policy.paths).deleteSchedule(params.schedule)
    }
}
