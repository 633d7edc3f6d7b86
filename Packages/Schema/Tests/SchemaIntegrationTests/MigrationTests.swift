import DriverTestSupport
import Drivers
import Foundation
import Schema
import XCTest

/// generate_migrations then apply: the database inspects as the target after the up SQL and as the
/// original after the down SQL, across more than twenty kinds of change, on each engine.
final class MigrationTests: XCTestCase {
    static func col(_ name: String, _ type: String, null: Bool = true, _ def: ColumnDefault? = nil, renamedFrom: String? = nil) -> ColumnDefinition {
        var c = ColumnDefinition(name: name, type: type, nullable: null, defaultValue: def)
        c.renamedFrom = renamedFrom
        return c
    }

    static func base(_ dialect: Dialect) -> SchemaDefinition {
        SchemaDefinition(databaseType: dialect, tables: [
            TableDefinition(name: "authors", columns: [
                ColumnDefinition(name: "id", type: "integer", nullable: false, autoIncrement: true),
                col("name", "varchar(40)", null: false), col("email", "varchar(100)"), col("bio", "text", .string("none")),
                col("country", "char(2)"), col("rank", "integer", .number("1")),
            ], primaryKey: PrimaryKey(columns: ["id"]), uniqueConstraints: [UniqueConstraint(name: "authors_email_key", columns: ["email"])],
            checkConstraints: [CheckConstraint(name: "authors_rank_check", expression: "rank > 0")]),
            TableDefinition(name: "books", columns: [
                ColumnDefinition(name: "id", type: "integer", nullable: false, autoIncrement: true),
                col("author_id", "integer", null: false), col("title", "varchar(100)", null: false), col("isbn", "varchar(13)"),
                col("price", "decimal(8,2)", .number("0")), col("pages", "integer"), col("legacy_code", "text"),
            ], primaryKey: PrimaryKey(columns: ["id"]),
            foreignKeys: [ForeignKey(name: "books_author_fk", columns: ["author_id"], referencedTable: "authors", referencedColumns: ["id"])],
            checkConstraints: [CheckConstraint(name: "books_price_check", expression: "price >= 0")],
            indexes: [IndexDefinition(name: "idx_books_title", columns: ["title"]), IndexDefinition(name: "idx_books_author", columns: ["author_id"])]),
            TableDefinition(name: "old_stuff", columns: [ColumnDefinition(name: "id", type: "integer", nullable: false), col("note", "text")],
                            primaryKey: PrimaryKey(columns: ["id"])),
            TableDefinition(name: "shelves", columns: [ColumnDefinition(name: "id", type: "integer", nullable: false), col("label", "varchar(20)")],
                            primaryKey: PrimaryKey(columns: ["id"])),
        ], views: [ViewDefinition(name: "book_titles", definition: SchemaTestSupport.viewSQL(dialect, table: "books", columns: ["id", "title"]))])
    }

