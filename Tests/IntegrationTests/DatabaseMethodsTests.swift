import DBMServer
import DriverTestSupport
import Drivers
import JSONRPC
import XCTest

/// The DatabaseManager / DatabaseConnection / manage_databases methods through the real protocol loop,
/// on each engine.
final class DatabaseMethodsTests: XCTestCase {
    private func url(_ dialect: Dialect) throws -> String {
        try TestDatabases.server(dialect).url
    }

    func testSessionOnEachEngine() async throws {
        for dialect in Dialect.allCases {
            let server = InProcessServer()
            try server.initialize()
            let info = try server.call("DatabaseManager.connect", ["connection_string": .string(try url(dialect))])
            guard let id = info["connection_id"]?.stringValue else { return XCTFail("no connection_id for \(dialect)") }
            XCTAssertEqual(info["driver"]?.stringValue, dialect.rawValue)
            if dialect != .sqlite { XCTAssertEqual(info["password"]?.stringValue, "***") }
            let table = "it_\(dialect.rawValue)_\(UInt32.random(in: 0...99999))"
            _ = try server.call("DatabaseManager.execute_query", ["connection": .string(id),
                "query": .string("CREATE TABLE \(table) (id INTEGER PRIMARY KEY, amount DECIMAL(20,6), note TEXT)")])
            _ = try server.call("DatabaseManager.execute_query", ["connection": .string(id),
                "query": .string("INSERT INTO \(table) (id, amount, note) VALUES (:id, :amount, :note)"),
                "params": ["id": 1, "amount": ["$type": "decimal", "value": "12345678901234.123456"], "note": "x'; DROP TABLE y; --"]])
            let rows = try server.call("DatabaseManager.execute_query", ["connection": .string(id),
                "query": .string("SELECT id, amount, note FROM \(table) WHERE id = ?"), "params": [1]])
            XCTAssertEqual(rows[0]?["id"], .integer(1), "\(dialect)")
            XCTAssertEqual(rows[0]?["note"], .string("x'; DROP TABLE y; --"))
            if dialect != .sqlite {  // SQLite's NUMERIC affinity keeps ~15 digits; the others are exact.
                XCTAssertEqual(rows[0]?["amount"], .string("12345678901234.123456"), "\(dialect)")
            }
            do {
                _ = try server.call("DatabaseManager.execute_query", ["connection": .string(id),
                    "query": .string("INSERT INTO \(table) (id) VALUES (1)")])
                XCTFail("duplicate key must fail on \(dialect)")
            } catch let error as RPCError {
                XCTAssertEqual(error.code, -32010)
                XCTAssertEqual(error.data?["type"], "DatabaseError")
                XCTAssertEqual(error.data?["kind"], "unique_violation")
                XCTAssertNotNil(error.data?["engine_code"]?.stringValue)
            }
            let dbInfo = try server.call("DatabaseManager.get_database_info", ["connection": .string(id)])
            XCTAssertGreaterThanOrEqual(dbInfo["table_count"]?.integerValue ?? 0, 1)
            _ = try server.call("DatabaseManager.execute_query", ["connection": .string(id), "query": .string("DROP TABLE \(table)")])
            _ = try server.call("DatabaseManager.disconnect", ["connection": .string(id)])
            XCTAssertThrowsError(try server.call("DatabaseManager.execute_query", ["connection": .string(id), "query": "SELECT 1"]))
            let code = try await server.shutdown()
            XCTAssertEqual(code, 0)
        }
    }

    func testCreateListAndDropDatabasesOnEachEngine() async throws {
        let server = InProcessServer()
        try server.initialize()
        for dialect in Dialect.allCases {
            let base = try url(dialect)
            let name = dialect == .sqlite ? "created_\(UInt32.random(in: 0...99999)).db" : TestDatabases.uniqueName("it_created")
            XCTAssertEqual(try server.call("DatabaseManager.create_database", ["database_url": .string(base), "name": .string(name)]), true)
            let listed = try server.call("DatabaseManager.list_databases", ["database_url": .string(base)])
            XCTAssertTrue((listed.arrayValue ?? []).contains { ($0.stringValue ?? "").hasSuffix(name) }, "\(dialect): \(listed)")
            let health = try server.call("manage_databases", ["operation": "health_check", "database_url": .string(base)])
            // collect_metrics' evaluation: healthy exactly when no default threshold raised an alert.
            XCTAssertEqual(health["health_status"] == "healthy", health["alerts"]?.arrayValue?.isEmpty == true, "\(dialect): \(health)")
            XCTAssertEqual(health["success"], true)
            let dropped = try server.call("manage_databases", ["operation": "drop", "database_name": .string(name), "connection_config": try Self.connectionConfig(ConnectionConfiguration(url: base))])
            XCTAssertEqual(dropped["success"], true, "\(dialect): \(dropped)")
        }
        _ = try await server.shutdown()
    }

