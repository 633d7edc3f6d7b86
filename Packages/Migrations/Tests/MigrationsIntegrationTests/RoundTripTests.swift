import DriverTestSupport
import Drivers
import Foundation
import Migrations
import XCTest

/// Up/down round trips, dry runs, targets and the read-only methods, on all three engines.
final class RoundTripTests: XCTestCase {
    func testUpDownRoundTripOnSQLite() async throws { try await roundTrip(.sqlite) }
    func testUpDownRoundTripOnPostgreSQL() async throws { try await roundTrip(.postgresql) }
    func testUpDownRoundTripOnMariaDB() async throws { try await roundTrip(.mysql) }

    private func roundTrip(_ dialect: Dialect) async throws {
        try await ScratchDatabase.with(dialect) { db in
            let dir = try MigrationFiles.blog(dialect)
            let manager = db.manager(dir)
            try await assertNil(await manager.getCurrentRevision())
            try await assertEqual(await manager.getPendingMigrations().map(\.revision), ["0001", "0002", "0003"])

            let dry = try await manager.upgrade(dryRun: true)
            XCTAssertTrue(dry.dryRun)
            XCTAssertEqual(dry.changesApplied.map(\.revision), ["0001", "0002", "0003"])
            XCTAssertTrue(dry.changesApplied[0].sql.contains("CREATE TABLE users"))
            try await assertFalse(await db.tableExists("users"), "a dry run changes nothing")
            try await assertFalse(await db.tableExists(MigrationOptions.defaultMigrationsTable), "not even the history table")

            let partial = try await manager.upgrade(targetRevision: "0002")
            XCTAssertEqual(partial.migrationsExecuted, 2)
            XCTAssertEqual(partial.migrationsPending, 1)
            XCTAssertEqual(partial.currentVersion, "0002")
            XCTAssertTrue(partial.rollbackAvailable)
            XCTAssertEqual(partial.changesApplied.map(\.mode), Array(repeating: dialect == .mysql ? "statement_by_statement" : "transactional", count: 2))

            let rest = try await manager.upgrade()
            XCTAssertEqual(rest.changesApplied.map(\.revision), ["0003"])
            XCTAssertEqual(rest.previousVersion, "0002")
            try await assertEqual(await manager.getCurrentRevision(), "0003")
            try await assertEqual(await db.column("SELECT name FROM users"), ["ada"])

            let history = try await manager.getMigrationHistory()
            XCTAssertEqual(history.map(\.revision), ["0001", "0002", "0003"])
            XCTAssertTrue(history.allSatisfy { $0.success && $0.checksum.count == 64 && !$0.appliedBy.isEmpty })
            XCTAssertEqual(history[0].statementsApplied, 2)

            let again = try await manager.upgrade()
            XCTAssertEqual(again.migrationsExecuted, 0, "nothing left to apply")
            try await assertTrue(await manager.validateMigrations().isEmpty)

            let down = try await manager.downgrade(targetRevision: "0001")
            XCTAssertEqual(down.changesApplied.map(\.revision), ["0003", "0002"])
            XCTAssertEqual(down.currentVersion, "0001")
            try await assertFalse(await db.tableExists("posts"))
            try await assertTrue(await db.tableExists("users"))
            try await assertEqual(await manager.getPendingMigrations().map(\.revision), ["0002", "0003"])

            let all = try await manager.downgrade(targetRevision: "base")
            XCTAssertEqual(all.changesApplied.map(\.revision), ["0001"])
            XCTAssertNil(all.currentVersion)
            try await assertFalse(await db.tableExists("users"))
            try await assertEqual(await manager.getMigrationHistory().count, 0)

            // And up again from nothing: the round trip is repeatable.
            try await assertEqual(await manager.upgrade().migrationsExecuted, 3)
        }
    }

    func testRunMigrationsDirectionsOnSQLite() async throws {
        try await ScratchDatabase.with(.sqlite) { db in
            let dir = try MigrationFiles.blog(.sqlite)
            let manager = MigrationManagerParams(migrationDir: dir.path, connection: db.configuration)
            let up = try await runMigrations(RunMigrationsParams(manager: manager, direction: .up, targetRevision: "0001"))
            XCTAssertEqual(up.direction, .up)
            XCTAssertEqual(up.currentVersion, "0001")
            let latest = try await runMigrations(RunMigrationsParams(manager: manager, direction: .latest, targetRevision: "0001"))
            XCTAssertEqual(latest.currentVersion, "0003", "latest ignores the target")
            let rollback = try await runMigrations(RunMigrationsParams(manager: manager, direction: .rollback))
            XCTAssertEqual(rollback.direction, .rollback)
            XCTAssertEqual(rollback.currentVersion, "0002")
            let dryDown = try await runMigrations(RunMigrationsParams(manager: manager, direction: .down, targetRevision: "base", dryRun: true))
            XCTAssertEqual(dryDown.changesApplied.map(\.revision), ["0002", "0001"])
            XCTAssertEqual(dryDown.currentVersion, "0002", "dry run changed nothing")
            let down = try await runMigrations(RunMigrationsParams(manager: manager, direction: .down, steps: 2))
            XCTAssertNil(down.currentVersion)
        }
    }

