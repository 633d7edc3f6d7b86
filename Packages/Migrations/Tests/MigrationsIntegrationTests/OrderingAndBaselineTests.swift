import DriverTestSupport
import Drivers
import Foundation
import Migrations
import XCTest

/// Dependencies between migrations, migrations merged late (out of order), `baseline`, cancellation.
final class OrderingAndBaselineTests: XCTestCase {
    func testDependenciesOrderBranchesAndMergesOnEveryEngine() async throws {
        for dialect in Dialect.allCases {
            try await ScratchDatabase.with(dialect) { db in
                // 0002 (branch a) needs 0004 (branch b, numbered later); 0005 merges both branches.
                let dir = try MigrationFiles.directory([
                    "0001_root/up.sql": "CREATE TABLE root (id INTEGER PRIMARY KEY);",
                    "0002_branch_a/up.sql": "-- dbm:depends-on: 0001, 0004\nCREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id));",
                    "0003_branch_a2/up.sql": "-- dbm:depends-on: 0002\nCREATE TABLE a2 (id INTEGER);",
                    "0004_branch_b/up.sql": "-- dbm:depends-on: 0001\nCREATE TABLE b (id INTEGER PRIMARY KEY);",
                    "0005_merge/up.sql": "-- dbm:depends-on: 0003, 0004\nCREATE TABLE merged (id INTEGER);",
                ])
                let manager = db.manager(dir)
                let expected = ["0001", "0004", "0002", "0003", "0005"]
                try await assertEqual(await manager.getPendingMigrations().map(\.revision), expected)
                let toTarget = try await manager.upgrade(targetRevision: "0002", dryRun: true)
                XCTAssertEqual(toTarget.changesApplied.map(\.revision), ["0001", "0004", "0002"], "a target brings its dependencies")
                try await assertEqual(await manager.upgrade().changesApplied.map(\.revision), expected, "\(dialect)")
                try await assertEqual(await manager.getMigrationHistory().map(\.revision), expected)
            }
        }
    }

    func testCycleAndMissingDependencyAreClearErrors() async throws {
        try await ScratchDatabase.with(.sqlite) { db in
            let cycle = try MigrationFiles.directory([
                "0001_a/up.sql": "-- dbm:depends-on: 0002\nSELECT 1;", "0002_b/up.sql": "-- dbm:depends-on: 0001\nSELECT 1;",
            ])
            let error = await assertThrows(MigrationError.self) { _ = try await db.manager(cycle).upgrade() }
            XCTAssertEqual(error?.code, .dependencyCycle)
            let missing = try MigrationFiles.directory(["0001_a/up.sql": "-- dbm:depends-on: 0042\nSELECT 1;"])
            let other = await assertThrows(MigrationError.self) { _ = try await db.manager(missing).upgrade() }
            XCTAssertEqual(other?.code, .missingDependency)
            XCTAssertTrue(other?.message.contains("0042") == true)
        }
    }

    func testLateMergedMigrationIsReportedAndNeedsOutOfOrder() async throws {
        try await ScratchDatabase.with(.postgresql) { db in
            let dir = try MigrationFiles.directory([
                "0001_a/up.sql": "CREATE TABLE a (id int);", "0003_c/up.sql": "CREATE TABLE c (id int);",
            ])
            _ = try await db.manager(dir).upgrade()
            try MigrationFiles.write(["0002_b/up.sql": "CREATE TABLE b (id int);"], into: dir)

            let manager = db.manager(dir)
            let refused = await assertThrows(MigrationError.self) { _ = try await manager.upgrade() }
            XCTAssertEqual(refused?.code, .outOfOrder)
            XCTAssertTrue(refused?.message.contains("0002") == true)
            try await assertFalse(await db.tableExists("b"), "not silently skipped, not silently applied")
            let issues = try await manager.validateMigrations()
            XCTAssertTrue(issues.contains { $0.hasPrefix("0002: pending but older") }, "\(issues)")
            let status = try await manager.status()
            XCTAssertEqual(status.outOfOrder, ["0002"])

            let allowed = db.manager(dir, options: MigrationOptions(outOfOrder: true))
            try await assertEqual(await allowed.upgrade().changesApplied.map(\.revision), ["0002"])
            try await assertEqual(await allowed.getCurrentRevision(), "0003")
        }
    }

