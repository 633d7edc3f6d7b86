import Drivers
import Foundation
import Migrations
import XCTest

/// A second process (the engine's own command-line client) holding a migration run's lock, standing in for
/// another runner.
final class LockHolder {
    let process = Process()

    /// Starts the client so it takes the lock `manager` uses and then sleeps `seconds`.
    init(for manager: MigrationManager, seconds: Int) throws {
        let c = manager.configuration
        var environment = ProcessInfo.processInfo.environment
        switch c.dialect {
        case .postgresql:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
            environment["PGPASSWORD"] = c.password ?? ""
            process.arguments = ["-h", c.host ?? "127.0.0.1", "-p", String(c.effectivePort ?? 5432), "-U", c.username ?? "postgres",
                                 "-d", c.database, "-v", "ON_ERROR_STOP=1", "-q",
                                 // As the toolkit's runner does: the server notices a dead client within a second even
                                 // while a statement runs.
                                 "-c", "SET client_connection_check_interval = '1s'",
                                 "-c", "SELECT pg_advisory_lock(\(manager.advisoryLockKey))", "-c", "SELECT pg_sleep(\(seconds))"]
        case .mysql:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/mariadb")
            environment["MYSQL_PWD"] = c.password ?? ""
            process.arguments = ["-h", c.host ?? "127.0.0.1", "-P", String(c.effectivePort ?? 3306), "-u", c.username ?? "root",
                                 c.database, "-e", "SELECT GET_LOCK('\(manager.mysqlLockName)', 10); SELECT SLEEP(\(seconds));"]
        case .sqlite:
            // One process holding SQLite's write lock (the sqlite3 shell would need a child process to sleep).
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
                                 + "c.execute('BEGIN IMMEDIATE'); time.sleep(\(seconds)); c.execute('COMMIT')", c.database]
        }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until the lock is held (polled from the server's side), at most 10 s.
    func waitUntilHeld(_ db: ScratchDatabase, manager: MigrationManager) async throws {
        for _ in 0..<200 {
            if try await isHeld(db, manager: manager) { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        XCTFail("the lock holder did not take the lock")
    }

    private func isHeld(_ db: ScratchDatabase, manager: MigrationManager) async throws -> Bool {
        switch db.dialect {
        case .postgresql:
            return try await db.column("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
                + "database = (SELECT oid FROM pg_database WHERE datname = current_database())").count > 0
        case .mysql:
            return try await db.column("SELECT IS_USED_LOCK('\(manager.mysqlLockName)')").first??.isEmpty == false
        case .sqlite:
            var probe = db.configuration
            probe.options["busy_timeout"] = "0"
            let connection = try await Database.connect(probe)
            defer { Task { await connection.close() } }
            do {
                _ = try await connection.execute("BEGIN IMMEDIATE")
                _ = try await connection.execute("ROLLBACK")
                return false
            } catch let error as DatabaseError where error.code == .busy {
                return true
            }
        }
    }

    /// Kills the holder as a crash would (SIGKILL): no chance to release anything itself.
    func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func waitForExit() {
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
