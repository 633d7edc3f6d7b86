@testable import Migrations
import DatabaseDriver
import DriverTestSupport
import Foundation
import XCTest

/// The applied/pending/drift/out-of-order arithmetic, on in-memory histories.
final class PlanningTests: XCTestCase {
    private func directory(_ migrations: [Migration], format: MigrationFormat = .dbm) -> MigrationDirectory {
        MigrationDirectory(path: "/m", format: format, migrations: migrations, ignoredFiles: [])
    }

    private func m(_ revision: String, kind: MigrationKind = .versioned, sql: String = "SELECT 1;") -> Migration {
        Migration(revision: revision, description: "m\(revision)", upgradeSQL: sql, downgradeSQL: "SELECT 0;", kind: kind)
    }

    private func applied(_ migration: Migration, order: Int, success: Bool = true, checksum: String? = nil) -> HistoryEntry {
        HistoryEntry(revision: migration.revision, description: migration.description, kind: migration.kind,
                     checksum: checksum ?? migration.checksum, appliedAt: Date(), appliedBy: "t", executionTimeMs: 1,
                     success: success, statementsApplied: 1, appliedOrder: order, source: "dbm")
    }

    func testPendingUpToATargetAndCurrentRevision() throws {
        let all = ["1", "2", "3", "4"].map { m($0) }
        let state = MigrationState(directory: directory(all), history: [applied(all[0], order: 1)], tool: ToolHistoryState())
        XCTAssertEqual(state.currentRevision, "1")
        XCTAssertEqual(try state.pending().map(\.revision), ["2", "3", "4"])
        XCTAssertEqual(try state.pending(upTo: "3").map(\.revision), ["2", "3"])
        XCTAssertThrowsError(try state.pending(upTo: "9")) { XCTAssertEqual(($0 as? MigrationError)?.code, .unknownRevision) }
    }

    func testALateMigrationOlderThanTheNewestAppliedIsOutOfOrder() throws {
        let all = ["1", "2", "3"].map { m($0) }
        let state = MigrationState(directory: directory(all), history: [applied(all[0], order: 1), applied(all[2], order: 2)],
                                   tool: ToolHistoryState())
        let pending = try state.pending()
        XCTAssertEqual(pending.map(\.revision), ["2"])
        XCTAssertEqual(state.outOfOrder(in: pending).map(\.revision), ["2"])
    }

    func testEditedAppliedFileIsDriftAndMissingFilesAreReported() {
        let all = [m("1"), m("2")]
        let gone = HistoryEntry(revision: "0", description: "old", kind: .versioned, checksum: "x", appliedAt: Date(),
                                appliedBy: "t", executionTimeMs: 0, success: true, statementsApplied: 0, appliedOrder: 0, source: "dbm")
        let state = MigrationState(directory: directory(all),
                                   history: [gone, applied(all[0], order: 1, checksum: "0000"), applied(all[1], order: 2)],
                                   tool: ToolHistoryState())
        XCTAssertEqual(state.drifted.map(\.migration.revision), ["1"])
        XCTAssertEqual(state.missing.map(\.revision), ["0"])
    }

    func testDirtyEntryIsNotApplied() {
        let all = [m("1"), m("2")]
        let state = MigrationState(directory: directory(all), history: [applied(all[0], order: 1), applied(all[1], order: 2, success: false)],
                                   tool: ToolHistoryState())
        XCTAssertEqual(state.dirty?.revision, "2")
        XCTAssertEqual(state.currentRevision, "1")
    }

    func testFlywayBaselineReplacesTheVersionsItCoversOnAFreshDatabase() throws {
        let all = [m("1.0"), m("1.1"), m("1.2", kind: .baseline), m("1.2"), m("1.3"), m("R__views", kind: .repeatable)]
        let fresh = MigrationState(directory: directory(all, format: .flyway), history: [], tool: ToolHistoryState())
        XCTAssertEqual(try fresh.pending().map { "\($0.kind.rawValue):\($0.revision)" },
                       ["baseline:1.2", "versioned:1.3", "repeatable:R__views"])
        XCTAssertEqual(try fresh.pending(upTo: "1.1").map(\.revision), ["1.0", "1.1"], "a target below the baseline runs the V chain")
        let started = MigrationState(directory: directory(all, format: .flyway), history: [applied(all[0], order: 1)], tool: ToolHistoryState())
        XCTAssertEqual(try started.pending().map(\.revision), ["1.1", "1.2", "1.3", "R__views"], "baselines only apply to empty databases")
    }

