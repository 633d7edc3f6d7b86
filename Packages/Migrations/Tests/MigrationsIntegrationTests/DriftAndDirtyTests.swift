import DriverTestSupport
import Drivers
import Foundation
import Migrations
import XCTest

/// Editing applied migrations (drift), failures that leave a migration half-applied (dirty), and `repair`.
final class DriftAndDirtyTests: XCTestCase {
    func testDriftOnSQLite() async throws { try await drift(.sqlite) }
    func testDriftOnPostgreSQL() async throws { try await drift(.postgresql) }
    func testDriftOnMariaDB() async throws { try await drift(.mysql) }

    private func drift(_ dialect: Dialect) async throws {
        try await ScratchDatabase.with(dialect) { db in
            let dir = try MigrationFiles.blog(dialect)
            let manager = db.manager(dir)
            _ = try await manager.upgrade(targetRevision: "0002")
            try MigrationFiles.write(["0001_users/up.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(120) NOT NULL);"], into: dir)

            let issues = try await manager.validateMigrations()
            XCTAssertEqual(issues.count, 1, "\(issues)")
            XCTAssertTrue(issues.first?.hasPrefix("0001: drift") == true, "\(issues)")

            let error = await assertThrows(MigrationError.self) { _ = try await manager.upgrade() }
            XCTAssertEqual(error?.code, .drift)
            XCTAssertTrue(error?.message.contains("accept_checksums") == true)
            try await assertEqual(await manager.getCurrentRevision(), "0002", "upgrade refused: nothing ran")

            let repaired = try await manager.repair(action: .acceptChecksums)
            XCTAssertEqual(repaired.revisions, ["0001"])
            try await assertEqual(await manager.validateMigrations(), [])
            try await assertEqual(await manager.upgrade().currentVersion, "0003")
        }
    }

    func testDirtyStateAndResumeOnMariaDB() async throws { try await dirtyAndResume(.mysql, header: "") }
    func testDirtyStateAndResumeOnPostgreSQLWithoutTransaction() async throws {
        try await dirtyAndResume(.postgresql, header: "-- dbm:no-transaction\n")
    }
    func testDirtyStateAndResumeOnSQLiteWithoutTransaction() async throws {
        try await dirtyAndResume(.sqlite, header: "-- dbm:no-transaction\n")
    }

    private func dirtyAndResume(_ dialect: Dialect, header: String) async throws {
        try await ScratchDatabase.with(dialect) { db in
            let broken = header + "CREATE TABLE a (id INTEGER);\nINSERT INTO missing_table VALUES (1);\nCREATE TABLE c (id INTEGER);\n"
            let dir = try MigrationFiles.directory([
                "0001_base/up.sql": "CREATE TABLE base (id INTEGER);",
                "0002_three_steps/up.sql": broken,
                "0002_three_steps/down.sql": "DROP TABLE c;\nDROP TABLE a;",
            ])
            let manager = db.manager(dir)
            let failure = await assertThrows(MigrationError.self) { _ = try await manager.upgrade() }
            XCTAssertEqual(failure?.code, .dirty)
            XCTAssertEqual(failure?.revision, "0002")
            XCTAssertEqual(failure?.statementIndex, 2)
            XCTAssertTrue(failure?.statement?.contains("missing_table") == true)
            XCTAssertNotNil(failure?.underlying)
            try await assertTrue(await db.tableExists("a"), "statement 1 ran and stays: nothing is hidden")
            try await assertFalse(await db.tableExists("c"))

            let history = try await manager.getMigrationHistory()
            let dirty = try XCTUnwrap(history.first { $0.revision == "0002" })
            XCTAssertFalse(dirty.success)
            XCTAssertEqual(dirty.statementsApplied, 1)
            XCTAssertTrue(dirty.failedStatement?.contains("missing_table") == true)
            XCTAssertNotNil(dirty.errorMessage)

            // The next run refuses and says what happened and what to do.
            let refused = await assertThrows(MigrationError.self) { _ = try await manager.upgrade() }
            XCTAssertEqual(refused?.code, .dirty)
            XCTAssertTrue(refused?.message.contains("missing_table") == true, refused?.message ?? "")
            XCTAssertTrue(refused?.message.contains("resume") == true)
            let issues = try await manager.validateMigrations()
            XCTAssertTrue(issues.contains { $0.contains("0002: dirty") }, "\(issues)")

            // Fix the failing statement in place, then resume from it.
            let fixed = header + "CREATE TABLE a (id INTEGER);\nCREATE TABLE b (id INTEGER);\nCREATE TABLE c (id INTEGER);\n"
            try MigrationFiles.write(["0002_three_steps/up.sql": fixed], into: dir)
            let resumed = try await manager.repair(action: .resume)
            XCTAssertEqual(resumed.currentRevision, "0002")
            try await assertTrue(await db.tableExists("b"))
            try await assertTrue(await db.tableExists("c"))
            try await assertEqual(await manager.validateMigrations(), [], "resume recorded the fixed file's checksum")
            let entry = try await manager.getMigrationHistory().first { $0.revision == "0002" }
            XCTAssertEqual(entry?.success, true)
            XCTAssertEqual(entry?.statementsApplied, 3)
        }
    }

