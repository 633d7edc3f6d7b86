import DriverTestSupport
import MySQLDriver
import XCTest

final class ParameterTests: MySQLTestCase {
    func testPositionalQuestionMarks() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE p (id INT AUTO_INCREMENT PRIMARY KEY, a INT, b VARCHAR(20))")
            let inserted = try await connection.execute("INSERT INTO p (a, b) VALUES (?, ?), (?, ?)", [1, "one", 2, "two"])
            XCTAssertEqual(inserted.rowsAffected, 2)
            XCTAssertEqual(inserted.lastInsertID, 1, "MariaDB reports the first id of a multi-row insert")
            let b = try await connection.scalar("SELECT b FROM p WHERE a = ? AND b <> ?", [2, "x"])
            XCTAssertEqual(b, .text("two"))
        }
    }

    func testDollarNumberedPlaceholdersMayRepeatAndReorder() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let row = try await connection.query("SELECT $2, $1, $2 + 1", [10, 20]).rows[0]
        XCTAssertEqual(row.values, [.integer(20), .integer(10), .integer(21)])
        await connection.close()
    }

    func testNamedPlaceholders() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let row = try await connection.query("SELECT :name, CONCAT(:name, :suffix)", ["name": "dbm", "suffix": "!"]).rows[0]
        XCTAssertEqual(row.values, [.text("dbm"), .text("dbm!")])
        await assertThrows(.parameterMismatch) { _ = try await connection.query("SELECT :missing", ["other": 1]) }
        await assertThrows(.parameterMismatch) { _ = try await connection.query("SELECT ?, ?", [1]) }
        await connection.close()
    }

    func testHostileStringIsStoredVerbatimAndNeverExecuted() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE victims (name TEXT)")
            _ = try await connection.execute("INSERT INTO victims VALUES ('keep me')")
            let hostile = "x'); DROP TABLE victims; -- \\' \" ` ? :name $1 \u{0}"
            _ = try await connection.execute("INSERT INTO victims VALUES (?)", [.text(hostile)])
            let stored = try await connection.scalar("SELECT name FROM victims WHERE name <> 'keep me'")
            XCTAssertEqual(stored, .text(hostile))
            let count = try await connection.scalar("SELECT COUNT(*) FROM victims")
            XCTAssertEqual(count, .integer(2))
            let named = try await connection.scalar("SELECT COUNT(*) FROM victims WHERE name = :v", ["v": .text(hostile)])
            XCTAssertEqual(named, .integer(1))
        }
    }

    func testQuestionMarkInsideLiteralsIsNotAPlaceholder() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let row = try await connection.query("SELECT '?', `x?` FROM (SELECT ? AS `x?`) t", ["bound"]).rows[0]
        XCTAssertEqual(row.values, [.text("?"), .text("bound")])
        await connection.close()
    }

    func testUpdateReportsRowsAffected() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE u (id INT PRIMARY KEY, v INT)")
            _ = try await connection.execute("INSERT INTO u VALUES (1, 0), (2, 0), (3, 5)")
            let updated = try await connection.execute("UPDATE u SET v = ? WHERE v = ?", [7, 0])
            XCTAssertEqual(updated.rowsAffected, 2)
            XCTAssertNil(updated.lastInsertID)
            let text = try await connection.execute("DELETE FROM u WHERE id > 1")
            XCTAssertEqual(text.rowsAffected, 2)
        }
    }
}
