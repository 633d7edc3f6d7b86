import Foundation

/// One scheduled backup, as kept in `<destination>/schedules.json`.
///
/// The database URL is stored without its password: a password is never written. `run_due` finds it
/// when the schedule runs, in the environment variable `password_env` names, from whoever runs the
/// schedule (dbm-server knows the passwords of its own configuration and of this session's calls), or
/// through the engine's own defaults (`PGPASSWORD`, `~/.pgpass`).
public struct BackupSchedule: Sendable, Codable, Hashable {
    public var id: String
    public var databaseName: String
    /// The cron expression as given.
    public var schedule: String
    /// The database's URL without its password.
    var databaseURL: String
    /// The environment variable holding the password, if the schedule names one.
    var passwordEnv: String?
    public var backupConfig: BackupConfig
    public var createdAt: Date
    /// When `run_due` last started this schedule's backup.
    public var lastRunAt: Date?
    public var lastBackupID: String?
    public var lastError: String?

    enum CodingKeys: String, CodingKey {
        case id, schedule
        case databaseName = "database_name"
        case databaseURL = "database_url"
        case passwordEnv = "password_env"
        case backupConfig = "backup_config"
        case createdAt = "created_at"
        case lastRunAt = "last_run_at"
        case lastBackupID = "last_backup_id"
        case lastError = "last_error"
    }

    /// The next time the schedule is due: the first match after its last run (or after its creation).
    func nextRun() -> Date? {
        (try? CronExpression(schedule))?.next(after: lastRunAt ?? createdAt)
    }
}

/// The schedules of one destination directory, in `schedules.json`, changed under an exclusive `flock`
/// on `.schedules.lock` so that `dbm-server` and a cron-driven `dbm-client backup run-due` never run the
/// same schedule twice.
struct ScheduleStore {
    let destination: URL

    var file: URL { destination.appendingPathComponent("schedules.json") }

    /// Runs `body` on the schedules with the lock held, and writes back what it returns (atomically, 0600).
    func update<T>(_ body: (inout [BackupSchedule]) throws -> T) throws -> T {
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let lockPath = destination.appendingPathComponent(".schedules.lock").path
        let descriptor = open(lockPath, O_CREAT | O_RDWR, 0o600)
        guard descriptor >= 0 else { throw BackupError(.storage, "cannot open \(lockPath)") }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { throw BackupError(.storage, "cannot lock \(lockPath)") }
        defer { flock(descriptor, LOCK_UN) }
        var schedules = try read()
        let before = schedules
        let value = try body(&schedules)
        if schedules != before { try write(schedules) }
        return value
    }

    /// The schedules on disk (without taking the lock: a reader sees one complete file or the other).
    func read() throws -> [BackupSchedule] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        do {
            return try ArchiveJSON.decoder().decode([BackupSchedule].self, from: data)
        } catch {
            throw BackupError(.storage, "\(file.path) cannot be read: \(error)")
        }
    }

    private func write(_ schedules: [BackupSchedule]) throws {
        let data = try ArchiveJSON.encoder().encode(schedules)
        let temporary = destination.appendingPathComponent(".schedules.json.\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw BackupError(.storage, "cannot write \(temporary.path)")
        }
        guard rename(temporary.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw BackupError(.storage, "cannot replace \(file.path)")
        }
    }
}