    static func target(_ dialect: Dialect) -> SchemaDefinition {
        var s = base(dialect)
        // authors: rename a column, widen a type, drop a default, set NOT NULL, change a default, add a column, swap a unique key.
        var authors = s.table("authors")!
        authors.columns[1] = col("full_name", "varchar(40)", null: false, renamedFrom: "name")
        authors.columns[2].type = "varchar(200)"
        authors.columns[3].defaultValue = nil
        authors.columns[4].nullable = false
        authors.columns[5].defaultValue = .number("10")
        authors.columns.append(col("active", "boolean", null: false, .boolean(true)))
        authors.uniqueConstraints = [UniqueConstraint(name: "authors_full_name_key", columns: ["full_name"])]
        authors.checkConstraints = []
        // books: drop a column, widen and narrow types, drop NOT NULL, set a default, change a default, change a
        // foreign key's action, add a foreign key to a renamed table, drop/create/change indexes, swap checks.
        var books = s.table("books")!
        books.columns.removeAll { $0.name == "legacy_code" }
        books.columns[5] = col("pages", "bigint", .number("0"))
        books.columns[2].type = "varchar(50)"
        books.columns[1].nullable = true
        books.columns[4].defaultValue = .number("1")
        books.columns.append(col("shelf_id", "integer"))
        books.foreignKeys = [ForeignKey(name: "books_author_fk", columns: ["author_id"], referencedTable: "authors", referencedColumns: ["id"], onDelete: .cascade),
                             ForeignKey(name: "books_shelf_fk", columns: ["shelf_id"], referencedTable: "racks", referencedColumns: ["id"], onDelete: .setNull)]
        books.indexes = [IndexDefinition(name: "idx_books_author", columns: ["author_id", "title"]),
                         IndexDefinition(name: "idx_books_isbn", columns: ["isbn"], unique: true),
                         IndexDefinition(name: "idx_books_shelf", columns: ["shelf_id"])]
        books.checkConstraints = [CheckConstraint(name: "books_pages_check", expression: "pages > 0")]
        // shelves renamed to racks, with a new column; old_stuff dropped; reviews created.
        var racks = s.table("shelves")!
        racks.name = "racks"
        racks.renamedFrom = "shelves"
        racks.columns.append(col("capacity", "integer", null: false, .number("20")))
        let reviews = TableDefinition(name: "reviews", columns: [
            ColumnDefinition(name: "id", type: "integer", nullable: false, autoIncrement: true), col("book_id", "integer", null: false),
            col("stars", "smallint", null: false), col("body", "text")],
            primaryKey: PrimaryKey(columns: ["id"]),
            foreignKeys: [ForeignKey(name: "reviews_book_fk", columns: ["book_id"], referencedTable: "books", referencedColumns: ["id"], onDelete: .cascade)],
            checkConstraints: [CheckConstraint(name: "reviews_stars_check", expression: "stars >= 1 AND stars <= 5")],
            indexes: [IndexDefinition(name: "idx_reviews_book", columns: ["book_id"])])
        s.tables = [authors, books, racks, reviews]
        // Views: one changed, one new.
        s.views = [ViewDefinition(name: "book_titles", definition: SchemaTestSupport.viewSQL(dialect, table: "books", columns: ["id", "title", "isbn"])),
                   ViewDefinition(name: "author_names", definition: SchemaTestSupport.viewSQL(dialect, table: "authors", columns: ["id", "full_name"]))]
        return s
    }

    func migrate(_ dialect: Dialect) async throws {
        let base = Self.base(dialect), target = Self.target(dialect)
        let result = try SchemaGenerator(dialect: dialect).generateMigrations(GenerateMigrationsParams(currentSchema: base, targetSchema: target))
        let migration = try XCTUnwrap(result.migrations.first)
        let kinds = Set(migration.changes.map(\.kind))
        XCTAssertGreaterThanOrEqual(migration.changes.count, 30, migration.description)
        XCTAssertEqual(kinds, ["rename_table", "rename_column", "create_table", "drop_table", "add_column", "drop_column", "alter_column",
                               "add_foreign_key", "drop_foreign_key", "add_unique", "drop_unique", "add_check", "drop_check",
                               "create_index", "drop_index", "create_view", "drop_view"])
        XCTAssertTrue(migration.destructive)
        XCTAssertTrue(migration.changes.contains { $0.kind == "drop_column" && $0.destructive })
        XCTAssertTrue(migration.changes.contains { $0.kind == "alter_column" && $0.description.contains("varchar(100) → varchar(50)") && $0.destructive })
        XCTAssertFalse(migration.changes.contains { $0.kind == "alter_column" && $0.description.contains("varchar(100) → varchar(200)") && $0.destructive })
        try await SchemaTestSupport.withScratch(dialect) { connection, _ in
            _ = try await base.applyToDatabase(connection)
            SchemaTestSupport.assertSameSchema(try await SchemaInspector().inspect(connection), base, dialect, "base")
            try await SchemaApplier().applyMigration(migration.upSQL, to: connection)
            SchemaTestSupport.assertSameSchema(try await SchemaInspector().inspect(connection), target, dialect, "after upgrade")
            try await SchemaApplier().applyMigration(migration.downSQL, to: connection)
            SchemaTestSupport.assertSameSchema(try await SchemaInspector().inspect(connection), base, dialect, "after downgrade")
        }
    }

