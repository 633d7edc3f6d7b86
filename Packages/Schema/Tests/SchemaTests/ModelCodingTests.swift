import DatabaseDriver
import Foundation
import Schema
import XCTest

final class ModelCodingTests: XCTestCase {
    func decode(_ json: String) throws -> SchemaDefinition {
        try JSONDecoder().decode(SchemaDefinition.self, from: Data(json.utf8))
    }

    func testDecodesTheListShapeOfFile001WithColumnShorthands() throws {
        let schema = try decode("""
        {"database_type": "postgresql",
         "tables": [
           {"name": "users", "columns": [
              {"name": "id", "type": "SERIAL", "primary_key": true},
              {"name": "email", "type": "VARCHAR(255)", "nullable": false, "unique": true},
              {"name": "status", "type": "varchar(20)", "default": "active"},
              {"name": "created_at", "type": "TIMESTAMP WITH TIME ZONE", "default": "CURRENT_TIMESTAMP"}]},
           {"name": "posts", "columns": [
              {"name": "id", "type": "integer", "primary_key": true},
              {"name": "user_id", "type": "integer", "references": "users.id", "on_delete": "cascade"}],
            "constraints": [{"type": "foreign_key", "columns": ["user_id"], "referenced_table": "users",
                             "referenced_columns": ["id"], "name": "posts_user_fk"}]}],
         "views": [{"name": "active_users", "definition": "SELECT * FROM users WHERE status = 'active'"}],
         "ddl_statements": [], "validation_errors": []}
        """)
        let users = try XCTUnwrap(schema.table("users"))
        XCTAssertEqual(users.primaryKey?.columns, ["id"])
        XCTAssertEqual(users.column("id")?.autoIncrement, true)
        XCTAssertEqual(users.column("id")?.type, "integer")
        XCTAssertEqual(users.column("id")?.nullable, false)
        XCTAssertEqual(users.column("email")?.type, "varchar(255)")
        XCTAssertEqual(users.uniqueConstraints.map(\.columns), [["email"]])
        XCTAssertEqual(users.column("status")?.defaultValue, .string("active"))
        XCTAssertEqual(users.column("created_at")?.defaultValue, .expression("CURRENT_TIMESTAMP"))
        XCTAssertEqual(users.column("created_at")?.type, "timestamptz")
        let posts = try XCTUnwrap(schema.table("posts"))
        XCTAssertEqual(posts.foreignKeys.count, 1, "the column's references and the constraint are one foreign key")
        XCTAssertEqual(posts.foreignKeys.first?.name, "posts_user_fk")
        XCTAssertEqual(posts.foreignKeys.first?.onDelete, .cascade)
        XCTAssertEqual(schema.views.map(\.name), ["active_users"])
    }

    func testDecodesTheDictShapeOfFile000WithTopLevelIndexesConstraintsAndRelationships() throws {
        let schema = try decode("""
        {"tables": {"authors": {"columns": {"id": {"type": "integer", "primary_key": true}, "name": "text"}},
                    "books": {"columns": [{"name": "id", "type": "integer", "primary_key": true},
                                          {"name": "author_id", "type": "integer"}, {"name": "isbn", "type": "char(13)"}]}},
         "indexes": {"idx_books_isbn": {"table": "books", "columns": ["isbn"], "unique": true}},
         "constraints": {"books_isbn_len": {"table": "books", "type": "check", "expression": "length(isbn) = 13"}},
         "relationships": [{"from_table": "books", "from_column": "author_id", "to_table": "authors", "to_column": "id",
                            "type": "many_to_one", "on_delete": "SET NULL"}]}
        """)
        XCTAssertEqual(schema.table("authors")?.columns.map(\.name).sorted(), ["id", "name"])
        XCTAssertEqual(schema.table("authors")?.column("name")?.type, "text")
        let books = try XCTUnwrap(schema.table("books"))
        XCTAssertEqual(books.indexes, [IndexDefinition(name: "idx_books_isbn", columns: ["isbn"], unique: true)])
        XCTAssertEqual(books.checkConstraints, [CheckConstraint(name: "books_isbn_len", expression: "length(isbn) = 13")])
        XCTAssertEqual(books.foreignKeys, [ForeignKey(columns: ["author_id"], referencedTable: "authors", referencedColumns: ["id"], onDelete: .setNull)])
    }