    func testRepeatableRunsAgainWhenItsChecksumChanges() throws {
        let view = m("R__v", kind: .repeatable, sql: "CREATE VIEW v AS SELECT 2;")
        let state = MigrationState(directory: directory([m("1"), view], format: .flyway),
                                   history: [applied(m("1"), order: 1), applied(view, order: 2, checksum: "old")], tool: ToolHistoryState())
        XCTAssertEqual(try state.pending().map(\.revision), ["R__v"])
        XCTAssertTrue(state.drifted.isEmpty, "repeatables are meant to change")
    }

    func testOtherToolsAppliedVersionsAreAdopted() throws {
        let all = ["1", "2", "3"].map { m($0) }
        var tool = ToolHistoryState()
        tool.applied = ["1", "2"]
        let state = MigrationState(directory: directory(all, format: .golangMigrate), history: [], tool: tool)
        XCTAssertEqual(state.adopted, ["1", "2"])
        XCTAssertEqual(state.currentRevision, "2")
        XCTAssertEqual(try state.pending().map(\.revision), ["3"])
    }

    func testRevertPlansNewestFirst() throws {
        let all = ["1", "2", "3"].map { m($0) }
        let state = MigrationState(directory: directory(all), history: all.enumerated().map { applied($1, order: $0) }, tool: ToolHistoryState())
        XCTAssertEqual(try state.toRevert(downTo: "1", steps: nil).map(\.revision), ["3", "2"])
        XCTAssertEqual(try state.toRevert(downTo: nil, steps: 1).map(\.revision), ["3"])
        XCTAssertEqual(try state.toRevert(downTo: "base", steps: nil).map(\.revision), ["3", "2", "1"])
    }

    func testCreateMigrationWritesTheNextFilesInTheDirectorysFormat() throws {
        let empty = TestDatabases.temporaryDirectory()
        let sqlite = ConnectionConfiguration(dialect: .sqlite, database: ":memory:")
        let manager = MigrationManager(migrationDirectory: empty.path, configuration: sqlite)
        let first = try manager.createMigration(description: "Create users!", upgradeSQL: "CREATE TABLE users (id int);",
                                                downgradeSQL: "DROP TABLE users;")
        XCTAssertEqual(first.revision, "0001")
        XCTAssertEqual(first.files, ["0001_create_users/up.sql", "0001_create_users/down.sql"])
        let second = try manager.createMigration(description: "index", dependencies: ["0001"])
        XCTAssertEqual(second.revision, "0002")
        XCTAssertEqual(second.dependencies, ["0001"])

        let golang = TestDatabases.temporaryDirectory()
        try Data("SELECT 1;".utf8).write(to: golang.appendingPathComponent("000009_a.up.sql"))
        let g = try MigrationManager(migrationDirectory: golang.path, configuration: sqlite).createMigration(description: "b")
        XCTAssertEqual(g.files, ["000010_b.up.sql", "000010_b.down.sql"])

        let flyway = TestDatabases.temporaryDirectory()
        try Data("SELECT 1;".utf8).write(to: flyway.appendingPathComponent("V1_12_9__a.sql"))
        let f = try MigrationManager(migrationDirectory: flyway.path, configuration: sqlite)
            .createMigration(description: "b", upgradeSQL: "SELECT 2;", downgradeSQL: "SELECT 3;")
        XCTAssertEqual(f.revision, "1.12.10")
        XCTAssertEqual(f.files, ["V1_12_10__b.sql", "U1_12_10__b.sql"])

        XCTAssertThrowsError(try manager.createMigration(description: "again", revision: "0001"))
    }

    func testCreateMigrationCreatesAMissingDirectory() throws {
        let missing = TestDatabases.temporaryDirectory().appendingPathComponent("db/migrations")
        let manager = MigrationManager(migrationDirectory: missing.path,
                                       configuration: ConnectionConfiguration(dialect: .sqlite, database: ":memory:"))
        let created = try manager.createMigration(description: "first")
        XCTAssertEqual(created.files, ["0001_first/up.sql", "0001_first/down.sql"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: missing.appendingPathComponent("0001_first/up.sql").path))
    }
}