    func testMigrationUpAndDownOnSQLite() async throws { try await migrate(.sqlite) }
    func testMigrationUpAndDownOnPostgreSQL() async throws { try await migrate(.postgresql) }
    func testMigrationUpAndDownOnMariaDB() async throws { try await migrate(.mysql) }

    func testSQLiteRebuildKeepsTheRows() async throws {
        let base = Self.base(.sqlite)
        var target = base
        let i = target.tables.firstIndex { $0.name == "books" }!
        target.tables[i].columns[2].type = "varchar(60)"
        target.tables[i].columns[1].nullable = true
        let migration = try XCTUnwrap(MigrationPlanner.migrations(from: base, to: target, dialect: .sqlite).first)
        XCTAssertTrue(migration.requiresNoTransaction)
        try await SchemaTestSupport.withScratch(.sqlite) { connection, _ in
            _ = try await base.applyToDatabase(connection)
            _ = try await connection.execute("INSERT INTO authors (name) VALUES ('Ada')")
            _ = try await connection.execute("INSERT INTO books (author_id, title) VALUES (1, 'Notes')")
            try await SchemaApplier().applyMigration(migration.upSQL, to: connection)
            let title = try await connection.scalar("SELECT title FROM books WHERE author_id = 1")
            let authors = try await connection.scalar("SELECT count(*) FROM authors")
            XCTAssertEqual(title, .text("Notes"))
            XCTAssertEqual(authors, .integer(1), "the parent row survives")
            SchemaTestSupport.assertSameSchema(try await SchemaInspector().inspect(connection), target, .sqlite)
        }
    }

    func testPostgreSQLEnumChangesAddValuesInPlaceAndRebuildOtherwise() async throws {
        let table = TableDefinition(name: "tickets", columns: [ColumnDefinition(name: "id", type: "integer", nullable: false),
                                                              ColumnDefinition(name: "state", type: "ticket_state", nullable: false, defaultValue: .string("open"))],
                                    primaryKey: PrimaryKey(columns: ["id"]))
        let v1 = SchemaDefinition(tables: [table], enums: [EnumDefinition(name: "ticket_state", values: ["open", "closed"])])
        var v2 = v1
        v2.enums = [EnumDefinition(name: "ticket_state", values: ["open", "pending", "closed"])]
        var v3 = v1
        v3.enums = [EnumDefinition(name: "ticket_state", values: ["open", "done"])]
        let add = try XCTUnwrap(MigrationPlanner.migrations(from: v1, to: v2, dialect: .postgresql).first)
        XCTAssertEqual(add.upSQL, "ALTER TYPE \"ticket_state\" ADD VALUE 'pending' AFTER 'open';\n")
        let replace = try XCTUnwrap(MigrationPlanner.migrations(from: v1, to: v3, dialect: .postgresql).first)
        XCTAssertTrue(replace.destructive)
        try await SchemaTestSupport.withScratch(.postgresql) { connection, _ in
            _ = try await v1.applyToDatabase(connection)
            try await SchemaApplier().applyMigration(add.upSQL, to: connection)
            SchemaTestSupport.assertSameSchema(try await SchemaInspector().inspect(connection), v2, .postgresql)
        }
        try await SchemaTestSupport.withScratch(.postgresql) { connection, _ in
            _ = try await v1.applyToDatabase(connection)
            try await SchemaApplier().applyMigration(replace.upSQL, to: connection)
            SchemaTestSupport.assertSameSchema(try await SchemaInspector().inspect(connection), v3, .postgresql)
            try await SchemaApplier().applyMigration(replace.downSQL, to: connection)
            SchemaTestSupport.assertSameSchema(try await SchemaInspector().inspect(connection), v1, .postgresql)
        }
    }
}
