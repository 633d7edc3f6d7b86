import DriverTestSupport
import MySQLDriver
import XCTest

final class ScriptTests: MySQLTestCase {
    func testScriptRunsEveryStatement() async throws {
        try await withScratchConnection { connection in
            try await connection.executeScript("""
                CREATE TABLE s (v INT);
                INSERT INTO s VALUES (1), (2);
                -- a comment with a ; inside
                INSERT INTO s VALUES (3); SELECT * FROM s;
                UPDATE s SET v = v * 10 WHERE CAST(v AS CHAR) = ';';
                """)
            let sum = try await connection.scalar("SELECT SUM(v) FROM s")
            XCTAssertEqual(sum, .decimal("6"))
        }
    }

    func testScriptStopsAtTheFirstErrorAndLeavesMultiStatementsOff() async throws {
        try await withScratchConnection { connection in
            let error = await assertThrows(.undefinedObject) {
                try await connection.executeScript("CREATE TABLE s (v INT); INSERT INTO missing VALUES (1); INSERT INTO s VALUES (1);")
            }
            XCTAssertEqual(error?.engineCode, "1146")
            let rows = try await connection.scalar("SELECT COUNT(*) FROM s")
            XCTAssertEqual(rows, .integer(0), "statements after the failing one did not run")
            await assertThrows(.syntaxError) { _ = try await connection.execute("SELECT 1; SELECT 2") }
        }
    }

    func testEmptyScriptDoesNothing() async throws {
        try await withScratchConnection { connection in
            try await connection.executeScript("  -- nothing\n ; ")
            let alive = await connection.isAlive()
            XCTAssertTrue(alive)
        }
    }

    func testProcedureWithSeveralResultsLeavesTheConnectionUsable() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE PROCEDURE two(IN n INT) BEGIN SELECT n AS first; SELECT n + 1 AS second; END")
            let text = try await connection.query("CALL two(1)")
            XCTAssertEqual(text.columns.map(\.name), ["first"])
            XCTAssertEqual(text.rows.first?[0], .integer(1))
            let prepared = try await connection.query("CALL two(?)", [5])
            XCTAssertEqual(prepared.rows.first?[0], .integer(5))
            _ = try await connection.execute("CALL two(?)", [7])
            _ = try await connection.execute("CALL two(7)")
            let after = try await connection.scalar("SELECT 'ok'")
            XCTAssertEqual(after, .text("ok"))
        }
    }
}
