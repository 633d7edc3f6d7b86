import DatabaseDriver
import Schema
import XCTest

final class ValidationTests: XCTestCase {
    func issues(_ schema: SchemaDefinition, _ dialect: Dialect = .postgresql) -> [ValidationIssue] {
        SchemaValidator(dialect: dialect).issues(schema)
    }

    func testReportsADanglingForeignKeyWithItsLocation() {
        let schema = SchemaDefinition(tables: [TableDefinition(
            name: "orders", columns: [ColumnDefinition(name: "id", type: "integer"), ColumnDefinition(name: "user_id", type: "integer")],
            primaryKey: PrimaryKey(columns: ["id"]), foreignKeys: [ForeignKey(columns: ["user_id"], referencedTable: "users", referencedColumns: ["id"])])])
        let found = issues(schema)
        XCTAssertTrue(found.contains(ValidationIssue(.error, "orders.orders_user_id_fkey", "references table 'users', which the schema does not define")), "\(found)")
    }

    func testReportsDuplicateTableColumnAndIndexNames() {
        let t = TableDefinition(name: "t", columns: [ColumnDefinition(name: "a", type: "int"), ColumnDefinition(name: "a", type: "int")],
                                primaryKey: PrimaryKey(columns: ["a"]), indexes: [IndexDefinition(name: "ix", columns: ["a"])])
        var u = t
        u.name = "u"
        u.columns.removeLast()
        let found = issues(SchemaDefinition(tables: [t, t, u]))
        XCTAssertTrue(found.contains { $0.location == "t" && $0.message == "duplicate table name" })
        XCTAssertTrue(found.contains { $0.location == "t.a" && $0.message == "duplicate column name" })
        XCTAssertTrue(found.contains { $0.location == "u.ix" && $0.message.contains("also used on t") }, "\(found)")
    }

    func testWarnsAboutMissingPrimaryKeysCyclesAndReservedWords() {
        let schema = SchemaDefinition(tables: [
            TableDefinition(name: "user", columns: [ColumnDefinition(name: "id", type: "int"), ColumnDefinition(name: "g", type: "int")],
                            primaryKey: PrimaryKey(columns: ["id"]), foreignKeys: [ForeignKey(columns: ["g"], referencedTable: "group", referencedColumns: ["id"])]),
            TableDefinition(name: "group", columns: [ColumnDefinition(name: "id", type: "int"), ColumnDefinition(name: "u", type: "int")],
                            primaryKey: PrimaryKey(columns: ["id"]), foreignKeys: [ForeignKey(columns: ["u"], referencedTable: "user", referencedColumns: ["id"])]),
            TableDefinition(name: "log", columns: [ColumnDefinition(name: "line", type: "text")]),
        ])
        let found = issues(schema)
        XCTAssertTrue(found.contains { $0.location == "log" && $0.severity == .warning && $0.message.contains("no primary key") })
        XCTAssertTrue(found.contains { $0.message.contains("circular foreign key dependency group → user → group") }, "\(found)")
        XCTAssertTrue(found.contains { $0.location == "user" && $0.message.contains("reserved word") })
        XCTAssertFalse(found.contains { $0.severity == .error }, "\(found)")
    }

    func testReportsTypesUnknownToTheDialect() {
        let schema = SchemaDefinition(tables: [TableDefinition(name: "t", columns: [
            ColumnDefinition(name: "id", type: "int"), ColumnDefinition(name: "doc", type: "tsvector"), ColumnDefinition(name: "x", type: "flux_capacitor")],
            primaryKey: PrimaryKey(columns: ["id"]))])
        XCTAssertFalse(issues(schema, .postgresql).contains { $0.location == "t.doc" })
        XCTAssertTrue(issues(schema, .mysql).contains { $0.location == "t.doc" && $0.severity == .error })
        XCTAssertTrue(issues(schema, .postgresql).contains { $0.location == "t.x" && $0.message.contains("flux_capacitor") })
    }

    func testEveryTemplateIsValidOnEveryDialect() throws {
        for name in SchemaTemplates.names {
            let template = try SchemaTemplates.template(named: name)
            for dialect in Dialect.allCases {
                let errors = issues(template, dialect).filter { $0.severity == .error }
                XCTAssertEqual(errors, [], "\(name) on \(dialect)")
            }
        }
        XCTAssertThrowsError(try SchemaTemplates.template(named: "crm"))
    }
}
