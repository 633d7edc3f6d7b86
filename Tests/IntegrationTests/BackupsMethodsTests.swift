import DBMServer
import DriverTestSupport
import Drivers
import Foundation
import JSONRPC
import XCTest

/// backup_database, BackupManager.*, Backup.* and manage_databases backup/restore through the real
/// protocol loop, on each engine.
final class BackupsMethodsTests: XCTestCase {
    func testBackupValidateRestoreAndDeleteOnEachEngine() async throws {
        for dialect in Dialect.allCases {
            let base = try TestDatabases.server(dialect)
            let driver = Database.driver(for: dialect)
            let source = try await TestDatabases.scratchDatabase(using: driver, on: base, prefix: "it_bk_src")
            let target = try await TestDatabases.scratchDatabase(using: driver, on: base, prefix: "it_bk_dst")
            do {
                try await Self.fill(source, rows: 500)
                try await checkRoundTrip(source: source, target: target)
            } catch {
                await TestDatabases.dropScratchDatabase(using: driver, source)
                await TestDatabases.dropScratchDatabase(using: driver, target)
                throw error
            }
            await TestDatabases.dropScratchDatabase(using: driver, source)
            await TestDatabases.dropScratchDatabase(using: driver, target)
        }
    }

    private func checkRoundTrip(source: ConnectionConfiguration, target: ConnectionConfiguration) async throws {
        let dialect = source.dialect
        let directory = TestDatabases.temporaryDirectory().path
        let server = InProcessServer()
        try server.initialize()

        // 000 form, with a progress token: $/progress notifications arrive before the result.
        let (record, notifications) = try server.callCollecting("backup_database", [
            "database_name": "shop", "database_url": .string(source.url), "backup_type": "full", "compression": "zstd",
            "config_path": .string(directory), "work_done_token": "bk-1",
        ])
        XCTAssertEqual(record["status"], "completed", "\(dialect): \(record)")
        XCTAssertEqual(record["database_name"], "shop")
        XCTAssertEqual(record["compression"], "zstd")
        XCTAssertEqual(record["engine"]?.stringValue, dialect.rawValue)
        XCTAssertNotNil(record["created_at"]?.stringValue, "created_at is not an ISO 8601 string")
        XCTAssertEqual(record["verification_hash"], record["checksum"])
        XCTAssertTrue(notifications.contains { $0["method"] == "$/progress" && $0["params"]?["token"] == "bk-1" },
                      "\(dialect): no $/progress for the backup")
        guard let id = record["id"]?.stringValue else { return XCTFail("no backup id") }

        let listed = try server.call("BackupManager.list_backups", ["config_path": .string(directory), "database_name": "shop"])
        XCTAssertEqual(listed.arrayValue?.compactMap { $0["id"]?.stringValue }, [id])

        let report = try server.call("BackupManager.validate_backup", ["config_path": .string(directory), "backup_path": .string(id)])
        XCTAssertEqual(report["valid"], true, "\(dialect): \(report)")
        XCTAssertEqual(report["manifest_checksum_ok"], true)

        let restored = try server.call("BackupManager.restore_backup", ["config_path": .string(directory),
            "backup_path": .string(id), "target_database": .string(target.url)])
        XCTAssertEqual(restored["success"], true, "\(dialect): \(restored)")
        let count = try await Self.count(target)
        XCTAssertEqual(count, 500, "\(dialect): rows after restore")

        // A second restore into the now non-empty database is a BackupError.
        do {
            _ = try server.call("Backup.restore", ["config_path": .string(directory), "backup_path": .string(id),
                                                   "target_database": .string(target.url)])
            XCTFail("\(dialect): restoring into a non-empty database must fail")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, -32030)
            XCTAssertEqual(error.data?["type"], "BackupError")
            XCTAssertEqual(error.data?["kind"], "target_not_empty")
        }

        // 001 form through manage_databases: an incremental on top of the full backup.
        let managed = try server.call("manage_databases", ["operation": "backup",
            "connection_config": DatabaseMethodsTests.connectionConfig(source), "database_name": "shop",
            "backup_config": ["type": "incremental", "destination": .string(directory), "compression": "gzip"]])
        XCTAssertEqual(managed["success"], true, "\(dialect): \(managed)")
        XCTAssertEqual(managed["backup"]?["backup_type"], "incremental")
        XCTAssertEqual(managed["backup"]?["parent_backup"]?.stringValue, id)
        guard let incremental = managed["backup"]?["id"]?.stringValue else { return XCTFail("no incremental id") }

        let info = try server.call("Backup.get_info", ["config_path": .string(directory), "backup_path": .string(id)])
        XCTAssertEqual(info["needed_by"], [.string(incremental)])
        XCTAssertEqual(info["tables"]?[0]?["row_count"], 500)

        let valid = try server.call("Backup.validate", ["config_path": .string(directory), "backup_path": .string(incremental)])
        XCTAssertEqual(valid["valid"], true)

