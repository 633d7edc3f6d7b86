import DBMServer
import DriverTestSupport
import Drivers
import JSONRPC
import XCTest

/// The Schema package's methods through the protocol, against real databases on each engine.
final class SchemaMethodsTests: XCTestCase {
    func testTemplateAppliedThenInspectedHasNoDifferencesOnEachEngine() async throws {
        let server = InProcessServer()
        try server.initialize()
        for dialect in Dialect.allCases {
            let base = try TestDatabases.server(dialect)
            let driver = Database.driver(for: dialect)
            let scratch = try await TestDatabases.scratchDatabase(using: driver, on: base, prefix: "it_schema")
            let url = JSONValue.string(scratch.url)
            let schema = try server.call("generate_schema", ["template": "ecommerce", "target_database": .string(dialect.rawValue)])
            XCTAssertEqual(schema["success"], true)
            XCTAssertEqual(schema["validation_errors"]?.arrayValue?.count ?? -1, 0, "\(dialect): \(schema["validation_errors"] ?? .null)")
            let applied = try server.call("SchemaDefinition.apply_to_database", ["database_url": url, "schema": schema])
            XCTAssertEqual(applied["success"], true, "\(dialect)")
            let inspected = try server.call("SchemaGenerator.inspect_database", ["database_url": url])
            let tables = Set((inspected["tables"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
            XCTAssertTrue(tables.isSuperset(of: ["customers", "products", "orders"]), "\(dialect): \(tables)")
            let diff = try server.call("SchemaDefinition.diff", ["schema": schema, "other": inspected, "dialect": .string(dialect.rawValue)])
            XCTAssertEqual(diff["equal"], true, "\(dialect): \(diff["differences"] ?? .null)")
            await TestDatabases.dropScratchDatabase(using: driver, scratch)
        }
        _ = try await server.shutdown()
    }

    func testInvalidSchemaIsASchemaErrorOrValidationMessages() async throws {
        let server = InProcessServer()
        try server.initialize()
        let broken: JSONValue = ["tables": [["name": "orders", "columns": [
            ["name": "id", "type": "INTEGER", "primary_key": true],
            ["name": "customer_id", "type": "INTEGER", "references": "customers.id"]]]]]
        let errors = try server.call("SchemaDefinition.validate", ["schema": broken])
        XCTAssertTrue((errors.arrayValue ?? []).contains { ($0.stringValue ?? "").contains("customers") }, "\(errors)")
        XCTAssertThrowsError(try server.call("generate_schema", ["template": "no_such_template"])) { error in
            XCTAssertEqual((error as? RPCError)?.code, -32060)
            XCTAssertEqual((error as? RPCError)?.data?["type"], "SchemaError")
        }
        _ = try await server.shutdown()
    }
}