    /// The spec's connection_config object for a configuration (with its password: encoding redacts it).
    static func connectionConfig(_ c: ConnectionConfiguration) -> JSONValue {
        var object: JSONObject = ["driver": .string(c.dialect.rawValue), "database": .string(c.database)]
        if let host = c.host { object["host"] = .string(host) }
        if let port = c.port { object["port"] = .integer(Int64(port)) }
        if let user = c.username { object["username"] = .string(user) }
        if let password = c.password { object["password"] = .string(password) }
        return .object(object)
    }

    func testReadOnlyServerRefusesWrites() async throws {
        let server = InProcessServer(readOnly: true)
        try server.initialize()
        let base = try url(.sqlite)
        XCTAssertThrowsError(try server.call("DatabaseManager.create_database", ["database_url": .string(base), "name": "nope.db"])) { error in
            XCTAssertEqual((error as? RPCError)?.data?["kind"], "permission_denied")
        }
        _ = try await server.shutdown()
    }

    func testDiscoverListsEveryDatabaseMethodWithSchemasFromTheTypes() async throws {
        let server = InProcessServer()
        try server.initialize()
        let document = try server.call("rpc.discover")
        XCTAssertTrue(document["openrpc"]?.stringValue?.hasPrefix("1.") ?? false)
        let methods = document["methods"]?.arrayValue ?? []
        let names = Set(methods.compactMap { $0["name"]?.stringValue })
        for expected in ["DatabaseManager.connect", "DatabaseManager.disconnect", "DatabaseManager.execute_query",
                         "DatabaseManager.get_database_info", "DatabaseManager.list_databases",
                         "DatabaseManager.create_database", "DatabaseManager.drop_database",
                         "DatabaseConnection.connect", "DatabaseConnection.test_connection",
                         "DatabaseConnection.get_connection_info", "DatabaseConnection.close", "manage_databases", "rpc.discover"] {
            XCTAssertTrue(names.contains(expected), "rpc.discover lacks \(expected)")
        }
        let execute = methods.first { $0["name"] == "DatabaseManager.execute_query" }
        let query = execute?["params"]?.arrayValue?.first { $0["name"] == "query" }
        XCTAssertEqual(query?["required"], true)
        XCTAssertEqual(query?["schema"]?["type"], "string")
        _ = try await server.shutdown()
    }

    /// Every method `rpc.discover` lists is documented in SPEC.md.
    func testSpecDocumentsEveryDiscoveredMethod() async throws {
        let server = InProcessServer()
        try server.initialize()
        let names = (try server.call("rpc.discover")["methods"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        _ = try await server.shutdown()
        let spec = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("SPEC.md"), encoding: .utf8)
        for name in names where !["rpc.discover"].contains(name) {
            XCTAssertTrue(spec.contains("`\(name)`"), "SPEC.md does not document \(name)")
        }
    }
}

/// `manage_databases` with `operation: optimize` runs optimize_database and reports in the spec's dict.
final class ManageDatabasesOptimizeTests: XCTestCase {
    func testOptimizeOperationReportsFindingsInTheSpecsResultDict() async throws {
        let server = InProcessServer()
        try server.initialize()
        let url = JSONValue.string(try TestDatabases.server(.sqlite).url)
        let workspace = JSONValue.string(TestDatabases.temporaryDirectory().path)
        _ = try server.call("DatabaseManager.execute_query", ["database_url": url, "query": "CREATE TABLE events (kind TEXT, at TEXT)"])
        let result = try server.call("manage_databases", ["operation": "optimize", "database_url": url, "workspace_dir": workspace])
        XCTAssertEqual(result["operation"], "optimize")
        XCTAssertEqual(result["success"], true)
        let rules = (result["optimization"]?["findings"]?.arrayValue ?? []).compactMap { $0["rule"]?.stringValue }
        XCTAssertTrue(rules.contains("missing_primary_key"), "\(rules)")
        XCTAssertFalse((result["recommendations"]?.arrayValue ?? []).isEmpty)
        XCTAssertNotNil(result["optimization"]?["optimization_score"]?.integerValue)
        _ = try await server.shutdown()
    }
}
