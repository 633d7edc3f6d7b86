import DatabaseDriver
import Foundation
import Schema
import XCTest

final class DDLGeneratorTests: XCTestCase {
    /// Two tables with a composite key, a cascade, a check, an enum and a partial index.
    static var library: SchemaDefinition {
        SchemaDefinition(
            tables: [
                TableDefinition(name: "loans", columns: [
                    ColumnDefinition(name: "book_id", type: "integer", nullable: false),
                    ColumnDefinition(name: "member", type: "varchar(40)", nullable: false),
                    ColumnDefinition(name: "state", type: "loan_state", nullable: false, defaultValue: .string("open")),
                    ColumnDefinition(name: "due", type: "date"),
                ], primaryKey: PrimaryKey(columns: ["book_id", "member"]),
                foreignKeys: [ForeignKey(columns: ["book_id"], referencedTable: "books", referencedColumns: ["id"], onDelete: .cascade)],
                indexes: [IndexDefinition(name: "idx_loans_due", columns: ["due"], predicate: "due IS NOT NULL")]),
                TableDefinition(name: "books", columns: [
                    ColumnDefinition(name: "id", type: "integer", nullable: false, autoIncrement: true),
                    ColumnDefinition(name: "title", type: "text", nullable: false),
                    ColumnDefinition(name: "price", type: "decimal(8,2)", defaultValue: .number("0")),
                ], primaryKey: PrimaryKey(columns: ["id"]), checkConstraints: [CheckConstraint(expression: "price >= 0")]),
            ],
            enums: [EnumDefinition(name: "loan_state", values: ["open", "returned"])])
    }

    func testGoldenPostgreSQL() {
        XCTAssertEqual(Self.library.toSQL(dialect: .postgresql), """
        CREATE TYPE "loan_state" AS ENUM ('open', 'returned');
        CREATE TABLE "books" (
            "id" serial NOT NULL,
            "title" text NOT NULL,
            "price" numeric(8,2) DEFAULT 0,
            CONSTRAINT "books_pkey" PRIMARY KEY ("id"),
            CONSTRAINT "books_check" CHECK (price >= 0)
        );
        CREATE TABLE "loans" (
            "book_id" integer NOT NULL,
            "member" varchar(40) NOT NULL,
            "state" "loan_state" NOT NULL DEFAULT 'open',
            "due" date,
            CONSTRAINT "loans_pkey" PRIMARY KEY ("book_id", "member"),
            CONSTRAINT "loans_book_id_fkey" FOREIGN KEY ("book_id") REFERENCES "books" ("id") ON DELETE CASCADE
        );
        CREATE INDEX "idx_loans_due" ON "loans" ("due") WHERE due IS NOT NULL;

        """)
    }

    func testGoldenMySQL() {
        XCTAssertEqual(Self.library.toSQL(dialect: .mysql), """
        CREATE TABLE `books` (
            `id` INT NOT NULL AUTO_INCREMENT,
            `title` TEXT NOT NULL,
            `price` DECIMAL(8,2) DEFAULT 0,
            PRIMARY KEY (`id`),
            CONSTRAINT `books_check` CHECK (price >= 0)
        );
        CREATE TABLE `loans` (
            `book_id` INT NOT NULL,
            `member` VARCHAR(40) NOT NULL,
            `state` ENUM('open','returned') NOT NULL DEFAULT 'open',
            `due` DATE,
            PRIMARY KEY (`book_id`, `member`),
            CONSTRAINT `loans_book_id_fkey` FOREIGN KEY (`book_id`) REFERENCES `books` (`id`) ON DELETE CASCADE
        );
        CREATE INDEX `idx_loans_due` ON `loans` (`due`);

        """)
    }

    func testGoldenSQLite() {
        XCTAssertEqual(Self.library.toSQL(dialect: .sqlite), """
        CREATE TABLE "books" (
            "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            "title" TEXT NOT NULL,
            "price" DECIMAL(8,2) DEFAULT 0,
            CONSTRAINT "books_check" CHECK (price >= 0)
        );
        CREATE TABLE "loans" (
            "book_id" INTEGER NOT NULL,
            "member" VARCHAR(40) NOT NULL,
            "state" TEXT NOT NULL DEFAULT 'open' CHECK ("state" IN ('open', 'returned')),
            "due" DATE,
            CONSTRAINT "loans_pkey" PRIMARY KEY ("book_id", "member"),
            CONSTRAINT "loans_book_id_fkey" FOREIGN KEY ("book_id") REFERENCES "books" ("id") ON DELETE CASCADE
        );
        CREATE INDEX "idx_loans_due" ON "loans" ("due") WHERE due IS NOT NULL;

        """)
    }

    func testOutputIsTheSameBytesWhateverTheOrderTablesWereGivenIn() {
        var shuffled = Self.library
        shuffled.tables.reverse()
        for dialect in Dialect.allCases {
            XCTAssertEqual(Self.library.toSQL(dialect: dialect), shuffled.toSQL(dialect: dialect))
            XCTAssertEqual(Self.library.toSQL(dialect: dialect), Self.library.toSQL(dialect: dialect))
        }
    }

    func testAForeignKeyCycleIsClosedWithAlterTableExceptOnSQLite() {
        let schema = SchemaDefinition(tables: [
            TableDefinition(name: "a", columns: [ColumnDefinition(name: "id", type: "integer"), ColumnDefinition(name: "b_id", type: "integer")],
                            primaryKey: PrimaryKey(columns: ["id"]), foreignKeys: [ForeignKey(columns: ["b_id"], referencedTable: "b", referencedColumns: ["id"])]),
            TableDefinition(name: "b", columns: [ColumnDefinition(name: "id", type: "integer"), ColumnDefinition(name: "a_id", type: "integer")],
                            primaryKey: PrimaryKey(columns: ["id"]), foreignKeys: [ForeignKey(columns: ["a_id"], referencedTable: "a", referencedColumns: ["id"])]),
        ])
        let pg = DDLGenerator(dialect: .postgresql, schema: schema).statements()
        XCTAssertTrue(pg[0].hasPrefix("CREATE TABLE \"a\""))
        XCTAssertFalse(pg[0].contains("REFERENCES"), "a's key to b waits until b exists")
        XCTAssertTrue(pg[1].contains("REFERENCES \"a\""))
        XCTAssertEqual(pg[2], "ALTER TABLE \"a\" ADD CONSTRAINT \"a_b_id_fkey\" FOREIGN KEY (\"b_id\") REFERENCES \"b\" (\"id\")")
        let sqlite = DDLGenerator(dialect: .sqlite, schema: schema).statements()
        XCTAssertEqual(sqlite.count, 2)
        XCTAssertTrue(sqlite[0].contains("REFERENCES \"b\""))
    }

    func testIdentifiersAreQuotedSoHostileNamesStayNames() {
        let schema = SchemaDefinition(tables: [TableDefinition(name: "we\"ird`; DROP", columns: [ColumnDefinition(name: "order", type: "int")])])
        XCTAssertTrue(schema.toSQL(dialect: .postgresql).contains("CREATE TABLE \"we\"\"ird`; DROP\""))
        XCTAssertTrue(schema.toSQL(dialect: .mysql).contains("CREATE TABLE `we\"ird``; DROP`"))
    }
}
