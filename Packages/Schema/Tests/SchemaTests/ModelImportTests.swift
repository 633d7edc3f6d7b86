import DatabaseDriver
import Foundation
import Schema
import XCTest

final class ModelImportTests: XCTestCase {
    func node(_ json: String) throws -> JSONNode { try JSONDecoder().decode(JSONNode.self, from: Data(json.utf8)) }

    func testEntityDescriptionsBecomeTablesWithForeignKeysAndJoinTables() throws {
        let models = [
            try node(#"{"name": "User", "table": "users", "fields": [{"name": "email", "type": "string", "max_length": 255, "unique": true, "required": true}]}"#),
            try node(#"""
            {"name": "Post", "table": "posts",
             "fields": [{"name": "title", "type": "string", "max_length": 200, "nullable": false},
                        {"name": "state", "type": "enum", "values": ["draft", "live"], "default": "draft"},
                        {"name": "views", "type": "integer", "min": 0, "default": 0}],
             "relationships": [{"type": "many_to_one", "target": "User", "field": "author_id", "on_delete": "CASCADE", "required": true},
                               {"type": "many_to_many", "target": "Tag"}]}
            """#),
            try node(#"{"name": "Tag", "table": "tags", "fields": [{"name": "name", "type": "string", "max_length": 50}]}"#),
        ]
        let schema = try SchemaGenerator(dialect: .postgresql).generateFromModels(GenerateFromModelsParams(models: models))
        XCTAssertEqual(schema.tables.map(\.name), ["users", "posts", "tags", "posts_tags"])
        let posts = try XCTUnwrap(schema.table("posts"))
        XCTAssertEqual(posts.columns.map(\.name), ["id", "title", "state", "views", "author_id"])
        XCTAssertEqual(posts.column("state")?.type, "posts_state")
        XCTAssertEqual(schema.enums, [EnumDefinition(name: "posts_state", values: ["draft", "live"])])
        XCTAssertEqual(posts.foreignKeys, [ForeignKey(columns: ["author_id"], referencedTable: "users", referencedColumns: ["id"], onDelete: .cascade)])
        XCTAssertEqual(posts.column("author_id")?.nullable, false)
        XCTAssertEqual(posts.checkConstraints.map(\.expression), ["views >= 0"])
        XCTAssertEqual(posts.indexes.map(\.name), ["idx_posts_author_id"])
        let join = try XCTUnwrap(schema.table("posts_tags"))
        XCTAssertEqual(join.primaryKey?.columns, ["posts_id", "tags_id"])
        XCTAssertEqual(join.foreignKeys.map(\.onDelete), [.cascade, .cascade])
        for dialect in Dialect.allCases {
            XCTAssertEqual(SchemaValidator(dialect: dialect).issues(schema).filter { $0.severity == .error }, [], "\(dialect)")
        }
    }

    func testPydanticJSONSchemaWithRefsBecomesRelatedTables() throws {
        // As `Order.model_json_schema()` writes it for Order(id, customer: Customer, lines: list[Line], note: str | None, status: Status).
        let document = try node(#"""
        {"$defs": {
           "Customer": {"properties": {"id": {"title": "Id", "type": "integer"},
                                       "email": {"format": "email", "title": "Email", "type": "string"}},
                        "required": ["id", "email"], "title": "Customer", "type": "object"},
           "Line": {"properties": {"sku": {"maxLength": 32, "title": "Sku", "type": "string"},
                                   "quantity": {"exclusiveMinimum": 0, "title": "Quantity", "type": "integer"}},
                    "required": ["sku", "quantity"], "title": "Line", "type": "object"},
           "Status": {"enum": ["new", "paid"], "title": "Status", "type": "string"}},
         "properties": {"id": {"title": "Id", "type": "integer"},
                        "customer": {"$ref": "#/$defs/Customer"},
                        "lines": {"items": {"$ref": "#/$defs/Line"}, "title": "Lines", "type": "array"},
                        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": null, "title": "Note"},
                        "placed_at": {"format": "date-time", "title": "Placed At", "type": "string"},
                        "status": {"$ref": "#/$defs/Status", "default": "new"}},
         "required": ["id", "customer", "lines", "placed_at"], "title": "Order", "type": "object"}
        """#)
        let schema = try ModelSchemaBuilder().build([document])
        XCTAssertEqual(Set(schema.tables.map(\.name)), ["customer", "line", "order"])
        let order = try XCTUnwrap(schema.table("order"))
        XCTAssertEqual(order.column("note")?.nullable, true)
        XCTAssertEqual(order.column("placed_at")?.type, "timestamptz")
        XCTAssertEqual(order.column("status")?.type, "status")
        XCTAssertEqual(order.column("status")?.defaultValue, .string("new"))
        XCTAssertEqual(order.foreignKeys.map(\.referencedTable), ["customer"])
        XCTAssertEqual(order.column("customer_id")?.nullable, false)
        let line = try XCTUnwrap(schema.table("line"))
        XCTAssertEqual(line.column("sku")?.type, "varchar(32)")
        XCTAssertEqual(line.foreignKeys.first?.referencedTable, "order")
        XCTAssertEqual(line.foreignKeys.first?.onDelete, .cascade)
        XCTAssertEqual(line.primaryKey?.columns, ["id"], "a model without id gets a surrogate key")
        XCTAssertEqual(line.checkConstraints.map(\.expression), ["quantity > 0"])
    }

    func testGenerateSchemaFromModelsWritesSchemaDDLAndInitialMigrations() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-schema-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try SchemaGeneration.generateSchemaFromModels(GenerateSchemaFromModelsParams(
            models: [try node(#"{"name": "Note", "fields": [{"name": "body", "type": "text"}]}"#)], outputDir: dir.path))
        XCTAssertTrue(result.success)
        for role in ["schema", "ddl_postgresql", "ddl_mysql", "ddl_sqlite", "migration_up_sqlite", "migration_down_mysql"] {
            let path = try XCTUnwrap(result.files[role], role)
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), path)
        }
        let json = try String(contentsOfFile: result.files["schema"]!, encoding: .utf8)
        XCTAssertEqual(try JSONDecoder().decode(SchemaDefinition.self, from: Data(json.utf8)).table("note")?.columns.map(\.name), ["id", "body"])
        XCTAssertEqual(result.migrations.count, 3)
    }

    func testGenerateSchemaFromATemplateFillsDDLAndValidation() throws {
        let result = try SchemaGeneration.generateSchema(GenerateSchemaParams(targetDatabase: .mysql, template: "blog_system"))
        XCTAssertTrue(result.success)
        XCTAssertEqual(result.schema.databaseType, .mysql)
        XCTAssertTrue(result.schema.ddlStatements.contains { $0.hasPrefix("CREATE TABLE `posts`") })
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        XCTAssertTrue(json.contains("\"ddl_statements\"") && json.contains("\"validation_errors\""))
    }
}