    func testDowngradeRefusesUpOnlyMigrationsBeforeChangingAnything() async throws {
        try await ScratchDatabase.with(.sqlite) { db in
            let dir = try MigrationFiles.directory([
                "0001_a/up.sql": "CREATE TABLE a (id int);", "0001_a/down.sql": "DROP TABLE a;",
                "0002_b/up.sql": "CREATE TABLE b (id int);",
            ])
            let manager = db.manager(dir)
            _ = try await manager.upgrade()
            do {
                _ = try await manager.downgrade(targetRevision: "base")
                XCTFail("expected irreversible")
            } catch let error as MigrationError {
                XCTAssertEqual(error.code, .irreversible)
                XCTAssertEqual(error.revision, "0002")
            }
            try await assertTrue(await db.tableExists("a"))
            try await assertEqual(await manager.getCurrentRevision(), "0002")
        }
    }

    func testFailingTransactionalMigrationIsRolledBackAndNamed() async throws {
        for dialect in [Dialect.sqlite, .postgresql] {
            try await ScratchDatabase.with(dialect) { db in
                let dir = try MigrationFiles.directory([
                    "0001_a/up.sql": "CREATE TABLE a (id int);",
                    "0002_b/up.sql": "CREATE TABLE b (id int);\nINSERT INTO no_such_table VALUES (1);",
                ])
                let manager = db.manager(dir)
                do {
                    _ = try await manager.upgrade()
                    XCTFail("expected a failure")
                } catch let error as MigrationError {
                    XCTAssertEqual(error.code, .executionFailed)
                    XCTAssertEqual(error.revision, "0002")
                    XCTAssertNotNil(error.underlying)
                }
                try await assertTrue(await db.tableExists("a"), "0001 stays applied")
                try await assertFalse(await db.tableExists("b"), "0002 rolled back entirely on \(dialect)")
                try await assertEqual(await manager.getCurrentRevision(), "0001")
                try await assertEqual(await manager.getMigrationHistory().map(\.revision), ["0001"], "no dirty row")
            }
        }
    }

    /// On PostgreSQL a migration in the toolkit's format goes out as one pipeline with its history row.
    func testPipelinedMigrationOnPostgreSQLRecordsItsRowAndNamesTheFailingStatement() async throws {
        try await ScratchDatabase.with(.postgresql) { db in
            let dir = try MigrationFiles.directory([
                "0001_a/up.sql": "CREATE TABLE a (id int);\nSELECT pg_sleep(0.2);\nINSERT INTO a VALUES (1);",
                "0001_a/down.sql": "DROP TABLE a;",
                "0002_b/up.sql": "CREATE TABLE b (id int);\nINSERT INTO b VALUES ('not a number');\nCREATE TABLE c (id int);",
            ])
            let manager = db.manager(dir)
            do {
                _ = try await manager.upgrade()
                XCTFail("expected a failure")
            } catch let error as MigrationError {
                XCTAssertEqual(error.code, .executionFailed)
                XCTAssertEqual(error.revision, "0002")
                XCTAssertEqual(error.underlying?.sql?.contains("not a number"), true, "\(String(reflecting: error))")
            }
            let history = try await manager.getMigrationHistory()
            XCTAssertEqual(history.map(\.revision), ["0001"])
            XCTAssertEqual(history.first?.statementsApplied, 3)
            XCTAssertEqual(history.first?.success, true)
            // The row's time is the server's time since BEGIN, so it covers the body's pg_sleep(0.2).
            XCTAssertGreaterThanOrEqual(history.first?.executionTimeMs ?? 0, 200)
            try await assertEqual(await db.column("SELECT id FROM a"), ["1"])
            try await assertFalse(await db.tableExists("b"), "0002 rolled back entirely")
            try await assertFalse(await db.tableExists("c"))
            _ = try await manager.downgrade(targetRevision: "base")
            try await assertFalse(await db.tableExists("a"))
            try await assertEqual(await manager.getMigrationHistory().map(\.revision), [])
        }
    }

    func testProgressIsReportedPerMigration() async throws {
        try await ScratchDatabase.with(.sqlite) { db in
            let events = EventLog()
            let manager = db.manager(try MigrationFiles.blog(.sqlite), progress: { events.append($0) })
            _ = try await manager.upgrade()
            let seen = events.all.map { "\($0.phase.rawValue) \($0.revision) \($0.index)/\($0.total)" }
            XCTAssertEqual(seen, ["started 0001 1/3", "finished 0001 1/3", "started 0002 2/3", "finished 0002 2/3",
                                  "started 0003 3/3", "finished 0003 3/3"])
            XCTAssertNotNil(events.all.last?.executionTimeMs)
        }
    }

    func testMigrationObjectAppliesAndRollsBackWithoutHistory() async throws {
        try await ScratchDatabase.with(.postgresql) { db in
            let migration = Migration(revision: "x1", description: "t", upgradeSQL: "CREATE TABLE t (id int);", downgradeSQL: "DROP TABLE t;")
            let params = MigrationExecutionParams(migration: migration, connection: db.configuration)
            let applied = try await params.run(rollback: false)
            XCTAssertTrue(applied.success)
            try await assertTrue(await db.tableExists("t"))
            try await assertFalse(await db.tableExists(MigrationOptions.defaultMigrationsTable))
            _ = try await params.run(rollback: true)
            try await assertFalse(await db.tableExists("t"))
        }
    }
}

/// Collects progress events from any thread. `@unchecked Sendable`: the array is only touched under the lock.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [MigrationProgress] = []

    func append(_ event: MigrationProgress) {
        lock.lock(); defer { lock.unlock() }
        events.append(event)
    }

    var all: [MigrationProgress] {
        lock.lock(); defer { lock.unlock() }
        return events
    }
}
