@testable import Migrations
import DriverTestSupport
import XCTest

final class MigrationDirectoryTests: XCTestCase {
    private func write(_ files: [String: String]) throws -> URL {
        let dir = TestDatabases.temporaryDirectory()
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }

    func testDetectsEachFormatFromNames() {
        XCTAssertEqual(MigrationDirectory.detectFormat(sqlFiles: ["0001_a.up.sql", "0001_a.down.sql", "0002_b.up.sql"]), .golangMigrate)
        XCTAssertEqual(MigrationDirectory.detectFormat(sqlFiles: ["0001_a.up.sql", "0001_b.up.sql"]), .fileOrder)
        XCTAssertEqual(MigrationDirectory.detectFormat(sqlFiles: ["0001_a.up.sql", "0002_b_up.sql"]), .fileOrder)
        XCTAssertEqual(MigrationDirectory.detectFormat(sqlFiles: ["0157.up.sql"]), .fileOrder)
        XCTAssertEqual(MigrationDirectory.detectFormat(sqlFiles: ["V1__init.sql", "V1_1__more.sql", "R__views.sql"]), .flyway)
        XCTAssertEqual(MigrationDirectory.detectFormat(sqlFiles: ["20240101120000_create_users.sql"]), .dbmate)
        XCTAssertEqual(MigrationDirectory.detectFormat(sqlFiles: [], migrationFolders: ["0001_init"]), .dbm)
        XCTAssertEqual(MigrationDirectory.detectFormat(sqlFiles: []), .dbm)
    }

    func testHarborIsGolangMigrateWithDottedDescriptionsInVersionOrder() throws {
        let dir = try TestDatabases.fixture("migrations/harbor-golang-migrate/postgresql")
        let set = try MigrationDirectory.load(dir.path)
        XCTAssertEqual(set.format, .golangMigrate)
        XCTAssertEqual(set.migrations.count, 39)
        XCTAssertEqual(set.migrations.first?.revision, "0001")
        XCTAssertEqual(set.migrations.last?.revision, "0190")
        XCTAssertEqual(set.migrations.first(where: { $0.revision == "0002" })?.description, "1.7.0 schema")
        XCTAssertTrue(set.migrations.allSatisfy { !$0.rollbackAvailable }, "harbor is up-only")
        XCTAssertEqual(set.ignoredFiles, [])
    }

    func testHarnessIsFileOrderWithRepeatedNumbersAndUnderscoreUpFiles() throws {
        let dir = try TestDatabases.fixture("migrations/harness-gitness/postgres")
        let set = try MigrationDirectory.load(dir.path)
        XCTAssertEqual(set.format, .fileOrder)
        XCTAssertEqual(set.migrations.count, 209)
        XCTAssertEqual(set.migrations.filter { $0.revision.hasPrefix("0001_") }.count, 5)
        XCTAssertNotNil(set.migrations.first { $0.revision == "0021_alter_table_webhook_add_internal" })
        // 180 down files, one of them (0026_alter_repo_drop_join_id) without an up file.
        XCTAssertEqual(set.migrations.filter(\.rollbackAvailable).count, 179)
        XCTAssertEqual(set.ignoredFiles, ["0026_alter_repo_drop_join_id.down.sql"])
        let names = set.migrations.map { $0.files[0] }
        XCTAssertEqual(names, names.sorted(), "file-name order")
    }

    func testHawkbitIsFlywayInNumericOrderWithItsBaseline() throws {
        let dir = try TestDatabases.fixture("migrations/hawkbit-flyway/MYSQL")
        let set = try MigrationDirectory.load(dir.path)
        XCTAssertEqual(set.format, .flyway)
        XCTAssertEqual(set.migrations.filter { $0.kind == .versioned }.count, 58)
        let baseline = try XCTUnwrap(set.migrations.first { $0.kind == .baseline })
        XCTAssertEqual(baseline.revision, "1.20.0")
        let versions = set.migrations.filter { $0.kind == .versioned }.map(\.revision)
        let i2 = try XCTUnwrap(versions.firstIndex(of: "1.12.2")), i10 = try XCTUnwrap(versions.firstIndex(of: "1.12.10"))
        XCTAssertLessThan(i2, i10, "V1_12_2 sorts before V1_12_10")
    }

    func testFlywayUndoRepeatableAndBaselineFiles() throws {
        let dir = try write([
            "V1__create.sql": "CREATE TABLE a (id int);", "U1__create.sql": "DROP TABLE a;",
            "V1_1__more.sql": "CREATE TABLE b (id int);", "R__view.sql": "CREATE VIEW v AS SELECT 1;",
            "B1_1__base.sql": "CREATE TABLE a (id int); CREATE TABLE b (id int);", "notes.sql": "x",
        ])
        let set = try MigrationDirectory.load(dir.path)
        XCTAssertEqual(set.migrations.map(\.revision), ["1", "1.1", "1.1", "R__view"])
        XCTAssertEqual(set.migrations.map(\.kind), [.versioned, .baseline, .versioned, .repeatable])
        XCTAssertEqual(set.migrations[0].downgradeSQL, "DROP TABLE a;")
        XCTAssertEqual(set.ignoredFiles, ["notes.sql"])
    }

    func testDbmateSectionsAndTransactionOption() throws {
        let dir = try write([
            "20240101000000_users.sql": "-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n",
            "20240102000000_index.sql": "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON users (id);\n",
        ])
        let set = try MigrationDirectory.load(dir.path)
        XCTAssertEqual(set.format, .dbmate)
        XCTAssertEqual(set.migrations.map(\.revision), ["20240101000000", "20240102000000"])
        XCTAssertEqual(set.migrations[0].downgradeSQL?.trimmingWhitespace(), "DROP TABLE users;")
        XCTAssertTrue(set.migrations[0].transactional)
        XCTAssertFalse(set.migrations[1].transactional)
        XCTAssertNil(set.migrations[1].downgradeSQL)
    }

    func testToolkitFormatReadsDirectivesAndChecksumsTheUpFile() throws {
        let up = "-- dbm:no-transaction\n-- dbm:depends-on: 0001\nCREATE INDEX CONCURRENTLY i ON t (x);\n"
        let dir = try write(["0001_init/up.sql": "CREATE TABLE t (x int);", "0001_init/down.sql": "DROP TABLE t;",
                             "0002_index/up.sql": up])
        let set = try MigrationDirectory.load(dir.path)
        XCTAssertEqual(set.format, .dbm)
        XCTAssertEqual(set.migrations.map(\.revision), ["0001", "0002"])
        XCTAssertEqual(set.migrations[1].dependencies, ["0001"])
        XCTAssertFalse(set.migrations[1].transactional)
        XCTAssertEqual(set.migrations[1].checksum, Checksums.sha256(Data(up.utf8)))
        XCTAssertEqual(set.migrations[0].description, "init")
    }

    func testDuplicateVersionsAreRejected() throws {
        let dir = try write(["V1__a.sql": "SELECT 1;", "V1_0__b.sql": "SELECT 2;"])
        XCTAssertThrowsError(try MigrationDirectory.load(dir.path, format: .flyway)) { error in
            XCTAssertEqual((error as? MigrationError)?.code, .invalidMigration)
        }
    }

    func testMissingDirectoryIsAClearError() {
        XCTAssertThrowsError(try MigrationDirectory.load("/nonexistent/dbm/migrations")) { error in
            XCTAssertEqual((error as? MigrationError)?.code, .invalidDirectory)
        }
    }
}
