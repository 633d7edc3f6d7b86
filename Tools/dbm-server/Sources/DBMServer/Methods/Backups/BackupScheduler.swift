import Backups
import Foundation
import Logging

/// Runs due backup schedules while `dbm-server` runs: every `interval` it calls `run_due` on the default
/// backup directory and on every directory a `schedule_backup` call used in this session.
///
/// `run_due` claims each due schedule under a file lock, so a server and a cron-driven
/// `dbm-client backup run-due` on the same directory never run a schedule twice. Started by
/// `ServerFactory.makeServer`, stopped at shutdown. `DBM_BACKUP_SCHEDULER=off` disables it;
/// `DBM_BACKUP_SCHEDULER_INTERVAL` sets the interval in seconds (default 30).
public actor BackupScheduler {
    private var destinations: Set<String> = []
    private var task: Task<Void, Never>?
    private var stopped = false
    private let interval: Duration?
    /// Finds the passwords of scheduled databases (schedules store none).
    private let passwords: PasswordLookup?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, passwords: PasswordLookup? = nil) {
        self.passwords = passwords
        if environment["DBM_BACKUP_SCHEDULER"] == "off" {
            interval = nil
        } else {
            interval = .seconds(max(1, Int(environment["DBM_BACKUP_SCHEDULER_INTERVAL"] ?? "") ?? 30))
        }
    }

    /// Starts the loop (once; never after `stop()`).
    public func start(logger: Logger) {
        guard task == nil, !stopped, let interval else { return }
        task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                for result in await self.runDue(now: nil) where !result.ran.isEmpty {
                    for run in result.ran {
                        logger.info("scheduled backup \(run.scheduleID) of \(run.databaseName): \(run.status) \(run.backupID ?? run.error ?? "")")
                    }
                }
            }
        }
    }

    /// Stops the loop; a backup in progress is cancelled (and leaves nothing listed as completed).
    public func stop() {
        stopped = true
        task?.cancel()
        task = nil
    }

    /// Adds a backup directory to watch (`BackupManager(config_path)`'s destination).
    public func watch(_ destination: URL) {
        destinations.insert(destination.standardizedFileURL.path)
    }

    /// Runs `run_due` once on every watched directory that has schedules; `now` replaces the clock.
    public func runDue(now: String?) async -> [RunDueResult] {
        var all = destinations
        all.insert(BackupConfig.destinationURL(nil).standardizedFileURL.path)
        var results = [RunDueResult]()
        for path in all.sorted() where FileManager.default.fileExists(atPath: path + "/schedules.json") {
            guard let manager = try? BackupManager(configPath: path),
                  let result = try? await manager.runDue(RunDueParams(now: now), passwords: passwords) else { continue }
            results.append(result)
        }
        return results
    }
}
