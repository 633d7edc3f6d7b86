import DBMServer
import DriverTestSupport
import Drivers
import Foundation
import JSONRPC
import XCTest

/// The Migrations package's methods through the protocol, against real databases on each engine.
final class MigrationMethodsTests: XCTestCase {
    /// Two migrations created through `create_migration`, in a fresh directory.
    private func makeDirectory(_ server: InProcessServer) throws -> URL {
        let dir = TestDatabases.temporaryDirectory().appendingPathComponent("migrations")
        let params: JSONObject = ["migration_dir": .string(dir.path)]
        var first = params
        first["description"] = "create authors"
        first["upgrade_sql"] = "CREATE TABLE authors (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);"
        first["downgrade_sql"] = "DROP TABLE authors;"
        let created = try server.call("MigrationManager.create_migration", .object(first))
        XCTAssertEqual(created["revision"], "0001")
        XCTAssertEqual(created["version"], "0001")
        var second = params
        second["description"] = "create books"
        second["upgrade_sql"] = "CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id));\nCREATE INDEX books_author ON books (author_id);"
        second["downgrade_sql"] = "DROP TABLE books;"
        XCTAssertEqual(try server.call("MigrationManager.create_migration", .object(second))["revision"], "0002")
        return dir
    }

    /// The URL of a new SQLite file in a temporary directory.
    private func sqliteURL(_ name: String) -> String {
        ConnectionConfiguration(dialect: .sqlite, database: TestDatabases.temporaryDirectory().appendingPathComponent(name).path).url
    }

