import DriverTestSupport
import Drivers
import Foundation
import Migrations
import XCTest

/// Two runners on one database: a second one waits up to `lock_timeout` or fails clearly, never applies a
/// migration twice, and a crashed runner's lock is released by the server.
final class LockTests: XCTestCase {
    func testLockContentionWithAnotherProcessOnSQLite() async throws { try await contention(.sqlite) }
    func testLockContentionWithAnotherProcessOnPostgreSQL() async throws { try await contention(.postgresql) }
    func testLockContentionWithAnotherProcessOnMariaDB() async throws { try await contention(.mysql) }

    private func contention(_ dialect: Dialect) async throws {
        try await ScratchDatabase.with(dialect) { db in
            if dialect == .sqlite { try await db.execute("CREATE TABLE keep_file (id int)") }
            let dir = try MigrationFiles.blog(dialect)
            let impatient = db.manager(dir, options: MigrationOptions(lockTimeout: 0.5))
            let holder = try LockHolder(for: impatient, seconds: 3)
            try await holder.waitUntilHeld(db, manager: impatient)

            let started = Date()
            let error = await assertThrows(MigrationError.self) { _ = try await impatient.upgrade() }
            XCTAssertEqual(error?.code, .lockTimeout)
            XCTAssertTrue(error?.message.contains("another migration run holds the lock") == true, error?.message ?? "")
            XCTAssertLessThan(Date().timeIntervalSince(started), 2.9, "gave up after lock_timeout, before the holder finished")
            try await assertFalse(await db.tableExists("users"), "nothing ran without the lock")

            // A patient runner waits for the holder to finish, then applies everything once.
            let patient = db.manager(dir, options: MigrationOptions(lockTimeout: 30))
            let result = try await patient.upgrade()
            XCTAssertEqual(result.migrationsExecuted, 3)
            holder.waitForExit()
        }
    }

    func testLockOfACrashedRunnerIsReleasedOnPostgreSQL() async throws { try await crashedHolder(.postgresql) }
    func testLockOfACrashedRunnerIsReleasedOnMariaDB() async throws { try await crashedHolder(.mysql) }
    func testLockOfACrashedRunnerIsReleasedOnSQLite() async throws { try await crashedHolder(.sqlite) }

    private func crashedHolder(_ dialect: Dialect) async throws {
        try await ScratchDatabase.with(dialect) { db in
            if dialect == .sqlite { try await db.execute("CREATE TABLE keep_file (id int)") }
            let manager = db.manager(try MigrationFiles.blog(dialect), options: MigrationOptions(lockTimeout: 20))
            let holder = try LockHolder(for: manager, seconds: 120)
            try await holder.waitUntilHeld(db, manager: manager)
            holder.crash()
            let started = Date()
            try await assertEqual(await manager.upgrade().migrationsExecuted, 3)
            XCTAssertLessThan(Date().timeIntervalSince(started), 10, "no stuck lock to wait out")
            try await assertEqual(await manager.getMigrationHistory().count, 3)
        }
    }

    func testConcurrentRunnersApplyEachMigrationOnceOnSQLite() async throws { try await concurrentRunners(.sqlite) }
    func testConcurrentRunnersApplyEachMigrationOnceOnPostgreSQL() async throws { try await concurrentRunners(.postgresql) }
    func testConcurrentRunnersApplyEachMigrationOnceOnMariaDB() async throws { try await concurrentRunners(.mysql) }

    private func concurrentRunners(_ dialect: Dialect) async throws {
        try await ScratchDatabase.with(dialect) { db in
            let slow = switch dialect {
            case .postgresql: "SELECT pg_sleep(0.3);"
            case .mysql: "DO SLEEP(0.3);"
            case .sqlite: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT COUNT(*) FROM n;"
            }
            let dir = try MigrationFiles.directory([
                "0001_a/up.sql": "CREATE TABLE a (id INTEGER);\n\(slow)\nINSERT INTO a VALUES (1);",
                "0002_b/up.sql": "INSERT INTO a VALUES (2);\n\(slow)",
                "0003_c/up.sql": "INSERT INTO a VALUES (3);",
            ])
            let first = db.manager(dir)
            let second = db.manager(dir)
            async let one = first.upgrade()
            async let two = second.upgrade()
            let (r1, r2) = try await (one, two)
            XCTAssertEqual(r1.migrationsExecuted + r2.migrationsExecuted, 3, "each migration ran exactly once")
            try await assertEqual(await db.column("SELECT id FROM a ORDER BY id"), ["1", "2", "3"])
            try await assertEqual(await first.getMigrationHistory().map(\.revision), ["0001", "0002", "0003"])
        }
    }
}
