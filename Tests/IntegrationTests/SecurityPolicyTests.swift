import DBMServer
import DriverTestSupport
import Drivers
import Foundation
import JSONRPC
import XCTest

/// The pieces of `dbm-server --config`: the allow-list, the path policy, the audit log's statement
/// classifier, and the audit log through an in-process server.
final class SecurityPolicyTests: XCTestCase {
    func testAllowListMatchesURLsIgnoringCredentialsAndNames() throws {
        let list = try DatabaseAllowList(entries: ["postgresql://db.example:5432/app", "reports", "local.db"])
        XCTAssertTrue(list.permits(try ConnectionConfiguration(url: "postgresql://u:secret@db.example/app")))
        XCTAssertFalse(list.permits(try ConnectionConfiguration(url: "postgresql://u:secret@db.example/other")))
        XCTAssertFalse(list.permits(try ConnectionConfiguration(url: "postgresql://u:secret@db.example:5433/app")))
        XCTAssertFalse(list.permits(try ConnectionConfiguration(url: "mysql://u@db.example/app")))
        XCTAssertTrue(list.permits(try ConnectionConfiguration(url: "mysql://u@elsewhere/reports")))
        XCTAssertTrue(list.permits(try ConnectionConfiguration(url: "sqlite:///tmp/x/local.db")))
        XCTAssertThrowsError(try list.check(try ConnectionConfiguration(url: "postgresql://u:secret@db.example/other"))) { error in
            XCTAssertEqual((error as? DatabaseError)?.code.rawValue, "not_allowed")
            XCTAssertFalse("\(error)".contains("secret"))
        }
    }

    func testReadOnlyClassifierIsConservative() {
        for sql in ["SELECT 1", "  select * from t", "/* x */ (SELECT 1)", "-- c\nSHOW TABLES", "EXPLAIN SELECT 1", "PRAGMA table_info(t)", "SELECT 1;"] {
            XCTAssertTrue(StatementClassifier.isReadOnly(sql), sql)
        }
        for sql in ["INSERT INTO t VALUES (1)", "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "SELECT 1; DROP TABLE t",
                    "SELECT * INTO new_t FROM t", "PRAGMA user_version = 2", "/* unterminated", "CALL p()", "", "update t set x = 1"] {
            XCTAssertFalse(StatementClassifier.isReadOnly(sql), sql)
        }
    }

    func testPathPolicyRefusesEscapesSymlinksAndSpecialFiles() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-path-\(UUID().uuidString)").path
        let root = base + "/root", outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createSymbolicLink(atPath: root + "/out", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: root + "/in", withDestinationPath: root + "/sub")
        let policy = PathPolicy(allowedRoot: root)
        XCTAssertEqual(try policy.resolve("a/b", parameter: "output_dir"), root + "/a/b")
        XCTAssertEqual(try policy.resolve("in/x", parameter: "output_dir"), root + "/sub/x")
        XCTAssertEqual(try policy.resolve(root + "/a/../c", parameter: "output_dir"), root + "/c")
        for escape in ["../outside", "out/x", "a/../../outside", outside, "/etc/passwd", "out/../../root/x/../../outside"] {
            XCTAssertThrowsError(try policy.resolve(escape, parameter: "output_dir"), escape) { error in
                XCTAssertEqual((error as? RPCError)?.data?["kind"], "path_outside_root", escape)
            }
        }
        XCTAssertThrowsError(try PathPolicy().resolve("/dev/null", parameter: "schema_file")) { error in
            XCTAssertEqual((error as? RPCError)?.data?["kind"], "special_file")
        }
        XCTAssertThrowsError(try PathPolicy().resolve("a\0b", parameter: "schema_file"))
        XCTAssertEqual(try PathPolicy().resolve("/tmp/../tmp/x", parameter: "p"), "/tmp/x")
    }

    func testAuditLogRecordsMutatingCallsWithoutPasswords() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let audit = try AuditLog(path: directory + "/audit.jsonl")
        let server = InProcessServer(state: ServerState(audit: audit))
        try server.initialize()
        let postgres = try TestDatabases.server(.postgresql)
        let password = try XCTUnwrap(ConnectionConfiguration(url: postgres.url).password)
        let name = TestDatabases.uniqueName("it_audit")
        _ = try server.call("DatabaseManager.create_database", ["database_url": .string(postgres.url), "name": .string(name)])
        _ = try server.call("DatabaseManager.execute_query", ["database_url": .string(postgres.url), "query": "SELECT 1"])
        _ = try server.call("DatabaseManager.drop_database", ["database_url": .string(postgres.url), "name": .string(name)])
        XCTAssertThrowsError(try server.call("DatabaseManager.drop_database", ["database_url": .string(postgres.url), "name": .string(name)]))
        _ = try await server.shutdown()
        let text = try String(contentsOfFile: directory + "/audit.jsonl", encoding: .utf8)
        let lines = try text.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
        XCTAssertEqual(lines.map { $0["method"]?.stringValue ?? "" },
                       ["DatabaseManager.create_database", "DatabaseManager.drop_database", "DatabaseManager.drop_database"])
        XCTAssertEqual(lines.map { $0["outcome"]?.stringValue ?? "" }, ["ok", "ok", "error"])
        XCTAssertNotNil(lines.last?["error_kind"]?.stringValue)
        XCTAssertFalse(text.contains(password), "the audit log must not contain the password")
    }
}
