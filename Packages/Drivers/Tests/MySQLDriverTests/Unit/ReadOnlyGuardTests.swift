@testable import MySQLDriver
import XCTest

/// The keyword check a read-only connection makes before sending a statement (no server needed).
final class ReadOnlyGuardTests: XCTestCase {
    private func refused(_ sql: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ReadOnlyGuard.check(sql), sql, file: file, line: line) { error in
            XCTAssertEqual((error as? DatabaseError)?.code, .permissionDenied, file: file, line: line)
        }
    }

    func testReadingStatementsPass() throws {
        for sql in ["SELECT 1", "  select * from t", "-- c\nSHOW TABLES", "# c\nDESCRIBE t", "desc t", "/* x */ EXPLAIN SELECT 1",
                    "WITH a AS (SELECT 1) SELECT * FROM a", "((SELECT 1))", "VALUES (1)", "SELECT 'DELETE; DROP'",
                    "SELECT `into outfile` FROM t", "SELECT 1;", "SELECT \"a\\\"; DROP TABLE t; --\""] {
            XCTAssertNoThrow(try ReadOnlyGuard.check(sql), sql)
        }
    }

    func testWritingStatementsAreRefused() {
        for sql in ["INSERT INTO t VALUES (1)", "update t set a = 1", "DELETE FROM t", "REPLACE INTO t VALUES (1)",
                    "CREATE TABLE t (a INT)", "ALTER TABLE t ADD b INT", "DROP TABLE t", "TRUNCATE t", "RENAME TABLE a TO b",
                    "GRANT ALL ON *.* TO x", "SET autocommit = 0", "CALL p()", "DO 1", "LOAD DATA INFILE 'x' INTO TABLE t",
                    "LOCK TABLES t WRITE", "HANDLER t OPEN"] {
            refused(sql)
        }
    }

    func testCommentsAndExecutableCommentsCannotHideAWrite() {
        refused("/* SELECT */ DELETE FROM t")
        refused("-- SELECT\nDELETE FROM t")
        refused("/*!40101 DELETE FROM t */")
        refused("/*M!100100 DROP TABLE t */")
        refused("SELECT 1; DROP TABLE t")
        refused("SELECT 'a''; DROP TABLE t; --'; DELETE FROM t")
        refused("SELECT 'a\\'; DROP TABLE t'; DELETE FROM t")
        refused("SELECT * FROM t INTO OUTFILE '/tmp/x'")
        refused("SELECT * INTO DUMPFILE '/tmp/x' FROM t")
    }

    func testScannerSplitsStatementsOutsideLiteralsAndComments() {
        let statements = SQLScanner.statements(in: "SELECT ';'; -- ; comment\n INSERT /* ; */ INTO t VALUES (\"x;\") ; ; ")
        XCTAssertEqual(statements.map { $0.words.first }, ["SELECT", "INSERT"])
        XCTAssertTrue(SQLScanner.statements(in: " -- only a comment\n/* and this */ ;").isEmpty)
    }
}