    func testMarkRolledBackAndMarkAppliedOnMariaDB() async throws {
        try await ScratchDatabase.with(.mysql) { db in
            let dir = try MigrationFiles.directory([
                "0001_a/up.sql": "CREATE TABLE a (id INTEGER);\nINSERT INTO nope VALUES (1);",
                "0001_a/down.sql": "DROP TABLE a;",
            ])
            let manager = db.manager(dir)
            _ = await assertThrows(MigrationError.self) { _ = try await manager.upgrade() }
            // Undo by hand, tell the toolkit, and the migration is pending again.
            try await db.execute("DROP TABLE a")
            let rolledBack = try await manager.repair(action: .markRolledBack)
            XCTAssertNil(rolledBack.currentRevision)
            try await assertEqual(await manager.getPendingMigrations().map(\.revision), ["0001"])
            try await assertEqual(await manager.getMigrationHistory().count, 0)

            // Fail again, finish by hand this time, mark it applied.
            _ = await assertThrows(MigrationError.self) { _ = try await manager.upgrade() }
            let applied = try await manager.repair(action: .markApplied, revision: "0001")
            XCTAssertEqual(applied.currentRevision, "0001")
            try await assertEqual(await manager.getPendingMigrations().count, 0)

            let nothing = await assertThrows(MigrationError.self) { _ = try await manager.repair(action: .resume) }
            XCTAssertEqual(nothing?.code, .invalidRequest)
        }
    }

    func testFailedRollbackOnMariaDBIsDirtyAndResumable() async throws {
        try await ScratchDatabase.with(.mysql) { db in
            let dir = try MigrationFiles.directory([
                "0001_a/up.sql": "CREATE TABLE a (id INTEGER);\nCREATE TABLE b (id INTEGER);",
                "0001_a/down.sql": "DROP TABLE b;\nDROP TABLE not_there;\nDROP TABLE a;",
            ])
            let manager = db.manager(dir)
            _ = try await manager.upgrade()
            let failure = await assertThrows(MigrationError.self) { _ = try await manager.downgrade(targetRevision: "base") }
            XCTAssertEqual(failure?.code, .dirty)
            XCTAssertTrue(failure?.message.hasPrefix("rolling back") == true)
            let entry = try await manager.getMigrationHistory().first
            XCTAssertEqual(entry?.direction, .down)
            XCTAssertEqual(entry?.statementsApplied, 1)

            try MigrationFiles.write(["0001_a/down.sql": "DROP TABLE b;\nDROP TABLE IF EXISTS not_there;\nDROP TABLE a;"], into: dir)
            let resumed = try await manager.repair(action: .resume)
            XCTAssertNil(resumed.currentRevision)
            try await assertFalse(await db.tableExists("a"))
            try await assertEqual(await manager.getMigrationHistory().count, 0)
        }
    }
}
