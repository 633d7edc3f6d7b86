import DriverTestSupport
import MySQLDriver
import XCTest

final class StreamingTests: MySQLTestCase {
    private let rowCount = 2_000_000

    func testStreamsTwoMillionRowsThroughTheTextProtocol() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let (count, sum, last) = try await connection.withCursor(
            "SELECT seq, CONCAT('row ', seq), seq / 4 FROM seq_1_to_\(rowCount)", .none
        ) { cursor in
            XCTAssertEqual(cursor.columns.map(\.type), [.integer, .text, .decimal])
            var count = 0
            var sum: Int64 = 0
            var last: Row?
            while let row = try cursor.next() {
                count += 1
                if case .integer(let v) = row[0] { sum += v }
                last = row
            }
            return (count, sum, last)
        }
        XCTAssertEqual(count, rowCount)
        XCTAssertEqual(sum, Int64(rowCount) * Int64(rowCount + 1) / 2)
        XCTAssertEqual(last?.values, [.integer(Int64(rowCount)), .text("row \(rowCount)"), .decimal("500000.0000")])
        await connection.close()
    }

    func testStreamsTwoMillionRowsThroughAPreparedStatement() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let count = try await connection.withCursor(
            "SELECT seq, CONCAT(?, seq) FROM seq_1_to_\(rowCount) WHERE seq > ?", ["r", 0]
        ) { cursor in
            var count = 0
            while let row = try cursor.next() {
                count += 1
                if count == 1_234_567 { XCTAssertEqual(row.values, [.integer(1_234_567), .text("r1234567")]) }
            }
            return count
        }
        XCTAssertEqual(count, rowCount)
        await connection.close()
    }

    func testEarlyExitLeavesTheConnectionUsable() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        for arguments: StatementArguments in [.none, [.integer(0)]] {
            let sql = arguments.isEmpty ? "SELECT seq FROM seq_1_to_\(rowCount)" : "SELECT seq FROM seq_1_to_\(rowCount) WHERE seq > ?"
            let first = try await connection.withCursor(sql, arguments) { cursor in try cursor.next()?[0] }
            XCTAssertEqual(first, .integer(1))
            let next = try await connection.scalar("SELECT 'still here'")
            XCTAssertEqual(next, .text("still here"))
        }
        await connection.close()
    }

    func testErrorThrownByTheBodyPropagatesAndTheConnectionStaysUsable() async throws {
        struct Stop: Error {}
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        for arguments: StatementArguments in [.none, [.integer(0)]] {
            let sql = arguments.isEmpty ? "SELECT seq FROM seq_1_to_100000" : "SELECT seq FROM seq_1_to_100000 WHERE seq > ?"
            do {
                _ = try await connection.withCursor(sql, arguments) { cursor -> Int in
                    _ = try cursor.next()
                    throw Stop()
                }
                XCTFail("the body's error should propagate")
            } catch is Stop {}
            let after = try await connection.scalar("SELECT 2")
            XCTAssertEqual(after, .integer(2))
        }
        await connection.close()
    }

    func testServerErrorInTheMiddleOfTheRowsIsRaised() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let sql = "SELECT seq, IF(seq = 5000, (SELECT 1 UNION SELECT 2), seq) FROM seq_1_to_10000"
        for arguments: StatementArguments in [.none, [.integer(0)]] {
            let query = arguments.isEmpty ? sql : sql + " WHERE seq > ?"
            let seen = Locked(0)
            let error = await assertThrows(.other) {
                _ = try await connection.withCursor(query, arguments) { cursor in
                    while try cursor.next() != nil { seen.set(seen.get() + 1) }
                }
            }
            XCTAssertEqual(error?.engineCode, "1242", "subquery returns more than 1 row")
            XCTAssertGreaterThan(seen.get(), 0, "rows before the failing one were streamed")
            let after = try await connection.scalar("SELECT 3")
            XCTAssertEqual(after, .integer(3))
        }
        await connection.close()
    }

    func testRowsShareOneColumnsArrayAndValuesStayIndependent() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let rows = try await connection.query("SELECT seq AS n FROM seq_1_to_3").rows
        XCTAssertEqual(rows.map(\.values), [[.integer(1)], [.integer(2)], [.integer(3)]])
        XCTAssertEqual(rows[2]["n"], .integer(3))
        XCTAssertNil(rows[0]["missing"])
        await connection.close()
    }

    func testStatementWithoutResultGivesAnEmptyCursor() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE e (v INT)")
            for arguments: StatementArguments in [.none, [.integer(5)]] {
                let sql = arguments.isEmpty ? "INSERT INTO e VALUES (1)" : "INSERT INTO e VALUES (?)"
                let result = try await connection.query(sql, arguments)
                XCTAssertTrue(result.columns.isEmpty)
                XCTAssertTrue(result.rows.isEmpty)
            }
            let sum = try await connection.scalar("SELECT SUM(v) FROM e")
            XCTAssertEqual(sum, .decimal("6"))
        }
    }
}
