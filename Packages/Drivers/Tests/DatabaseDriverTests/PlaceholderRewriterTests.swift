import XCTest
@testable import DatabaseDriver

final class PlaceholderRewriterTests: XCTestCase {
    let pg = PlaceholderRewriter(dialect: .postgresql)
    let my = PlaceholderRewriter(dialect: .mysql)

    func testQuestionMarksBecomeDollarNumbersForPostgres() throws {
        let out = try pg.rewrite("SELECT * FROM t WHERE a = ? AND b = ?", [1, "x"])
        XCTAssertEqual(out.sql, "SELECT * FROM t WHERE a = $1 AND b = $2")
        XCTAssertEqual(out.values, [.integer(1), .text("x")])
    }

    func testNamedPlaceholdersInOrderWithRepeats() throws {
        let out = try my.rewrite("UPDATE t SET a = :v WHERE id = :id OR parent = :id", ["v": 3, "id": 9])
        XCTAssertEqual(out.sql, "UPDATE t SET a = ? WHERE id = ? OR parent = ?")
        XCTAssertEqual(out.values, [.integer(3), .integer(9), .integer(9)])
        let pgOut = try pg.rewrite("SELECT :a::text, :a", ["a": "z"])
        XCTAssertEqual(pgOut.sql, "SELECT $1::text, $2")
    }

    func testDollarNumbersAreReorderedForMySQL() throws {
        let out = try my.rewrite("SELECT $2, $1, $2", ["a", "b"])
        XCTAssertEqual(out.sql, "SELECT ?, ?, ?")
        XCTAssertEqual(out.values, [.text("b"), .text("a"), .text("b")])
        XCTAssertEqual(try pg.rewrite("SELECT $2, $1", ["a", "b"]).sql, "SELECT $2, $1")
    }

    func testLiteralsCommentsAndIdentifiersAreNotPlaceholders() throws {
        let sql = #"SELECT '?', ':x', "a?b", `c:d`, $tag$ ? :y $tag$, E'\' ?' -- ? :z"# + "\n/* ? /* :n */ */ FROM t WHERE v = ?"
        let out = try my.rewrite(sql, [1])
        XCTAssertEqual(out.values, [.integer(1)])
        XCTAssertTrue(out.sql.hasSuffix("WHERE v = ?"))
        XCTAssertTrue(out.sql.hasPrefix(#"SELECT '?', ':x', "a?b", `c:d`, $tag$ ? :y $tag$"#))
    }

    func testNoArgumentsLeavesTextAlone() throws {
        let sql = "SELECT '{\"a\":1}'::jsonb ? 'a'"
        XCTAssertEqual(try pg.rewrite(sql, .none).sql, sql)
    }

    func testMismatchesAreClearErrors() {
        XCTAssertThrowsError(try pg.rewrite("SELECT ?, ?", [1])) { XCTAssertEqual(($0 as? DatabaseError)?.code, .parameterMismatch) }
        XCTAssertThrowsError(try pg.rewrite("SELECT ?", [1, 2])) { XCTAssertEqual(($0 as? DatabaseError)?.code, .parameterMismatch) }
        XCTAssertThrowsError(try pg.rewrite("SELECT :a", ["b": 1])) { XCTAssertTrue("\($0)".contains(":a")) }
        XCTAssertThrowsError(try pg.rewrite("SELECT :a", [1]))
        XCTAssertThrowsError(try my.rewrite("SELECT $3", [1]))
    }

    func testHostileValuesStayOutOfTheSQLText() throws {
        let hostile: DatabaseValue = .text("'; DROP TABLE users; --")
        let out = try pg.rewrite("SELECT * FROM users WHERE name = :n", ["n": hostile])
        XCTAssertFalse(out.sql.contains("DROP"))
        XCTAssertEqual(out.values, [hostile])
    }

    func testIdentifierQuotingPerDialect() throws {
        XCTAssertEqual(Dialect.postgresql.quote(#"we"ird"#), #""we""ird""#)
        XCTAssertEqual(Dialect.mysql.quote("a`b"), "`a``b`")
        XCTAssertEqual(Dialect.sqlite.quote(qualified: ["main", "t"]), #""main"."t""#)
        XCTAssertThrowsError(try Dialect.postgresql.validateIdentifier("a\u{0}b"))
        XCTAssertThrowsError(try Dialect.postgresql.validateIdentifier(String(repeating: "x", count: 64)))
        XCTAssertNoThrow(try Dialect.postgresql.validateIdentifier("ünïcødé; DROP"))
    }
}

final class MySQLBackslashEscapeTests: XCTestCase {
    func testBackslashEscapedQuoteInsideAMySQLStringIsNotAPlaceholder() throws {
        let out = try PlaceholderRewriter(dialect: .mysql).rewrite(#"SELECT 'it\'s ? :x', "a\"?" , ?"#, [1])
        XCTAssertEqual(out.values, [.integer(1)])
        XCTAssertEqual(out.sql, #"SELECT 'it\'s ? :x', "a\"?" , ?"#)
    }
}
