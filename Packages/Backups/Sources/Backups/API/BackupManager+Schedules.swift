import Drivers
import Foundation

extension BackupManager {
    // MARK: - schedule_backup

    /// `schedule_backup(database_name, schedule)`: records a schedule in the destination's
    /// `schedules.json` and returns it with its `schedule_id` and next run. The database comes from
    /// `database_url` / `connection_config`.
    /// - Throws: `.invalidSchedule`, `.invalidArgument`, `.storage`.
    public func scheduleBackup(_ params: ScheduleBackupParams) throws(BackupError) -> ScheduleInfo {
        let configuration = try DatabaseLocation(databaseURL: params.databaseURL, connectionConfig: params.connectionConfig).configuration()
        return try scheduleBackup(params, of: configuration)
    }

    /// As `scheduleBackup(_:)`, with the connection already resolved (the server passes its target's).
    public func scheduleBackup(_ params: ScheduleBackupParams, of configuration: ConnectionConfiguration) throws(BackupError) -> ScheduleInfo {
        let cron = try CronExpression(params.schedule)
        if let name = params.passwordEnv, name.isEmpty || name.contains("=") || name.utf8.contains(0) {
            throw BackupError(.invalidArgument, "password_env must name an environment variable")
        }
        var config = params.backupConfig ?? defaults
        config.destination = destination.path
        var stored = configuration
        stored.password = nil
        let schedule = BackupSchedule(
            id: "sched-" + UUID().uuidString.lowercased().prefix(12), databaseName: params.databaseName,
            schedule: cron.description, databaseURL: stored.url, passwordEnv: params.passwordEnv,
            backupConfig: config, createdAt: Date())
        try storing { try ScheduleStore(destination: destination).update { $0.append(schedule) } }
        return ScheduleInfo(schedule)
    }

    /// The schedules kept in the destination.
    public func listSchedules() throws(BackupError) -> [ScheduleInfo] {
        try storing { try ScheduleStore(destination: destination).read().map(ScheduleInfo.init) }
    }

    /// Removes a schedule. Throws `.notFound` for an unknown id.
    public func deleteSchedule(_ params: ScheduleIDParams) throws(BackupError) -> ScheduleInfo {
        let removed = try storing {
            try ScheduleStore(destination: destination).update { schedules -> BackupSchedule? in
                guard let index = schedules.firstIndex(where: { $0.id == params.scheduleID }) else { return nil }
                return schedules.remove(at: index)
            }
        }
        guard let removed else { throw BackupError(.notFound, "no schedule \(params.scheduleID)") }
        return ScheduleInfo(removed)
    }

    // MARK: - run_due

    /// Runs every schedule that is due (its next run after its last run is not after `now`), then prunes
    /// that database's backups by retention. Each due schedule is claimed under the schedules lock first,
    /// so concurrent callers never run one twice. A scheduled incremental or differential with no earlier
    /// backup to build on takes a full backup. Failures are recorded per schedule, not thrown.
    ///
    /// - Parameter passwords: finds the password of a schedule's database when the schedule names no
    ///   `password_env` (dbm-server passes the passwords it knows); without one, the engine's own defaults apply.
    public func runDue(_ params: RunDueParams = RunDueParams(), passwords: PasswordLookup? = nil,
                       progress: ProgressHandler? = nil) async throws(BackupError) -> RunDueResult {
        let now = try params.time()
        let store = ScheduleStore(destination: destination)
        let claimed = try storing {
            try store.update { schedules -> [BackupSchedule] in
                var due = [BackupSchedule]()
                for index in schedules.indices {
                    guard let next = schedules[index].nextRun(), next <= now else { continue }
                    schedules[index].lastRunAt = now
                    due.append(schedules[index])
                }
                return due
            }
        }
        var result = RunDueResult()
        for schedule in claimed {
            if Task.isCancelled { throw BackupError(.cancelled, "run_due cancelled") }
            var run = ScheduledRun(scheduleID: schedule.id, databaseName: schedule.databaseName, status: "completed")
            do {
                let record = try await runScheduled(schedule, passwords: passwords, progress: progress)
                run.backupID = record.id
                let pruned = try Pruner(catalog: BackupCatalog(destination: destination),
                                        params: PruneParams(databaseName: schedule.databaseName, keepLast: schedule.backupConfig.keepLast),
                                        defaults: defaults, now: now).run()
                result.pruned += pruned.deleted
            } catch {
                if error.code == .cancelled { throw error }
                run.status = "failed"
                run.error = error.message
            }
            result.ran.append(run)
            let finished = run
            try storing {
                try store.update { schedules in
                    guard let index = schedules.firstIndex(where: { $0.id == finished.scheduleID }) else { return }
                    schedules[index].lastBackupID = finished.backupID ?? schedules[index].lastBackupID
                    schedules[index].lastError = finished.error
                }
            }
        }
        return result
    }

    private func runScheduled(_ schedule: BackupSchedule, passwords: PasswordLookup?,
                              progress: ProgressHandler?) async throws(BackupError) -> BackupRecord {
        var configuration: ConnectionConfiguration
        do {
            configuration = try ConnectionConfiguration(url: schedule.databaseURL)
        } catch {
            throw BackupError(.invalidArgument, "the schedule's database URL is not valid: \(error.message)")
        }
        if configuration.password == nil, configuration.dialect != .sqlite {
            if let name = schedule.passwordEnv {
                guard let password = ProcessInfo.processInfo.environment[name] else {
                    throw BackupError(.invalidArgument,
                        "the schedule takes its password from the environment variable \(name), which is not set")
                }
                configuration.password = password
            } else if let password = await passwords?(configuration) {
                configuration.password = password
            }
        }
        var params = CreateBackupParams(databaseName: schedule.databaseName, backupConfig: schedule.backupConfig)
        do {
            return try await createBackup(of: configuration, params: params, progress: progress)
        } catch let error where error.code == .noBaseBackup {
            params.backupType = BackupType.full.rawValue
            return try await createBackup(of: configuration, params: params, progress: progress)
        }
    }

