import DriverTestSupport
import Drivers
import Foundation
import Schema
import XCTest

/// inspect(apply(S)) equals S on each engine, for a schema that uses what the model covers.
final class RoundTripTests: XCTestCase {
    /// A schema in the dialect's native terms: composite keys, every foreign key action, unique and check
    /// constraints, unique/multi-column/partial/expression indexes, defaults literal and expression,
    /// auto-increment, enums, views.
    static func richSchema(_ dialect: Dialect) -> SchemaDefinition {
        let enumType = dialect == .postgresql ? "membership" : dialect == .mysql ? "enum('basic','gold')" : "text"
        var members = TableDefinition(name: "members", columns: [
            ColumnDefinition(name: "id", type: "bigint", nullable: false, autoIncrement: true),
            ColumnDefinition(name: "email", type: "varchar(255)", nullable: false),
            ColumnDefinition(name: "display_name", type: "varchar(80)", defaultValue: .string("anonymous")),
            ColumnDefinition(name: "level", type: enumType, nullable: false, defaultValue: .string("basic")),
            ColumnDefinition(name: "active", type: "boolean", nullable: false, defaultValue: .boolean(true)),
            ColumnDefinition(name: "balance", type: "decimal(10,2)", nullable: false, defaultValue: .number("0")),
            ColumnDefinition(name: "joined_at", type: dialect == .mysql ? "timestamptz" : "timestamp", nullable: false, defaultValue: .expression("CURRENT_TIMESTAMP")),
        ], primaryKey: PrimaryKey(columns: ["id"]),
        uniqueConstraints: [UniqueConstraint(name: "members_email_key", columns: ["email"])],
        checkConstraints: [CheckConstraint(name: "members_balance_check", expression: "balance >= 0")],
        indexes: [IndexDefinition(name: "idx_members_name_joined", columns: ["display_name", "joined_at"])])
        if dialect == .mysql { members.columns[6].onUpdate = "CURRENT_TIMESTAMP" }
        if dialect == .sqlite { members.checkConstraints.append(CheckConstraint(name: "members_level_check", expression: "level IN ('basic', 'gold')")) }
        if dialect != .mysql {
            members.indexes.append(IndexDefinition(name: "idx_members_active_email", columns: ["email"], unique: true, predicate: "active"))
            members.indexes.append(IndexDefinition(name: "idx_members_lower_email", columns: ["(lower(email))"]))
        }
        let clubs = TableDefinition(name: "clubs", columns: [
            ColumnDefinition(name: "code", type: "char(4)", nullable: false),
            ColumnDefinition(name: "region", type: "smallint", nullable: false),
            ColumnDefinition(name: "name", type: "text", nullable: false),
            ColumnDefinition(name: "owner_id", type: "bigint"),
        ], primaryKey: PrimaryKey(columns: ["code", "region"]),
        foreignKeys: [ForeignKey(name: "clubs_owner_fk", columns: ["owner_id"], referencedTable: "members", referencedColumns: ["id"], onDelete: .setNull, onUpdate: .cascade)],
        indexes: [IndexDefinition(name: "idx_clubs_owner", columns: ["owner_id"])])
        let memberships = TableDefinition(name: "memberships", columns: [
            ColumnDefinition(name: "member_id", type: "bigint", nullable: false),
            ColumnDefinition(name: "club_code", type: "char(4)", nullable: false),
            ColumnDefinition(name: "club_region", type: "smallint", nullable: false),
            ColumnDefinition(name: "since", type: "date"),
            ColumnDefinition(name: "note", type: "text"),
        ], primaryKey: PrimaryKey(columns: ["member_id", "club_code", "club_region"]),
        foreignKeys: [
            ForeignKey(name: "memberships_member_fk", columns: ["member_id"], referencedTable: "members", referencedColumns: ["id"], onDelete: .cascade),
            ForeignKey(name: "memberships_club_fk", columns: ["club_code", "club_region"], referencedTable: "clubs", referencedColumns: ["code", "region"], onDelete: .restrict),
        ],
        indexes: [IndexDefinition(name: "idx_memberships_club", columns: ["club_code", "club_region"])])
        return SchemaDefinition(
            databaseType: dialect, tables: [members, clubs, memberships],
            views: [ViewDefinition(name: "active_members", definition: SchemaTestSupport.viewSQL(dialect, table: "members", columns: ["id", "email"], where: dialect == .mysql ? "`members`.`active` <> 0" : dialect == .postgresql ? "members.active" : "active"))],
            enums: dialect == .postgresql ? [EnumDefinition(name: "membership", values: ["basic", "gold"])] : [])
    }

    func roundTrip(_ dialect: Dialect) async throws {
        let schema = Self.richSchema(dialect)
        XCTAssertEqual(SchemaValidator(dialect: dialect).issues(schema).filter { $0.severity == .error }, [])
        try await SchemaTestSupport.withScratch(dialect) { connection, _ in
            let result = try await schema.applyToDatabase(connection)
            XCTAssertTrue(result.success)
            XCTAssertEqual(result.transactional, dialect != .mysql)
            let inspected = try await SchemaInspector().inspect(connection)
            SchemaTestSupport.assertSameSchema(inspected, schema, dialect)
            XCTAssertEqual(inspected.databaseType, dialect)
            XCTAssertEqual(inspected.unsupportedObjects, [])
        }
    }

    func testRoundTripOnSQLite() async throws { try await roundTrip(.sqlite) }
    func testRoundTripOnPostgreSQL() async throws { try await roundTrip(.postgresql) }
    func testRoundTripOnMariaDB() async throws { try await roundTrip(.mysql) }

    func testEveryTemplateRoundTripsOnEveryEngine() async throws {
        for dialect in Dialect.allCases {
            for name in SchemaTemplates.names {
                let template = try SchemaTemplates.template(named: name)
                try await SchemaTestSupport.withScratch(dialect) { connection, _ in
                    _ = try await template.applyToDatabase(connection)
                    let inspected = try await SchemaInspector().inspect(connection)
                    SchemaTestSupport.assertSameSchema(inspected, template, dialect, name)
                }
            }
        }
    }

    func testApplyRollsBackEverythingWhenAStatementFails() async throws {
        for dialect in Dialect.allCases {
            var schema = SchemaTemplates.todoApplication
            // A check the engine rejects at CREATE time, on the last table created.
            schema.tables[schema.tables.count - 1].checkConstraints.append(CheckConstraint(name: "broken", expression: "no_such_column > 0"))
            try await SchemaTestSupport.withScratch(dialect) { connection, _ in
                do {
                    _ = try await schema.applyToDatabase(connection)
                    XCTFail("apply should fail on \(dialect)")
                } catch let error as SchemaError {
                    XCTAssertEqual(error.code, .databaseFailure)
                }
                let left = try await SchemaInspector().inspect(connection)
                XCTAssertEqual(left.tables.map(\.name), [], "nothing is left behind on \(dialect)")
            }
        }
    }
}