    private func tables(_ server: InProcessServer, _ url: JSONValue) throws -> Set<String> {
        let schema = try server.call("SchemaGenerator.inspect_database", ["database_url": url])
        return Set((schema["tables"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
    }

    /// Runs `body` on a scratch database of each engine, dropping it afterwards.
    private func onEachEngine(_ body: (Dialect, ConnectionConfiguration) async throws -> Void) async throws {
        for dialect in Dialect.allCases {
            let driver = Database.driver(for: dialect)
            let scratch = try await TestDatabases.scratchDatabase(using: driver, on: try TestDatabases.server(dialect), prefix: "it_migrate")
            do { try await body(dialect, scratch) } catch {
                await TestDatabases.dropScratchDatabase(using: driver, scratch)
                throw error
            }
            await TestDatabases.dropScratchDatabase(using: driver, scratch)
        }
    }

    func testDryRunUpStatusDownAndDriftOnEachEngine() async throws {
        let server = InProcessServer()
        try server.initialize()
        try await onEachEngine { dialect, scratch in
            let dir = try makeDirectory(server)
            let url = JSONValue.string(scratch.url)
            let params: JSONObject = ["migration_dir": .string(dir.path), "database_url": url]

            // A dry run (000's run_migrations) returns the SQL and creates nothing, not even the history table.
            let dry = try server.call("run_migrations", .object(params.with(["dry_run": true])))
            XCTAssertEqual(dry["dry_run"], true, "\(dialect)")
            XCTAssertEqual(dry["changes_applied"]?.arrayValue?.count, 2, "\(dialect)")
            XCTAssertTrue(dry["changes_applied"]?[1]?["sql"]?.stringValue?.contains("CREATE TABLE books") == true, "\(dialect): \(dry)")
            XCTAssertEqual(try tables(server, url), [], "\(dialect): the dry run changed the database")
            XCTAssertEqual(try server.call("MigrationManager.get_current_revision", .object(params)), .null)

            // Up (001's run_migrations with connection_config), then status and history.
            let config: JSONValue = ["url": url]
            let up = try server.call("run_migrations", ["migration_path": .string(dir.path), "connection_config": config, "direction": "latest"])
            XCTAssertEqual(up["migrations_executed"], 2, "\(dialect): \(up)")
            XCTAssertEqual(up["current_version"], "0002")
            XCTAssertEqual(up["direction"], "latest")
            XCTAssertTrue(try tables(server, url).isSuperset(of: ["authors", "books", "dbm_migration_history"]), "\(dialect)")
            let status = try server.call("MigrationManager.status", .object(params))
            XCTAssertEqual(status["current_revision"], "0002", "\(dialect): \(status)")
            XCTAssertEqual(status["applied"], 2)
            XCTAssertEqual(status["pending"], [])
            let history = try server.call("MigrationManager.get_migration_history", .object(params))
            XCTAssertEqual(history.arrayValue?.compactMap { $0["revision"]?.stringValue }, ["0001", "0002"], "\(dialect)")
            XCTAssertEqual(history[0]?["checksum"]?.stringValue?.count, 64, "SHA-256 hex")
            XCTAssertEqual(try server.call("MigrationManager.validate_migrations", .object(params)), [])

            // Down one step.
            let down = try server.call("MigrationManager.downgrade", .object(params.with(["steps": 1])))
            XCTAssertEqual(down["migrations_executed"], 1, "\(dialect): \(down)")
            XCTAssertEqual(down["current_version"], "0001")
            XCTAssertFalse(try tables(server, url).contains("books"), "\(dialect)")
            let pending = try server.call("MigrationManager.get_pending_migrations", .object(params))
            XCTAssertEqual(pending.arrayValue?.compactMap { $0["revision"]?.stringValue }, ["0002"])

            // Editing an applied file is drift: reported by validate, refused by upgrade.
            let applied = dir.appendingPathComponent("0001_create_authors/up.sql")
            try (String(contentsOf: applied, encoding: .utf8) + "\n-- edited after it ran\n").write(to: applied, atomically: true, encoding: .utf8)
            let problems = try server.call("MigrationManager.validate_migrations", .object(params)).arrayValue ?? []
            XCTAssertTrue(problems.contains { $0.stringValue?.contains("drift") == true }, "\(dialect): \(problems)")
            XCTAssertThrowsError(try server.call("MigrationManager.upgrade", .object(params))) { error in
                let rpc = error as? RPCError
                XCTAssertEqual(rpc?.code, -32020, "\(dialect): \(error)")
                XCTAssertEqual(rpc?.data?["type"], "MigrationError")
                XCTAssertEqual(rpc?.data?["kind"], "drift")
                XCTAssertEqual(rpc?.data?["revision"], "0001")
            }
            XCTAssertFalse(try tables(server, url).contains("books"), "\(dialect): upgrade ran despite drift")
            let repaired = try server.call("MigrationManager.repair", .object(params.with(["action": "accept_checksums"])))
            XCTAssertEqual(repaired["revisions"], ["0001"], "\(dialect): \(repaired)")
            let rest = try server.call("MigrationManager.upgrade", .object(params))
            XCTAssertEqual(rest["current_version"], "0002", "\(dialect): \(rest)")
        }
        _ = try await server.shutdown()
    }

    func testCreateMigrationFromTargetSchemaDiffsAgainstTheLiveDatabaseOnEachEngine() async throws {
        let server = InProcessServer()
        try server.initialize()
        let users: JSONValue = ["name": "users", "columns": [
            ["name": "id", "type": "INTEGER", "primary_key": true],
            ["name": "email", "type": "VARCHAR(200)", "nullable": false]]]
        let tags: JSONValue = ["name": "tags", "columns": [
            ["name": "id", "type": "INTEGER", "primary_key": true],
            ["name": "user_id", "type": "INTEGER", "references": "users.id"],
            ["name": "label", "type": "VARCHAR(50)"]]]
        try await onEachEngine { dialect, scratch in
            let dir = TestDatabases.temporaryDirectory().appendingPathComponent("generated")
            let params: JSONObject = ["migration_dir": .string(dir.path), "database_url": .string(scratch.url)]
            // From the empty live database to users; then from the live database (users and the history table) to users + tags.
            let first = try server.call("MigrationManager.create_migration", .object(params.with([
                "description": "users", "target_schema": ["tables": [users]]])))
            XCTAssertTrue(first["upgrade_sql"]?.stringValue?.contains("users") == true, "\(dialect): \(first)")
            XCTAssertEqual(try server.call("MigrationManager.upgrade", .object(params))["current_version"], "0001")
            let second = try server.call("MigrationManager.create_migration", .object(params.with([
                "description": "tags", "target_schema": ["tables": [users, tags]]])))
            let up = second["upgrade_sql"]?.stringValue ?? ""
            XCTAssertTrue(up.contains("CREATE TABLE") && up.contains("tags"), "\(dialect): \(up)")
            XCTAssertFalse(up.contains("DROP"), "\(dialect): the history table or users were diffed away: \(up)")
            XCTAssertTrue(second["downgrade_sql"]?.stringValue?.contains("DROP TABLE") == true, "\(dialect): \(second)")
            XCTAssertEqual(try server.call("MigrationManager.upgrade", .object(params))["current_version"], "0002", "\(dialect)")
            XCTAssertTrue(try tables(server, .string(scratch.url)).isSuperset(of: ["users", "tags"]), "\(dialect)")
            XCTAssertEqual(try server.call("MigrationManager.downgrade", .object(params.with(["target_revision": "base"])))["migrations_executed"], 2)
            XCTAssertEqual(try tables(server, .string(scratch.url)), ["dbm_migration_history"], "\(dialect)")
            // No differences is an error, not an empty migration.
            XCTAssertThrowsError(try server.call("MigrationManager.create_migration", .object(params.with([
                "description": "nothing", "target_schema": ["tables": []]])))) { error in
                XCTAssertEqual((error as? RPCError)?.data?["kind"], "invalid_request", "\(dialect): \(error)")
            }
        }
        _ = try await server.shutdown()
    }

    func testCreateMigrationFromTwoSchemasNeedsNoDatabase() async throws {
        let server = InProcessServer()
        try server.initialize()
        let dir = TestDatabases.temporaryDirectory().appendingPathComponent("offline")
        let target: JSONValue = ["tables": [["name": "notes", "columns": [["name": "id", "type": "INTEGER", "primary_key": true]]]]]
        let created = try server.call("MigrationManager.create_migration", [
            "migration_dir": .string(dir.path), "description": "notes", "dialect": "mysql",
            "current_schema": ["tables": []], "target_schema": target])
        XCTAssertTrue(created["upgrade_sql"]?.stringValue?.contains("CREATE TABLE `notes`") == true, "\(created)")
        XCTAssertEqual(created["files"], ["0001_notes/up.sql", "0001_notes/down.sql"])
        XCTAssertThrowsError(try server.call("MigrationManager.create_migration", [
            "migration_dir": .string(dir.path), "description": "again", "target_schema": target])) { error in
            XCTAssertEqual((error as? RPCError)?.data?["kind"], "invalid_request", "no current schema and no database: \(error)")
        }
        _ = try await server.shutdown()
    }

    func testUpgradeReportsProgressPerMigration() async throws {
        let server = InProcessServer()
        try server.initialize()
        let dir = try makeDirectory(server)
        let url = sqliteURL("progress.db")
        try server.send(["jsonrpc": "2.0", "id": 900, "method": "MigrationManager.upgrade", "params": [
            "migration_dir": .string(dir.path), "database_url": .string(url), "work_done_token": "t1"]])
        var progress: [JSONValue] = []
        var result: JSONValue?
        while result == nil {
            let message = try server.read()
            if message["method"] == "$/progress" { progress.append(message["params"]?["value"] ?? .null) }
            if message["id"] == 900 { result = message["result"] ?? message["error"] }
        }
        XCTAssertEqual(result?["migrations_executed"], 2, "\(result ?? .null)")
        XCTAssertEqual(progress.first?["kind"], "begin")
        XCTAssertEqual(progress.last?["kind"], "end")
        let reports = progress.filter { $0["kind"] == "report" }
        XCTAssertEqual(reports.count, 4, "started and finished per migration: \(progress)")
        XCTAssertEqual(reports.last?["percentage"], 100)
        XCTAssertTrue(reports.first?["message"]?.stringValue?.contains("0001") == true, "\(reports)")
        _ = try await server.shutdown()
    }

    func testReadOnlyServerRefusesChangesButAnswersReadsAndDryRuns() async throws {
        let writer = InProcessServer()
        try writer.initialize()
        let dir = try makeDirectory(writer)
        _ = try await writer.shutdown()
        let url = sqliteURL("readonly.db")
        _ = FileManager.default.createFile(atPath: try ConnectionConfiguration(url: url).database, contents: Data())
        let server = InProcessServer(readOnly: true)
        try server.initialize()
        let params: JSONObject = ["migration_dir": .string(dir.path), "database_url": .string(url)]
        for (method, extra) in [("MigrationManager.upgrade", JSONObject()), ("MigrationManager.downgrade", ["steps": 1]),
                                ("MigrationManager.baseline", ["revision": "0001"]), ("MigrationManager.repair", ["action": "mark_applied"]),
                                ("run_migrations", JSONObject())] as [(String, JSONObject)] {
            XCTAssertThrowsError(try server.call(method, .object(params.with(extra))), method) { error in
                XCTAssertEqual((error as? RPCError)?.data?["kind"], "permission_denied", "\(method): \(error)")
            }
        }
        XCTAssertThrowsError(try server.call("Migration.apply", ["database_url": .string(url),
            "migration": ["revision": "x", "upgrade_sql": "CREATE TABLE x (id INTEGER)"]])) { error in
            XCTAssertEqual((error as? RPCError)?.data?["kind"], "permission_denied", "\(error)")
        }
        XCTAssertEqual(try server.call("MigrationManager.status", .object(params))["pending"], ["0001", "0002"])
        let dry = try server.call("MigrationManager.upgrade", .object(params.with(["dry_run": true])))
        XCTAssertEqual(dry["changes_applied"]?.arrayValue?.count, 2)
        _ = try await server.shutdown()
    }

    func testMigrationObjectMethods() async throws {
        let server = InProcessServer()
        try server.initialize()
        let url = JSONValue.string(sqliteURL("object.db"))
        let migration: JSONValue = ["version": "7", "up_sql": "CREATE TABLE t (id INTEGER);", "down_sql": "DROP TABLE t;"]
        let dict = try server.call("Migration.to_dict", ["migration": migration])
        XCTAssertEqual(dict["revision"], "7")
        XCTAssertEqual(dict["upgrade_sql"], "CREATE TABLE t (id INTEGER);")
        XCTAssertEqual(dict["rollback_available"], true)
        XCTAssertEqual(try server.call("Migration.validate", ["migration": migration, "dialect": "sqlite"]), [])
        let broken = try server.call("Migration.validate", ["migration": ["version": "8", "up_sql": "SELECT 'oops"]])
        XCTAssertEqual(broken.arrayValue?.count, 2, "unterminated string and no downgrade: \(broken)")
        XCTAssertEqual(try server.call("Migration.apply", ["migration": migration, "database_url": url])["success"], true)
        XCTAssertTrue(try tables(server, url).contains("t"))
        XCTAssertEqual(try server.call("Migration.rollback", ["migration": migration, "database_url": url])["success"], true)
        XCTAssertFalse(try tables(server, url).contains("t"))
        _ = try await server.shutdown()
    }
}

private extension JSONObject {
    /// These members with `extra`'s added (replacing any of the same name).
    func with(_ extra: JSONObject) -> JSONObject {
        var copy = self
        for (key, value) in extra { copy[key] = value }
        return copy
    }
}
