import DriverTestSupport
import Drivers
import Foundation
import Migrations
import XCTest

/// The real migration sets in `shared/fixtures/migrations`, applied from an empty database.
final class FixtureSetTests: XCTestCase {
    private func fixture(_ path: String) throws -> URL {
        try TestDatabases.fixture("migrations/" + path)
    }

    /// Harbor: golang-migrate, up-only; 0030 alters golang-migrate's own `schema_migrations`, which the toolkit
    /// creates exactly as golang-migrate does before the first migration runs.
    func testHarborAppliesOnPostgreSQL() async throws {
        let dir = try fixture("harbor-golang-migrate/postgresql")
        try await ScratchDatabase.with(.postgresql) { db in
            let manager = db.manager(dir)
            let dataVersion = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                + "AND table_name = 'schema_migrations' AND column_name = 'data_version'"
            let first = try await manager.upgrade(targetRevision: "0030")
            XCTAssertEqual(first.currentVersion, "0030")
            try await assertEqual(await db.column(dataVersion), ["data_version"], "0030 altered golang-migrate's table")
            try await assertEqual(await db.column("SELECT version || ':' || dirty FROM schema_migrations"), ["30:false"])

            let result = try await manager.upgrade()
            XCTAssertEqual(first.migrationsExecuted + result.migrationsExecuted, 39)
            XCTAssertEqual(result.currentVersion, "0190")
            XCTAssertFalse(result.rollbackAvailable, "harbor has no down files")
            // 49 tables per SOURCE.md (schema_migrations included), plus the toolkit's history.
            try await assertEqual(await db.tableCount(), 50)
            try await assertEqual(await db.column("SELECT version || ':' || dirty FROM schema_migrations"), ["190:false"])
            try await assertEqual(await db.column(dataVersion), [], "0040 dropped the column again")
            try await assertEqual(await manager.upgrade().migrationsExecuted, 0)
            try await assertEqual(await manager.validateMigrations(), [])
        }
    }

    /// Harness: names only resembling golang-migrate's (repeated numbers, `_up.sql`, number-only), applied in
    /// file-name order with maragudk/migrate's `migrations` table (its 0000 adds a primary key to that table).
    func testHarnessAppliesOnPostgreSQL() async throws {
        let dir = try fixture("harness-gitness/postgres")
        try await ScratchDatabase.with(.postgresql) { db in
            let manager = db.manager(dir)
            let result = try await manager.upgrade()
            XCTAssertEqual(result.migrationsExecuted, 209)
            try await assertEqual(await db.column("SELECT version FROM migrations"), [result.currentVersion])
            let tables = try await db.tableCount()
            XCTAssertEqual(tables, 98 + 1, "98 tables per SOURCE.md (migrations included), plus the toolkit's history")
            let issues = try await manager.validateMigrations()
            XCTAssertEqual(issues, ["0026_alter_repo_drop_join_id.down.sql: not a file-order migration file name; it is ignored"],
                           "the one orphan down file is reported, not silently dropped")
        }
    }

    /// Harness on SQLite needs `unhex()` (SQLite 3.41) from 0170 on. With an older library the run stops there, and
    /// says so; everything before it applies.
    func testHarnessOnSQLiteAppliesUpToTheLibrarysLimit() async throws {
        let dir = try fixture("harness-gitness/sqlite")
        try await ScratchDatabase.with(.sqlite) { db in
            let connection = try await Database.connect(db.configuration)
            let version = try await connection.serverVersion()
            await connection.close()
            let parts = version.split(separator: ".").compactMap { Int($0) }
            let hasUnhex = parts.count >= 2 && (parts[0] > 3 || (parts[0] == 3 && parts[1] >= 41))
            let manager = db.manager(dir)
            if hasUnhex {
                let result = try await manager.upgrade()
                XCTAssertEqual(result.migrationsExecuted, 206)
                return
            }
            let error = await assertThrows(MigrationError.self) { _ = try await manager.upgrade() }
            XCTAssertEqual(error?.code, .executionFailed)
            XCTAssertEqual(error?.revision, "0170")
            XCTAssertTrue(error?.underlying?.message.contains("unhex") == true, "\(String(describing: error))")
            try await assertEqual(await manager.getMigrationHistory().count, 186, "SOURCE.md: 186 files apply with SQLite 3.40")
        }
    }

    /// hawkBit on MariaDB, the two ways Flyway would: on an empty database the baseline file B1_20_0 alone; with a
    /// target below the baseline, the 58 versioned files.
    func testHawkbitBaselineAppliesOnMariaDB() async throws {
        let dir = try fixture("hawkbit-flyway/MYSQL")
        try await ScratchDatabase.with(.mysql) { db in
            let manager = db.manager(dir)
            let result = try await manager.upgrade()
            XCTAssertEqual(result.changesApplied.map(\.revision), ["1.20.0"])
            XCTAssertEqual(result.currentVersion, "1.20.0")
            try await assertEqual(await db.tableCount(), 29 + 2)
            try await assertEqual(await db.column("SELECT type FROM flyway_schema_history"), ["SQL_BASELINE"])
            try await assertEqual(await manager.getPendingMigrations().count, 0, "versions below the baseline are not pending")
        }
    }

    func testHawkbitVersionedChainAppliesOnMariaDB() async throws {
        let dir = try fixture("hawkbit-flyway/MYSQL")
        try await ScratchDatabase.with(.mysql) { db in
            let manager = db.manager(dir)
            let result = try await manager.upgrade(targetRevision: "1.12.39")
            XCTAssertEqual(result.migrationsExecuted, 58)
            try await assertEqual(await db.tableCount(), 29 + 2)
            try await assertEqual(await db.column("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1"), ["58"])
        }
    }

    func testHawkbitBothWaysOnPostgreSQL() async throws {
        let dir = try fixture("hawkbit-flyway/POSTGRESQL")
        try await ScratchDatabase.with(.postgresql) { db in
            let result = try await db.manager(dir).upgrade(targetRevision: "1.12.39")
            XCTAssertEqual(result.migrationsExecuted, 25)
            XCTAssertTrue(result.changesApplied.contains { $0.revision == "1.12.37" && $0.mode == "statement_by_statement" },
                          "V1_12_37 has its own BEGIN/COMMIT, so it runs statement by statement")
            try await assertEqual(await db.tableCount(), 29 + 2)
        }
        try await ScratchDatabase.with(.postgresql) { db in
            let result = try await db.manager(dir).upgrade()
            XCTAssertEqual(result.changesApplied.map(\.revision), ["1.20.0"])
            try await assertEqual(await db.tableCount(), 29 + 2)
        }
    }
}
