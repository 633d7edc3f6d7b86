import PostgreSQLDriver
import XCTest

final class StreamingTests: XCTestCase {
    func testStreamsTwoMillionRowsOneAtATime() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let (count, sum, columns) = try await connection.withCursor(
                "SELECT g, 'row ' || g, g % 3 = 0 FROM generate_series(1, 2000000) g", .none
            ) { cursor in
                var count = 0
                var sum: Int64 = 0
                while let row = try cursor.next() {
                    count += 1
                    if case .integer(let n) = row[0] { sum += n }
                }
                return (count, sum, cursor.columns)
            }
            XCTAssertEqual(count, 2_000_000)
            XCTAssertEqual(sum, 2_000_000 * 2_000_001 / 2)
            XCTAssertEqual(columns.map(\.type), [.integer, .text, .bool])
        }
    }

    func testRowsShareOneColumnsArray() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let result = try await connection.query("SELECT g AS n FROM generate_series(1, 3) g")
            XCTAssertEqual(result.rows.count, 3)
            XCTAssertEqual(result.columns, [Column(name: "n", nativeType: "int4", type: .integer)])
            for row in result.rows { XCTAssertEqual(row.columns, result.columns) }
            XCTAssertEqual(result.rows[2]["n"], .integer(3))
            XCTAssertNil(result.rows[2]["missing"])
        }
    }

    func testStoppingEarlyLeavesTheConnectionReady() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            // A short remainder is drained; a huge one is cancelled on the server instead of read: the
            // sequence shows how many rows the server produced before it stopped.
            let first = try await connection.scalar("SELECT g FROM generate_series(1, 5) g")
            XCTAssertEqual(first, .integer(1))
            _ = try await connection.execute("CREATE SEQUENCE produced")
            let ten = try await connection.withCursor(
                "SELECT nextval('produced') FROM (SELECT generate_series(1, 200000000)) s", .none
            ) { cursor in
                var rows = [Row]()
                while rows.count < 10, let row = try cursor.next() { rows.append(row) }
                return rows.count
            }
            XCTAssertEqual(ten, 10)
            guard case .integer(let produced) = try await connection.scalar("SELECT last_value FROM produced") else {
                return XCTFail("no sequence value")
            }
            XCTAssertLessThan(produced, 100_000_000, "the rest of the result was read instead of cancelled")
            let after = try await connection.scalar("SELECT 'ready'")
            XCTAssertEqual(after, .text("ready"))
        }
    }

    func testAnErrorMidStreamIsThrownFromNext() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            var seen = 0
            let error = await assertThrowsDatabaseError(.invalidValue) {
                seen = try await connection.withCursor("SELECT 10 / (5 - g) FROM generate_series(1, 10) g", .none) { cursor in
                    var count = 0
                    while try cursor.next() != nil { count += 1 }
                    return count
                }
            }
            XCTAssertEqual(error?.engineCode, "22012")
            XCTAssertEqual(seen, 0)
            let after = try await connection.scalar("SELECT 1")
            XCTAssertEqual(after, .integer(1))
        }
    }

    func testStatementsWithoutRowsGiveAnEmptyCursor() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int)")
            let (columns, row) = try await connection.withCursor("INSERT INTO t VALUES (1)", .none) { cursor in
                (cursor.columns, try cursor.next())
            }
            XCTAssertEqual(columns, [])
            XCTAssertNil(row)
            let returning = try await connection.query("INSERT INTO t VALUES (2), (3) RETURNING n")
            XCTAssertEqual(returning.rows.map { $0[0] }, [.integer(2), .integer(3)])
            let empty = try await connection.query("SELECT n FROM t WHERE false")
            XCTAssertEqual(empty.columns.map(\.name), ["n"])
            XCTAssertTrue(empty.rows.isEmpty)
        }
    }

    func testScriptsRunSeveralStatementsAndStopAtTheFirstError() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            try await connection.executeScript("""
                CREATE TABLE a (n int);
                INSERT INTO a VALUES (1), (2);
                SELECT * FROM a;
                COPY a TO STDOUT;
                """)
            let rows = try await connection.scalar("SELECT count(*) FROM a")
            XCTAssertEqual(rows, .integer(2))
            await assertThrowsDatabaseError(.syntaxError) {
                try await connection.executeScript("INSERT INTO a VALUES (3); SELEC oops; INSERT INTO a VALUES (4);")
            }
            await assertThrowsDatabaseError(.misuse) { try await connection.executeScript("COPY a FROM STDIN") }
            let after = try await connection.scalar("SELECT count(*) FROM a")
            XCTAssertEqual(after, .integer(2), "a script is one implicit transaction: the error undid the first insert")
        }
    }
}
