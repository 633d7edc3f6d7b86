@testable import Migrations
import DatabaseDriver
import DriverTestSupport
import Foundation
import XCTest

/// `createMigration` with descriptions, revisions and dependencies that try to leave the file name or the
/// comment line they are written into.
final class CreateMigrationHostileNameTests: XCTestCase {
    private func manager() -> (MigrationManager, URL) {
        let root = TestDatabases.temporaryDirectory()
        let directory = root.appendingPathComponent("migrations")
        return (MigrationManager(migrationDirectory: directory.path,
                                 configuration: ConnectionConfiguration(dialect: .sqlite, database: ":memory:")), root)
    }

    func testDescriptionLineBreaksNeverLeaveTheCommentLine() throws {
        let (manager, root) = manager()
        let created = try manager.createMigration(description: "a\rDROP TABLE canary;\u{2028}b\nc\u{0B}d\u{85}e",
                                                  upgradeSQL: "SELECT 1;", downgradeSQL: "SELECT 2;")
        for file in created.files {
            let text = try String(contentsOf: root.appendingPathComponent("migrations").appendingPathComponent(file), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertTrue(lines[0].hasPrefix("-- "), file)
            XCTAssertTrue(lines[0].contains("DROP TABLE canary"), "the description is kept, as comment text")
            XCTAssertFalse(text.unicodeScalars.contains { $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{0B}" || $0 == "\u{85}" }, file)
            XCTAssertEqual(lines.filter { $0.contains("DROP TABLE canary") }.count, 1, file)
        }
        XCTAssertEqual(created.files, ["0001_a_drop_table_canary_b_c_d_e/up.sql", "0001_a_drop_table_canary_b_c_d_e/down.sql"])
    }

    func testNulDescriptionsAndRevisionsThatAreNotPlainVersionsAreRefusedBeforeWriting() throws {
        let (manager, root) = manager()
        let refused: [(String, String?, [String])] = [
            ("nul\0byte", nil, []), ("x", "../../escape", []), ("x", "/tmp/abs", []), ("x", "9\nDROP TABLE t", []),
            ("x", ".hidden", []), ("x", String(repeating: "1", count: 129), []), ("x", "", []), ("x", "ü1", []),
            ("x", nil, ["0001\nDROP TABLE t; --"]), ("x", nil, ["../x"]),
        ]
        for (description, revision, dependencies) in refused {
            XCTAssertThrowsError(try manager.createMigration(description: description, dependencies: dependencies, revision: revision)) { error in
                XCTAssertEqual((error as? MigrationError)?.code, .invalidRequest, "\(description.debugDescription) \(String(describing: revision))")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("migrations").path), "nothing was written")
        XCTAssertEqual(try manager.createMigration(description: "ok", revision: "7.1").revision, "7.1")
    }
}