        do {
            _ = try server.call("BackupManager.delete_backup", ["config_path": .string(directory), "backup_path": .string(id)])
            XCTFail("\(dialect): deleting a backup an incremental needs must be refused")
        } catch let error as RPCError {
            XCTAssertEqual(error.data?["kind"], "chain_dependency")
        }
        _ = try server.call("Backup.delete", ["config_path": .string(directory), "backup_path": .string(incremental)])
        let deleted = try server.call("BackupManager.delete_backup", ["config_path": .string(directory), "backup_path": .string(id)])
        XCTAssertEqual(deleted["success"], true)
        XCTAssertEqual(try server.call("BackupManager.list_backups", ["config_path": .string(directory)]), [])
        _ = try await server.shutdown()
    }

    func testManageDatabasesRestoresIntoANameOnTheSameServer() async throws {
        let base = try TestDatabases.postgres()
        let driver = PostgreSQLDriver()
        let source = try await TestDatabases.scratchDatabase(using: driver, on: base, prefix: "it_bk_src")
        let targetName = TestDatabases.uniqueName("it_bk_new")
        do {
            try await Self.fill(source, rows: 50)
            let directory = TestDatabases.temporaryDirectory().path
            let server = InProcessServer()
            try server.initialize()
            let record = try server.call("backup_database", ["database_url": .string(source.url), "config_path": .string(directory)])
            let restored = try server.call("manage_databases", ["operation": "restore", "database_url": .string(base.url),
                "config_path": .string(directory), "backup_path": record["file_path"] ?? .null, "target_database": .string(targetName)])
            XCTAssertEqual(restored["success"], true, "\(restored)")
            XCTAssertEqual(restored["restore"]?["tables_restored"], 1)
            let count = try await Self.count(base.with(database: targetName))
            XCTAssertEqual(count, 50)
            _ = try await server.shutdown()
        } catch {
            await TestDatabases.dropScratchDatabase(using: driver, source)
            await TestDatabases.dropScratchDatabase(using: driver, base.with(database: targetName))
            throw error
        }
        await TestDatabases.dropScratchDatabase(using: driver, source)
        await TestDatabases.dropScratchDatabase(using: driver, base.with(database: targetName))
    }

    func testScheduleRunDueAndPruneOverTheProtocol() async throws {
        let source = ConnectionConfiguration(dialect: .sqlite, database: TestDatabases.temporaryDirectory().appendingPathComponent("shop.db").path)
        try await Self.fill(source, rows: 20)
        let directory = TestDatabases.temporaryDirectory().path
        let server = InProcessServer()
        try server.initialize()
        let schedule = try server.call("BackupManager.schedule_backup", ["database_name": "shop", "schedule": "@hourly",
            "database_url": .string(source.url), "config_path": .string(directory),
            "backup_config": ["type": "incremental", "keep_last": 1]])
        guard let scheduleID = schedule["schedule_id"]?.stringValue else { return XCTFail("no schedule_id: \(schedule)") }
        XCTAssertNotNil(schedule["next_run_at"]?.stringValue)
        do {
            _ = try server.call("BackupManager.schedule_backup", ["database_name": "shop", "schedule": "99 * * * *",
                "database_url": .string(source.url), "config_path": .string(directory)])
            XCTFail("an invalid cron expression was accepted")
        } catch let error as RPCError {
            XCTAssertEqual(error.data?["kind"], "invalid_schedule")
        }

        let inTwoHours = Date().addingTimeInterval(7200).formatted(.iso8601)
        let ran = try server.call("BackupManager.run_due", ["config_path": .string(directory), "now": .string(inTwoHours)])
        XCTAssertEqual(ran["ran"]?[0]?["status"], "completed", "\(ran)")
        XCTAssertEqual(ran["ran"]?[0]?["schedule_id"]?.stringValue, scheduleID)
        let again = try server.call("BackupManager.run_due", ["config_path": .string(directory), "now": .string(inTwoHours)])
        XCTAssertEqual(again["ran"], [])

        // The server's background scheduler watches the directory schedule_backup used.
        let inFourHours = Date().addingTimeInterval(4 * 3600).formatted(.iso8601)
        let background = await server.state.backupScheduler.runDue(now: inFourHours)
        XCTAssertEqual(background.flatMap(\.ran).map(\.status), ["completed"])

        // keep_last 1 after each run: the incremental is kept, and with it the full it builds on.
        let listed = try server.call("BackupManager.list_backups", ["config_path": .string(directory)])
        XCTAssertEqual(listed.arrayValue?.compactMap { $0["backup_type"]?.stringValue }, ["full", "incremental"])
        let pruned = try server.call("BackupManager.prune", ["config_path": .string(directory), "keep_last": 1, "dry_run": true])
        XCTAssertEqual(pruned["deleted"], [])
        XCTAssertEqual(pruned["kept"]?.arrayValue?.count, 1)

        let schedules = try server.call("BackupManager.list_schedules", ["config_path": .string(directory)])
        XCTAssertEqual(schedules.arrayValue?.count, 1)
        _ = try server.call("BackupManager.delete_schedule", ["config_path": .string(directory), "schedule_id": .string(scheduleID)])
        XCTAssertEqual(try server.call("BackupManager.list_schedules", ["config_path": .string(directory)]), [])
        _ = try await server.shutdown()
    }

    /// A schedule never stores the password: the server that took the schedule runs it with the password it
    /// was given (kept in memory), another process needs `password_env` (or the engine's own defaults).
    func testSchedulesNeverStoreThePasswordAndFindItWhenTheyRun() async throws {
        let base = try TestDatabases.postgres()
        let password = try XCTUnwrap(base.password)
        let driver = PostgreSQLDriver()
        let source = try await TestDatabases.scratchDatabase(using: driver, on: base, prefix: "it_sched_pw")
        do {
            try await Self.fill(source, rows: 10)
            let directory = TestDatabases.temporaryDirectory().path
            let first = InProcessServer()
            try first.initialize()
            let remembered = try first.call("BackupManager.schedule_backup", ["database_name": "pw", "schedule": "@hourly",
                "database_url": .string(source.url), "config_path": .string(directory)])
            XCTAssertNil(remembered["password_env"])
            setenv("DBM_IT_SCHEDULE_PASSWORD", password, 1)
            defer { unsetenv("DBM_IT_SCHEDULE_PASSWORD") }
            let fromEnvironment = try first.call("BackupManager.schedule_backup", ["database_name": "pw-env", "schedule": "@hourly",
                "database_url": .string(source.url), "config_path": .string(directory), "password_env": "DBM_IT_SCHEDULE_PASSWORD"])
            XCTAssertEqual(fromEnvironment["password_env"], "DBM_IT_SCHEDULE_PASSWORD")
            let stored = try String(contentsOfFile: directory + "/schedules.json", encoding: .utf8)
            XCTAssertFalse(stored.contains(password), "schedules.json holds the password")
            XCTAssertTrue(stored.contains(source.database))

            // The server that was given the password runs both.
            let inTwoHours = Date().addingTimeInterval(7200).formatted(.iso8601)
            let ran = try first.call("BackupManager.run_due", ["config_path": .string(directory), "now": .string(inTwoHours)])
            XCTAssertEqual(ran["ran"]?.arrayValue?.compactMap { $0["status"]?.stringValue }, ["completed", "completed"], "\(ran)")
            _ = try await first.shutdown()

            // A new process knows no password: the password_env schedule runs, the other fails clearly.
            let second = InProcessServer()
            try second.initialize()
            let inFourHours = Date().addingTimeInterval(4 * 3600).formatted(.iso8601)
            let later = try second.call("BackupManager.run_due", ["config_path": .string(directory), "now": .string(inFourHours)])
            let byName = Dictionary(uniqueKeysWithValues: (later["ran"]?.arrayValue ?? []).compactMap { run in
                run["database_name"]?.stringValue.map { ($0, run) }
            })
            XCTAssertEqual(byName["pw-env"]?["status"], "completed", "\(later)")
            XCTAssertEqual(byName["pw"]?["status"], "failed", "\(later)")
            XCTAssertFalse("\(later)".contains(password))
            unsetenv("DBM_IT_SCHEDULE_PASSWORD")
            let inSixHours = Date().addingTimeInterval(6 * 3600).formatted(.iso8601)
            let unset = try second.call("BackupManager.run_due", ["config_path": .string(directory), "now": .string(inSixHours)])
            let envRun = unset["ran"]?.arrayValue?.first { $0["database_name"] == "pw-env" }
            XCTAssertEqual(envRun?["status"], "failed")
            XCTAssertTrue(envRun?["error"]?.stringValue?.contains("DBM_IT_SCHEDULE_PASSWORD") == true, "\(unset)")
            _ = try await second.shutdown()
        } catch {
            await TestDatabases.dropScratchDatabase(using: driver, source)
            throw error
        }
        await TestDatabases.dropScratchDatabase(using: driver, source)
    }

    private static func fill(_ configuration: ConnectionConfiguration, rows: Int) async throws {
        let connection = try await Database.connect(configuration)
        defer { Task { await connection.close() } }
        _ = try await connection.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(10,2))")
        for start in stride(from: 1, through: rows, by: 100) {
            let values = (start..<min(start + 100, rows + 1)).map { "(\($0), 'item \($0)', \($0).25)" }.joined(separator: ", ")
            _ = try await connection.execute("INSERT INTO items (id, name, price) VALUES \(values)")
        }
    }

    private static func count(_ configuration: ConnectionConfiguration) async throws -> Int64? {
        let connection = try await Database.connect(configuration)
        let value = try await connection.scalar("SELECT count(*) FROM items")
        await connection.close()
        if case .integer(let n) = value { return n }
        return nil
    }
}

extension InProcessServer {
    /// Sends a request and returns its result with the notifications that arrived before it.
    func callCollecting(_ method: String, _ params: JSONValue) throws -> (JSONValue, [JSONValue]) {
        let id = Int64.random(in: 1_000_000...9_999_999)
        try send(["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params])
        var notifications: [JSONValue] = []
        while true {
            let message = try read()
            if message["id"] == .integer(id) {
                if let error = message["error"] { throw RPCError(jsonValue: error)! }
                return (message["result"] ?? .null, notifications)
            }
            if message["id"] == nil { notifications.append(message) }
        }
    }
}