    // MARK: - prune

    /// Applies retention (`retention_days`, `keep_last`) to the destination's backups; never removes a
    /// backup a kept backup needs. With `dry_run` nothing is deleted.
    public func prune(_ params: PruneParams = PruneParams()) throws(BackupError) -> PruneResult {
        let catalog = BackupCatalog(destination: destination)
        var result = try Pruner(catalog: catalog, params: params, defaults: defaults, now: Date()).run()
        if !result.dryRun { result.abandonedPartials = catalog.removeAbandonedPartials() }
        return result
    }

    /// Runs file work, turning any non-`BackupError` into `.storage`.
    private func storing<T>(_ body: () throws -> T) throws(BackupError) -> T {
        do {
            return try body()
        } catch let error as BackupError {
            throw error
        } catch {
            throw BackupError(.storage, "schedules: \(error.localizedDescription)")
        }
    }
}

/// Finds the password of a scheduled backup's database (the configuration has none) when it runs.
public typealias PasswordLookup = @Sendable (ConnectionConfiguration) async -> String?

/// `schedule_backup(database_name, schedule)`, with the database (`database_url` or `connection_config`)
/// and an optional `backup_config` for the scheduled backups.
public struct ScheduleBackupParams: Sendable, Codable, Hashable {
    public var databaseName: String
    /// Five-field cron (`30 2 * * *`) or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`; UTC.
    public var schedule: String
    public var databaseURL: String?
    public var connectionConfig: ConnectionConfiguration?
    public var backupConfig: BackupConfig?
    /// The environment variable that holds the password when the schedule runs (the password itself is
    /// never stored).
    public var passwordEnv: String?

    public init(databaseName: String, schedule: String, databaseURL: String? = nil,
                connectionConfig: ConnectionConfiguration? = nil, backupConfig: BackupConfig? = nil,
                passwordEnv: String? = nil) {
        self.databaseName = databaseName
        self.schedule = schedule
        self.databaseURL = databaseURL
        self.connectionConfig = connectionConfig
        self.backupConfig = backupConfig
        self.passwordEnv = passwordEnv
    }

    enum CodingKeys: String, CodingKey {
        case schedule
        case databaseName = "database_name"
        case databaseURL = "database_url"
        case connectionConfig = "connection_config"
        case backupConfig = "backup_config"
        case passwordEnv = "password_env"
    }
}

/// A schedule as the methods return it (the database URL without its password).
public struct ScheduleInfo: Sendable, Codable, Hashable {
    public var scheduleID: String
    public var databaseName: String
    public var schedule: String
    public var database: String
    /// The environment variable the password is read from when the schedule runs, if any.
    public var passwordEnv: String?
    public var backupConfig: BackupConfig
    public var createdAt: String
    public var nextRunAt: String?
    public var lastRunAt: String?
    public var lastBackupID: String?
    public var lastError: String?

    init(_ s: BackupSchedule) {
        scheduleID = s.id
        databaseName = s.databaseName
        schedule = s.schedule
        database = (try? ConnectionConfiguration(url: s.databaseURL).redactedURL) ?? "***"
        passwordEnv = s.passwordEnv
        backupConfig = s.backupConfig
        createdAt = s.createdAt.formatted(.iso8601)
        nextRunAt = s.nextRun()?.formatted(.iso8601)
        lastRunAt = s.lastRunAt?.formatted(.iso8601)
        lastBackupID = s.lastBackupID
        lastError = s.lastError
    }

    enum CodingKeys: String, CodingKey {
        case schedule, database
        case passwordEnv = "password_env"
        case scheduleID = "schedule_id"
        case databaseName = "database_name"
        case backupConfig = "backup_config"
        case createdAt = "created_at"
        case nextRunAt = "next_run_at"
        case lastRunAt = "last_run_at"
        case lastBackupID = "last_backup_id"
        case lastError = "last_error"
    }
}

/// `delete_schedule(schedule_id)`.
public struct ScheduleIDParams: Sendable, Codable, Hashable {
    public var scheduleID: String
    public init(scheduleID: String) { self.scheduleID = scheduleID }
    enum CodingKeys: String, CodingKey { case scheduleID = "schedule_id" }
}

/// `run_due`: `now` (ISO 8601) replaces the clock, for tests and catch-up runs.
public struct RunDueParams: Sendable, Codable, Hashable {
    public var now: String?
    public init(now: String? = nil) { self.now = now }

    func time() throws(BackupError) -> Date {
        guard let now else { return Date() }
        guard let date = try? Date(now, strategy: .iso8601) else {
            throw BackupError(.invalidArgument, "now must be an ISO 8601 time like 2026-11-21T06:00:00Z, not \(now)")
        }
        return date
    }
}

/// What `run_due` did: one entry per schedule it ran, and the backups retention removed afterwards.
public struct RunDueResult: Sendable, Codable, Hashable {
    public var ran: [ScheduledRun] = []
    public var pruned: [PruneResult.Entry] = []
}

/// One scheduled backup `run_due` took (or tried to).
public struct ScheduledRun: Sendable, Codable, Hashable {
    public var scheduleID: String
    public var databaseName: String
    /// `completed` or `failed`.
    public var status: String
    public var backupID: String?
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case status, error
        case scheduleID = "schedule_id"
        case databaseName = "database_name"
        case backupID = "backup_id"
    }
}
