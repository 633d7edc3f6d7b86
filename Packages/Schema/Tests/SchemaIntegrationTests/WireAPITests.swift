import DriverTestSupport
import Drivers
import Foundation
import Schema
import XCTest

/// The spec methods as the server calls them: params decoded from JSON, results encoded to JSON.
final class WireAPITests: XCTestCase {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    func testApplyThenInspectThroughConnectionConfigParams() async throws {
        let dir = TestDatabases.temporaryDirectory()
        let path = dir.appendingPathComponent("wire.db").path
        let config = #"{"driver": "sqlite", "database": "\#(path)"}"#
        let apply = try decode(DatabaseSchemaParams.self, #"""
        {"connection_config": \#(config),
         "schema": {"tables": [{"name": "notes", "columns": [{"name": "id", "type": "INTEGER", "primary_key": true, "auto_increment": true},
                                                            {"name": "body", "type": "TEXT", "nullable": false}]}]}}
        """#)
        let applied = try await SchemaDefinitionMethods.applyToDatabase(apply)
        XCTAssertTrue(applied.success)
        XCTAssertTrue(String(decoding: try JSONEncoder().encode(applied), as: UTF8.self).contains("\"statements_executed\":1"))
        let inspect = try decode(DatabaseSchemaParams.self, #"{"database_url": "sqlite:///\#(path)"}"#)
        let schema = try await SchemaGenerator().inspectDatabase(inspect)
        XCTAssertEqual(schema.table("notes")?.column("id")?.autoIncrement, true)
        XCTAssertEqual(schema.databaseType, .sqlite)
    }

    func testInspectReportsAConnectionFailureWithoutThePassword() async throws {
        let params = try decode(DatabaseSchemaParams.self, #"{"database_url": "postgresql://someone:sekret-pw@127.0.0.1:1/nothing"}"#)
        do {
            _ = try await SchemaGenerator().inspectDatabase(params)
            XCTFail("connecting to port 1 should fail")
        } catch let error as SchemaError {
            XCTAssertEqual(error.code, .databaseFailure)
            XCTAssertFalse(String(describing: error).contains("sekret-pw"))
            XCTAssertFalse(error.message.contains("sekret-pw"))
        }
    }

    func testImportSchemaReadsSQLJSONAndYAMLFiles() async throws {
        let dir = TestDatabases.temporaryDirectory()
        let sqlFile = dir.appendingPathComponent("schema.sql")
        try """
        CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors(id) ON DELETE CASCADE, title TEXT);
        CREATE INDEX idx_books_author ON books (author_id);
        """.write(to: sqlFile, atomically: true, encoding: .utf8)
        let generator = SchemaGenerator(dialect: .sqlite)
        let fromSQL = try await generator.importSchema(try decode(ImportSchemaParams.self, #"{"schema_file": "\#(sqlFile.path)"}"#))
        XCTAssertEqual(fromSQL.table("books")?.foreignKeys.first?.onDelete, .cascade)
        XCTAssertEqual(fromSQL.table("authors")?.uniqueConstraints.map(\.columns), [["name"]])
        for format in [SchemaFormat.json, .yaml] {
            let text = try generator.exportSchema(ExportSchemaParams(schema: fromSQL, format: format))
            let file = dir.appendingPathComponent("schema.\(format.rawValue)")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let back = try await generator.importSchema(ImportSchemaParams(schemaFile: file.path))
            SchemaTestSupport.assertSameSchema(back, fromSQL, .sqlite, format.rawValue)
            XCTAssertEqual(try generator.exportSchema(ExportSchemaParams(schema: back, format: format)), text, "export is deterministic")
        }
    }

    func testImportingPostgreSQLDDLUsesAScratchDatabaseOnTheServer() async throws {
        let server = try TestDatabases.postgres()
        let file = TestDatabases.temporaryDirectory().appendingPathComponent("pg.sql")
        try "CREATE TYPE mood AS ENUM ('ok', 'meh'); CREATE TABLE people (id serial PRIMARY KEY, mood mood DEFAULT 'ok');".write(to: file, atomically: true, encoding: .utf8)
        let schema = try await SchemaGenerator(dialect: .postgresql).importSchema(ImportSchemaParams(schemaFile: file.path, connectionConfig: server))
        XCTAssertEqual(schema.enums, [EnumDefinition(name: "mood", values: ["ok", "meh"])])
        XCTAssertEqual(schema.table("people")?.column("id")?.autoIncrement, true)
        XCTAssertEqual(schema.table("people")?.column("mood")?.defaultValue, .string("ok"))
    }

    func testImportingMySQLDDLUsesAScratchDatabaseOnTheServer() async throws {
        let server = try TestDatabases.mysql()
        let file = TestDatabases.temporaryDirectory().appendingPathComponent("my.sql")
        try """
        CREATE TABLE people (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, mood ENUM('ok','meh') DEFAULT 'ok',
          updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);
        CREATE TABLE pets (id INT NOT NULL PRIMARY KEY, owner INT UNSIGNED, KEY idx_owner (owner),
          CONSTRAINT pets_owner FOREIGN KEY (owner) REFERENCES people (id) ON DELETE SET NULL);
        """.write(to: file, atomically: true, encoding: .utf8)
        let schema = try await SchemaGenerator(dialect: .mysql).importSchema(ImportSchemaParams(schemaFile: file.path, connectionConfig: server))
        XCTAssertEqual(schema.table("people")?.column("id")?.type, "integer unsigned")
        XCTAssertEqual(schema.table("people")?.column("mood")?.type, "enum('ok','meh')")
        XCTAssertEqual(schema.table("people")?.column("updated")?.onUpdate, "CURRENT_TIMESTAMP")
        XCTAssertEqual(schema.table("pets")?.foreignKeys.first?.onDelete, .setNull)
        XCTAssertEqual(schema.table("pets")?.indexes.map(\.name), ["idx_owner"])
    }

    func testDiffResultSaysEqualOnlyWhenNothingDiffers() throws {
        let params = try decode(DiffParams.self, #"""
        {"schema": {"tables": [{"name": "t", "columns": [{"name": "id", "type": "int", "primary_key": true}]}]},
         "other": {"tables": [{"name": "t", "columns": [{"name": "id", "type": "int", "primary_key": true}, {"name": "x", "type": "text"}]}]}}
        """#)
        let result = SchemaDefinitionMethods.diff(params)
        XCTAssertFalse(result.equal)
        XCTAssertEqual(result.differences, ["add column t.x text"])
        XCTAssertTrue(SchemaDefinitionMethods.diff(DiffParams(schema: params.schema, other: params.schema)).equal)
    }
}
