@testable import Migrations
import DatabaseDriver
import DriverTestSupport
import XCTest

final class StatementSplitterTests: XCTestCase {
    private func split(_ sql: String, _ dialect: Dialect) throws -> [String] {
        try StatementSplitter(dialect: dialect).split(sql).map(\.text)
    }

    func testSplitsOnSemicolonsAndDropsCommentOnlyStatements() throws {
        let sql = "CREATE TABLE a (id int);\n-- just a comment\n;\nINSERT INTO a VALUES (1);\n/* trailing */"
        XCTAssertEqual(try split(sql, .postgresql), ["CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)"])
    }

    func testSemicolonsInsideStringsIdentifiersAndCommentsDoNotSplit() throws {
        let sql = """
            INSERT INTO t VALUES ('a;b', 'it''s; fine'); -- c;d
            SELECT "we;ird" FROM t /* x; y */;
            """
        XCTAssertEqual(try split(sql, .postgresql), [
            "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
            "-- c;d\nSELECT \"we;ird\" FROM t /* x; y */",
        ])
    }

    func testPostgresDollarQuotedBodiesStayWhole() throws {
        let sql = """
            CREATE FUNCTION f() RETURNS trigger AS $body$
            BEGIN
              UPDATE t SET x = 1; RETURN NEW;
            END;
            $body$ LANGUAGE plpgsql;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT $1::int;
            """
        let statements = try split(sql, .postgresql)
        XCTAssertEqual(statements.count, 3)
        XCTAssertTrue(statements[0].hasSuffix("$body$ LANGUAGE plpgsql"))
        XCTAssertEqual(statements[1], "DO $$ BEGIN PERFORM 1; END $$")
        XCTAssertEqual(statements[2], "SELECT $1::int")
    }

    func testPostgresEscapeStringsAndNestedComments() throws {
        let sql = "SELECT E'a\\';b'; /* outer /* inner; */ still; */ SELECT 2;"
        XCTAssertEqual(try split(sql, .postgresql), ["SELECT E'a\\';b'", "/* outer /* inner; */ still; */ SELECT 2"])
    }

    func testMySQLDelimiterChangesAndBackslashEscapes() throws {
        let sql = """
            INSERT INTO t VALUES ('a\\';b');
            DELIMITER //
            CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//
            DELIMITER ;
            SELECT `a;b` FROM t; # hash; comment
            SELECT 3
            """
        XCTAssertEqual(try split(sql, .mysql), [
            "INSERT INTO t VALUES ('a\\';b')",
            "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END",
            "SELECT `a;b` FROM t",
            "# hash; comment\nSELECT 3",
        ])
    }

    func testMySQLDelimiterDirectlyAfterAWord() throws {
        let sql = "DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nCREATE TRIGGER t AFTER INSERT ON x FOR EACH ROW BEGIN SET @a = 1; END$$\nDELIMITER ;\nCALL p();"
        XCTAssertEqual(try split(sql, .mysql), [
            "CREATE PROCEDURE p() BEGIN SELECT 1; END",
            "CREATE TRIGGER t AFTER INSERT ON x FOR EACH ROW BEGIN SET @a = 1; END",
            "CALL p()",
        ])
    }

    func testMySQLDoubleDashNeedsASpaceToStartAComment() throws {
        XCTAssertEqual(try split("SELECT 5--1;SELECT 2;", .mysql), ["SELECT 5--1", "SELECT 2"])
    }

    func testSQLiteTriggerBodiesStayWhole() throws {
        let sql = """
            CREATE TRIGGER tr AFTER INSERT ON t BEGIN
              UPDATE t SET n = CASE WHEN n > 1 THEN 1 ELSE 0 END;
              INSERT INTO log VALUES (1);
            END;
            CREATE TABLE u (id);
            """
        let statements = try split(sql, .sqlite)
        XCTAssertEqual(statements.count, 2)
        XCTAssertTrue(statements[0].hasPrefix("CREATE TRIGGER") && statements[0].hasSuffix("END"))
        XCTAssertEqual(statements[1], "CREATE TABLE u (id)")
    }

    func testPostgresBeginAtomicBodiesStayWhole() throws {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3;"
        XCTAssertEqual(try split(sql, .postgresql).count, 2)
    }

    func testUnterminatedStringNamesItsLine() throws {
        XCTAssertThrowsError(try split("SELECT 1;\nSELECT 'oops;\n", .postgresql)) { error in
            guard let error = error as? MigrationError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .invalidMigration)
            XCTAssertTrue(error.message.contains("line 2"), error.message)
        }
        XCTAssertThrowsError(try split("DO $$ BEGIN", .postgresql))
        XCTAssertThrowsError(try split("/* never closed", .mysql))
    }

    func testStatementsReportTheirStartingLine() throws {
        let statements = try StatementSplitter(dialect: .sqlite).split("\n\nCREATE TABLE a(x);\n\n\nCREATE TABLE b(y);")
        XCTAssertEqual(statements.map(\.line), [3, 6])
    }

    func testEveryFixtureFileSplitsWithoutError() throws {
        let root = try TestDatabases.fixture("migrations")
        let sets: [(String, Dialect)] = [
            ("harbor-golang-migrate/postgresql", .postgresql), ("hawkbit-flyway/MYSQL", .mysql),
            ("hawkbit-flyway/POSTGRESQL", .postgresql), ("harness-gitness/postgres", .postgresql),
            ("harness-gitness/sqlite", .sqlite),
        ]
        for (dir, dialect) in sets {
            let url = root.appendingPathComponent(dir)
            let files = try FileManager.default.contentsOfDirectory(atPath: url.path)
            for file in files where file.hasSuffix(".sql") {
                let text = try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)
                XCTAssertNoThrow(try StatementSplitter(dialect: dialect).split(text), "\(dir)/\(file)")
            }
        }
    }
}
