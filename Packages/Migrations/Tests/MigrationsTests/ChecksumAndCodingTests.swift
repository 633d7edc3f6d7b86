@testable import Migrations
import Foundation
import XCTest

final class ChecksumAndCodingTests: XCTestCase {
    func testSHA256MatchesTheStandardVector() {
        XCTAssertEqual(Checksums.sha256(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testFlywayChecksumIsCRC32OfTheLinesWithoutBreaksOrBOM() {
        // CRC-32 of "abc" is 0x352441C2.
        XCTAssertEqual(Checksums.flywayCRC32("abc"), Int32(bitPattern: 0x3524_41C2))
        XCTAssertEqual(Checksums.flywayCRC32("\u{FEFF}a\r\nb\nc"), Checksums.flywayCRC32("abc"))
        XCTAssertLessThan(Checksums.flywayCRC32("SELECT 1;"), Int32.max)
    }

    func testMigrationEncodesBothSpecKeySets() throws {
        var migration = Migration(revision: "0002", name: "0002_users", description: "users", upgradeSQL: "CREATE TABLE u (id int);",
                                  downgradeSQL: "DROP TABLE u;", dependencies: ["0001"])
        migration.appliedAt = Date(timeIntervalSince1970: 1_700_000_000)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(migration)) as? [String: Any]
        let dict = try XCTUnwrap(json)
        for key in ["version", "name", "description", "up_sql", "down_sql", "checksum", "applied_at", "applied_by",
                    "execution_time_ms", "success", "rollback_available", "dependencies",
                    "revision", "upgrade_sql", "downgrade_sql", "created_at"] {
            XCTAssertTrue(dict.keys.contains(key), "missing \(key)")
        }
        XCTAssertEqual(dict["revision"] as? String, "0002")
        XCTAssertEqual(dict["version"] as? String, "0002")
        XCTAssertEqual(dict["rollback_available"] as? Bool, true)
        XCTAssertEqual(dict["applied_at"] as? String, "2023-11-14T22:13:20.000Z")
    }

    func testMigrationDecodesEitherKeySet() throws {
        let v001 = #"{"version": "7", "up_sql": "SELECT 1;", "down_sql": "SELECT 2;", "dependencies": ["6"]}"#
        let v000 = #"{"revision": "7", "upgrade_sql": "SELECT 1;", "downgrade_sql": "SELECT 2;", "created_at": "2024-01-01T00:00:00Z"}"#
        let a = try JSONDecoder().decode(Migration.self, from: Data(v001.utf8))
        let b = try JSONDecoder().decode(Migration.self, from: Data(v000.utf8))
        XCTAssertEqual(a.revision, b.revision)
        XCTAssertEqual(a.upgradeSQL, b.upgradeSQL)
        XCTAssertEqual(a.downgradeSQL, b.downgradeSQL)
        XCTAssertEqual(a.checksum, Checksums.sha256(Data("SELECT 1;".utf8)))
        XCTAssertEqual(a.dependencies, ["6"])
        XCTAssertNotNil(b.createdAt)
        XCTAssertThrowsError(try JSONDecoder().decode(Migration.self, from: Data(#"{"up_sql": "x"}"#.utf8)))
    }

    func testValidateReportsProblemsWithoutADatabase() {
        let bad = Migration(revision: "3", description: "", upgradeSQL: "SELECT 'unterminated", dependencies: ["3"])
        let issues = bad.validate()
        XCTAssertTrue(issues.contains { $0.contains("unterminated string") }, "\(issues)")
        XCTAssertTrue(issues.contains { $0.contains("depends on itself") })
        XCTAssertTrue(issues.contains { $0.contains("no downgrade SQL") })
        XCTAssertEqual(Migration(revision: "1", description: "", upgradeSQL: "SELECT 1;", downgradeSQL: "SELECT 2;").validate(), [])
    }

    func testRunMigrationsParamsAcceptBothVariants() throws {
        let p000 = #"{"migration_dir": "/m", "database_url": "sqlite:///x.db", "target_revision": "3", "dry_run": true}"#
        let p001 = #"{"migration_path": "/m", "connection_config": {"driver": "sqlite", "database": "x.db"}, "direction": "rollback", "target_version": "3", "steps": 2, "migrations_table": "history"}"#
        let a = try JSONDecoder().decode(RunMigrationsParams.self, from: Data(p000.utf8))
        let b = try JSONDecoder().decode(RunMigrationsParams.self, from: Data(p001.utf8))
        XCTAssertEqual(a.manager.migrationDir, "/m")
        XCTAssertEqual(a.direction, .up)
        XCTAssertEqual(a.targetRevision, "3")
        XCTAssertTrue(a.dryRun)
        XCTAssertEqual(b.manager.connection?.database, "x.db")
        XCTAssertEqual(b.direction, .rollback)
        XCTAssertEqual(b.targetRevision, "3")
        XCTAssertEqual(b.steps, 2)
        XCTAssertEqual(b.manager.options.migrationsTable, "history")
        XCTAssertThrowsError(try JSONDecoder().decode(RunMigrationsParams.self, from: Data(#"{"database_url": "sqlite:///x.db"}"#.utf8)))
    }

    func testEncodedParamsNeverCarryThePassword() throws {
        let params = try JSONDecoder().decode(UpgradeParams.self, from: Data(
            #"{"migration_dir": "/m", "database_url": "postgresql://u:s3cret@h/db"}"#.utf8))
        let text = String(decoding: try JSONEncoder().encode(params), as: UTF8.self)
        XCTAssertFalse(text.contains("s3cret"), text)
    }
}
