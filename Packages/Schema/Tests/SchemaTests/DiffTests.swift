import DatabaseDriver
import Schema
import XCTest

final class DiffTests: XCTestCase {
    var base: SchemaDefinition { DDLGeneratorTests.library }

    func testEqualSchemasHaveNoDifferences() {
        XCTAssertEqual(base.diff(base), [])
        var reordered = base
        reordered.tables.reverse()
        XCTAssertEqual(base.diff(reordered), [])
    }

    func testARenamedColumnIsRenamedNotDroppedAndAdded() throws {
        var target = base
        let i = try XCTUnwrap(target.tables.firstIndex { $0.name == "books" })
        target.tables[i].columns[1].name = "headline"
        target.tables[i].columns[1].renamedFrom = "title"
        let differ = SchemaDiffer(from: base, to: target, dialect: .postgresql)
        XCTAssertEqual(differ.changes().map(\.kind), ["rename_column"])
        let sql = try MigrationSQL(dialect: .postgresql, differ: differ).statements()
        XCTAssertEqual(sql, ["ALTER TABLE \"books\" RENAME COLUMN \"title\" TO \"headline\""])
        let back = try MigrationSQL(dialect: .postgresql, differ: differ.reversed()).statements()
        XCTAssertEqual(back, ["ALTER TABLE \"books\" RENAME COLUMN \"headline\" TO \"title\""])
    }

    func testARenamedTableKeepsItsForeignKeysPointingAtIt() throws {
        var target = base
        let i = try XCTUnwrap(target.tables.firstIndex { $0.name == "books" })
        target.tables[i].name = "titles"
        target.tables[i].renamedFrom = "books"
        let j = try XCTUnwrap(target.tables.firstIndex { $0.name == "loans" })
        target.tables[j].foreignKeys[0].referencedTable = "titles"
        target.tables[j].foreignKeys[0].name = "loans_book_id_fkey"
        let changes = SchemaDiffer(from: base, to: target, dialect: .postgresql).changes()
        XCTAssertEqual(changes.map(\.kind), ["rename_table"], "\(changes.map(\.description))")
    }

    func testDroppingAndNarrowingAreFlaggedDestructive() throws {
        var target = base
        let i = try XCTUnwrap(target.tables.firstIndex { $0.name == "loans" })
        target.tables[i].columns.removeAll { $0.name == "due" }
        target.tables[i].indexes = []
        target.tables[i].columns[1].type = "varchar(10)"
        let changes = SchemaDiffer(from: base, to: target).changes()
        XCTAssertEqual(changes.filter(\.isDestructive).map(\.kind).sorted(), ["alter_column", "drop_column"])
        let migration = try XCTUnwrap(MigrationPlanner.migrations(from: base, to: target, dialect: .postgresql).first)
        XCTAssertTrue(migration.destructive)
        XCTAssertEqual(migration.checksum.count, 64)
    }

    func testObjectsTheModelDoesNotCarryAreReportedNotCalledEqual() {
        var target = base
        target.unsupportedObjects = [UnsupportedObject(kind: "trigger", name: "audit", table: "books", reason: "triggers are not modelled")]
        XCTAssertEqual(base.diff(target), ["error: trigger books.audit exists only in the target schema; dbm does not model it and cannot create it"])
        XCTAssertThrowsError(try MigrationPlanner.migrations(from: base, to: target, dialect: .postgresql))
    }

    func testSQLiteRebuildsATableForAChangeAlterTableCannotMake() throws {
        var target = base
        let i = try XCTUnwrap(target.tables.firstIndex { $0.name == "books" })
        target.tables[i].columns[1].nullable = true
        let sql = try MigrationSQL(dialect: .sqlite, differ: SchemaDiffer(from: base, to: target, dialect: .sqlite)).statements()
        XCTAssertEqual(sql.first, "PRAGMA foreign_keys = OFF")
        XCTAssertTrue(sql.contains { $0.hasPrefix("CREATE TABLE \"_dbm_new_books\"") })
        XCTAssertTrue(sql.contains("INSERT INTO \"_dbm_new_books\" (\"id\", \"title\", \"price\") SELECT \"id\", \"title\", \"price\" FROM \"books\""))
        XCTAssertTrue(sql.contains("ALTER TABLE \"_dbm_new_books\" RENAME TO \"books\""))
        XCTAssertEqual(sql.last, "PRAGMA foreign_keys = ON")
    }

    func testMigrationsCarryBothSpecKeySets() throws {
        var target = base
        target.tables.append(TableDefinition(name: "authors", columns: [ColumnDefinition(name: "id", type: "integer")], primaryKey: PrimaryKey(columns: ["id"])))
        let migration = try XCTUnwrap(MigrationPlanner.migrations(from: base, to: target, dialect: .mysql, version: "0002").first)
        let json = try XCTUnwrap(String(data: JSONEncoder().encode(migration), encoding: .utf8))
        for key in ["\"version\"", "\"revision\"", "\"up_sql\"", "\"down_sql\"", "\"upgrade_sql\"", "\"downgrade_sql\"", "\"checksum\"", "\"created_at\"", "\"dependencies\""] {
            XCTAssertTrue(json.contains(key), key)
        }
        XCTAssertEqual(migration.downSQL, "DROP TABLE `authors`;\n")
    }
}