    func testSchemaFilesKeepTheColumnOrderOfA000ColumnDict() throws {
        let schema = try SchemaFiles.decode(#"{"tables": {"t": {"columns": {"zeta": "int", "alpha": "text", "mid": "date"}}}}"#, format: .json)
        XCTAssertEqual(schema.table("t")?.columns.map(\.name), ["zeta", "alpha", "mid"])
    }

    func testABareWordExpressionDefaultSurvivesEncoding() throws {
        var schema = SchemaDefinition(tables: [TableDefinition(name: "t", columns: [ColumnDefinition(name: "who", type: "text", defaultValue: .expression("current_role_name"))])])
        schema = try JSONDecoder().decode(SchemaDefinition.self, from: JSONEncoder().encode(schema))
        XCTAssertEqual(schema.table("t")?.column("who")?.defaultValue, .expression("current_role_name"))
    }

    func testDecodesTheTemplateShapeOfFile003() throws {
        let schema = try decode("""
        {"tables": {"users": {"columns": [{"name": "id", "type": "INTEGER", "primary_key": true},
                                          {"name": "username", "type": "VARCHAR(50)", "unique": true}],
                              "indexes": [{"name": "idx_users_username", "columns": ["username"], "type": "unique"}]}}}
        """)
        XCTAssertEqual(schema.table("users")?.indexes.first?.unique, true)
        XCTAssertNil(schema.table("users")?.indexes.first?.method)
    }

    func testEncodingThenDecodingGivesTheSameSchema() throws {
        let schema = SchemaTemplates.ecommerce
        let data = try JSONEncoder().encode(schema)
        let back = try JSONDecoder().decode(SchemaDefinition.self, from: data)
        XCTAssertEqual(back.sorted(), schema.sorted())
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"ddl_statements\""))
        XCTAssertTrue(text.contains("\"on_delete\":\"CASCADE\""))
    }

    func testARelationshipWithoutColumnsIsAnErrorNotIgnored() {
        XCTAssertThrowsError(try decode("""
        {"tables": [{"name": "a", "columns": [{"name": "id", "type": "int"}]}, {"name": "b", "columns": [{"name": "id", "type": "int"}]}],
         "relationships": [{"from": "a", "to": "b", "type": "many_to_one"}]}
        """)) { error in
            XCTAssertEqual((error as? SchemaError)?.code, .invalidDefinition)
        }
    }

    func testDefaultsReadLiteralsAndExpressionsAsEnginesPrintThem() {
        XCTAssertEqual(ColumnDefault(sql: "'G'::mpaa_rating"), .string("G"))
        XCTAssertEqual(ColumnDefault(sql: "'it''s'::character varying"), .string("it's"))
        XCTAssertEqual(ColumnDefault(sql: "(-1)"), .number("-1"))
        XCTAssertEqual(ColumnDefault(sql: "4.99"), .number("4.99"))
        XCTAssertEqual(ColumnDefault(sql: "true"), .boolean(true))
        XCTAssertEqual(ColumnDefault(sql: "now()"), .expression("CURRENT_TIMESTAMP"))
        XCTAssertEqual(ColumnDefault(sql: "current_timestamp()"), .expression("CURRENT_TIMESTAMP"))
        XCTAssertEqual(ColumnDefault(sql: "gen_random_uuid()"), .expression("gen_random_uuid()"))
        XCTAssertEqual(ColumnDefault(sql: "pending"), .string("pending"))
    }

    func testCheckExpressionsCompareEqualAfterTheEngineReprintsThem() {
        let diff = SchemaDiffer(
            from: SchemaDefinition(tables: [TableDefinition(name: "t", columns: [ColumnDefinition(name: "role", type: "text")],
                checkConstraints: [CheckConstraint(expression: "role IN ('a', 'b')")])]),
            to: SchemaDefinition(tables: [TableDefinition(name: "t", columns: [ColumnDefinition(name: "role", type: "text")],
                checkConstraints: [CheckConstraint(expression: "(role)::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])")])]))
        XCTAssertEqual(diff.changes(), [])
    }

    func testTypesAreCanonicalAcrossSpellings() {
        XCTAssertEqual(SQLType.canonical("character varying(45)"), "varchar(45)")
        XCTAssertEqual(SQLType.canonical("INT4"), "integer")
        XCTAssertEqual(SQLType.canonical("smallint(5) unsigned", dialect: .mysql), "smallint unsigned")
        XCTAssertEqual(SQLType.canonical("tinyint(1)", dialect: .mysql), "boolean")
        XCTAssertEqual(SQLType.canonical("timestamp", dialect: .mysql), "timestamptz")
        XCTAssertEqual(SQLType.canonical("datetime", dialect: .mysql), "timestamp")
        XCTAssertEqual(SQLType.canonical("timestamp(6) without time zone", dialect: .postgresql), "timestamp")
        XCTAssertEqual(SQLType.canonical("NUMERIC(10, 2)"), "decimal(10,2)")
        XCTAssertEqual(SQLType.canonical("enum('G','PG-13')", dialect: .mysql), "enum('G','PG-13')")
        XCTAssertEqual(SQLType.canonical("text[]"), "text[]")
        XCTAssertEqual(SQLType.canonical("double precision"), "double")
        XCTAssertEqual(SQLType.canonical("float", dialect: .mysql), "real")
    }
}
