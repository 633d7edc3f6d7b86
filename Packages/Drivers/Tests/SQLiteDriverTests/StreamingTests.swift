import SQLiteDriver
import XCTest

final class StreamingTests: XCTestCase {
    func testStreamsTwoMillionGeneratedRowsOneAtATime() async throws {
        let connection = try await SQLiteTest.open()
        let sql = """
            WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 2000000)
            SELECT n, n * 0.5, 'row ' || n, CASE WHEN n % 10 = 0 THEN NULL ELSE x'00ff' END FROM c
            """
        let (count, sum, last) = try await connection.withCursor(sql, .none) { cursor -> (Int, Int64, Row?) in
            var count = 0
            var sum: Int64 = 0
            var last: Row?
            while let row = try cursor.next() {
                count += 1
                if case .integer(let n) = row[0] { sum += n }
                last = row
            }
            return (count, sum, last)
        }
        XCTAssertEqual(count, 2_000_000)
        XCTAssertEqual(sum, 2_000_000 * 2_000_001 / 2)
        XCTAssertEqual(last?.values, [.integer(2_000_000), .double(1_000_000), .text("row 2000000"), .null])
    }

    func testCursorReportsColumnsAndEndsWithNil() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (id INTEGER, name VARCHAR(10))")
        _ = try await connection.execute("INSERT INTO t VALUES (1, 'a')")
        let (columns, first, second, third) = try await connection.withCursor("SELECT id, name, id + 1 AS next FROM t", .none) { cursor in
            (cursor.columns, try cursor.next(), try cursor.next(), try cursor.next())
        }
        XCTAssertEqual(columns, [
            Column(name: "id", nativeType: "INTEGER", type: .integer),
            Column(name: "name", nativeType: "VARCHAR(10)", type: .text),
            Column(name: "next", nativeType: "", type: .unknown),
        ])
        XCTAssertEqual(first?.values, [.integer(1), .text("a"), .integer(2)])
        XCTAssertNil(second)
        XCTAssertNil(third)
    }

    func testACursorUsedAfterItsBodyReturnedThrowsMisuse() async throws {
        final class Escaped: @unchecked Sendable {  // test-only smuggling of the cursor; single-threaded use
            var cursor: (any RowCursor)?
        }
        let escaped = Escaped()
        let connection = try await SQLiteTest.open()
        try await connection.withCursor("SELECT 1 UNION ALL SELECT 2", .none) { cursor in
            escaped.cursor = cursor
        }
        XCTAssertThrowsError(try escaped.cursor?.next()) { error in
            XCTAssertEqual((error as? DatabaseError)?.code, .misuse)
        }
    }

    func testAFailedCursorKeepsFailingInsteadOfRestartingTheQuery() async throws {
        let connection = try await SQLiteTest.open()
        // abs(Int64.min) overflows on the third row.
        let sql = "SELECT abs(v) FROM (SELECT 1 AS v UNION ALL SELECT 2 UNION ALL SELECT -9223372036854775808 UNION ALL SELECT 4)"
        let outcomes = try await connection.withCursor(sql, .none) { cursor -> [String] in
            var outcomes = [String]()
            for _ in 0..<5 {
                do {
                    outcomes.append(try cursor.next().map { String(reflecting: $0[0]) } ?? "end")
                } catch let error as DatabaseError {
                    outcomes.append("error \(error.code)")
                }
            }
            return outcomes
        }
        XCTAssertEqual(outcomes, ["integer(1)", "integer(2)", "error other", "error other", "error other"])
    }

    func testErrorsFromTheBodyPropagateAndTheConnectionStaysUsable() async throws {
        struct Stop: Error {}
        let connection = try await SQLiteTest.open()
        do {
            _ = try await connection.withCursor("SELECT 1", .none) { _ in throw Stop() }
            XCTFail("expected the body's error")
        } catch is Stop {}
        let actual1 = try await connection.scalar("SELECT 2")
        XCTAssertEqual(actual1, .integer(2))
    }
}