    func testBaselineMarksAnExistingDatabaseWithoutRunningAnything() async throws {
        try await ScratchDatabase.with(.mysql) { db in
            let dir = try MigrationFiles.directory([
                "0001_users.up.sql": "CREATE TABLE users (id INT);", "0002_posts.up.sql": "CREATE TABLE posts (id INT);",
                "0003_tags.up.sql": "CREATE TABLE tags (id INT);",
            ])
            try await db.execute("CREATE TABLE users (id INT); CREATE TABLE posts (id INT);")
            let manager = db.manager(dir)
            let baseline = try await manager.baseline(revision: "0002")
            XCTAssertEqual(baseline.migrationsMarked, 2)
            XCTAssertEqual(baseline.currentRevision, "0002")
            try await assertEqual(await manager.getMigrationHistory().map(\.source), ["baseline", "baseline"])
            try await assertEqual(await db.column("SELECT CONCAT(version, ':', dirty) FROM schema_migrations"), ["2:0"],
                                  "golang-migrate's table says the same")
            try await assertEqual(await manager.upgrade().changesApplied.map(\.revision), ["0003"])
            let again = await assertThrows(MigrationError.self) { _ = try await manager.baseline(revision: "0001") }
            XCTAssertEqual(again?.code, .invalidRequest)
        }
    }

    func testCancellingATransactionalRunRollsBackTheMigrationInFlightOnPostgreSQL() async throws {
        try await cancelInFlight(.postgresql, slow: "SELECT pg_sleep(30);")
    }

    /// On SQLite the completed migrations live in the lock's transaction: they must survive the cancel.
    func testCancellingATransactionalRunRollsBackTheMigrationInFlightOnSQLite() async throws {
        try await cancelInFlight(.sqlite, slow: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) SELECT COUNT(*) FROM n;")
    }

    private func cancelInFlight(_ dialect: Dialect, slow: String) async throws {
        try await ScratchDatabase.with(dialect) { db in
            let dir = try MigrationFiles.directory([
                "0001_fast/up.sql": "CREATE TABLE fast (id int);",
                "0002_slow/up.sql": "CREATE TABLE slow (id int);\n\(slow)",
            ])
            let events = EventLog()
            let manager = db.manager(dir, progress: { events.append($0) })
            let run = Task { try await manager.upgrade() }
            while !events.all.contains(where: { $0.revision == "0002" && $0.phase == .started }) {
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            try await Task.sleep(nanoseconds: 300_000_000)
            let started = Date()
            run.cancel()
            let result = await run.result
            XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the running statement was cancelled, not waited out")
            guard case .failure(let error) = result else { return XCTFail("expected cancellation") }
            XCTAssertEqual((error as? MigrationError)?.code, .cancelled, "\(error)")
            try await assertTrue(await db.tableExists("fast"))
            try await assertFalse(await db.tableExists("slow"), "the migration in flight was rolled back")
            try await assertEqual(await manager.getMigrationHistory().map(\.revision), ["0001"])
        }
    }

    func testCancellingAStatementByStatementRunStopsBetweenStatementsOnMariaDB() async throws {
        try await ScratchDatabase.with(.mysql) { db in
            let dir = try MigrationFiles.directory([
                "0001_steps/up.sql": "CREATE TABLE one (id int);\nDO SLEEP(30);\nCREATE TABLE two (id int);",
            ])
            let manager = db.manager(dir)
            let run = Task { try await manager.upgrade() }
            for _ in 0..<200 where !(try await db.tableExists("one")) { try await Task.sleep(nanoseconds: 20_000_000) }
            try await Task.sleep(nanoseconds: 300_000_000)
            let started = Date()
            run.cancel()
            guard case .failure(let error) = await run.result else { return XCTFail("expected cancellation") }
            XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the running statement was killed, not waited out")
            XCTAssertEqual((error as? MigrationError)?.code, .cancelled, "\(error)")
            try await assertFalse(await db.tableExists("two"), "stopped before the next statement")
            let entry = try await manager.getMigrationHistory().first
            XCTAssertEqual(entry?.success, false)
            XCTAssertEqual(entry?.statementsApplied, 1, "the history says where it stopped")
            // Resuming runs the rest, from the interrupted statement (shortened here: statements may be fixed in place).
            try MigrationFiles.write(["0001_steps/up.sql": "CREATE TABLE one (id int);\nDO SLEEP(0);\nCREATE TABLE two (id int);"], into: dir)
            _ = try await manager.repair(action: .resume)
            try await assertTrue(await db.tableExists("two"))
        }
    }
}
