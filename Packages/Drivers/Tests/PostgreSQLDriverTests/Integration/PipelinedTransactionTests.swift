import PostgreSQLDriver
import XCTest

/// `executeInTransaction`: a transaction sent as one libpq pipeline.
final class PipelinedTransactionTests: XCTestCase {
    func testExecuteInTransactionRunsEveryStatementWithBoundValuesAndCommits() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int, label text)")
            let results = try await connection.executeInTransaction([
                BatchStatement("INSERT INTO t VALUES (?, ?)", [.integer(1), .text("one; two")]),
                BatchStatement("INSERT INTO t VALUES ($1, $2), ($1 + 1, $2)", [.integer(2), .text("it's")]),
                BatchStatement("UPDATE t SET n = n * 10 WHERE n >= ?", [.integer(2)]),
            ])
            XCTAssertEqual(results.map(\.rowsAffected), [1, 2, 2])
            let open = await connection.inTransaction
            XCTAssertFalse(open, "the transaction is committed")
            let rows = try await connection.query("SELECT n, label FROM t ORDER BY n").rows.map(\.values)
            XCTAssertEqual(rows, [[.integer(1), .text("one; two")], [.integer(20), .text("it's")], [.integer(30), .text("it's")]])
        }
    }

    func testAFailingStatementRollsBackTheWholeTransactionAndNamesItself() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int PRIMARY KEY)")
            let error = await assertThrowsDatabaseError(.uniqueViolation) {
                _ = try await connection.executeInTransaction([
                    BatchStatement("CREATE TABLE u (n int)"),
                    BatchStatement("INSERT INTO t VALUES (?)", [.integer(1)]),
                    BatchStatement("INSERT INTO t VALUES (?)", [.integer(1)]),
                    BatchStatement("INSERT INTO t VALUES (?)", [.integer(3)]),
                ])
            }
            XCTAssertEqual(error?.sql, "INSERT INTO t VALUES (?)")
            let open = await connection.inTransaction
            XCTAssertFalse(open, "the failed transaction is rolled back")
            let count = try await connection.scalar("SELECT count(*) FROM t")
            XCTAssertEqual(count, .integer(0))
            let u = try await connection.scalar("SELECT to_regclass('u') IS NULL")
            XCTAssertEqual(u, .bool(true), "DDL before the failure is rolled back too")
            // The connection is out of pipeline mode and usable.
            _ = try await connection.executeInTransaction([BatchStatement("INSERT INTO t VALUES (?)", [.integer(7)])])
            let after = try await connection.scalar("SELECT n FROM t")
            XCTAssertEqual(after, .integer(7))
        }
    }

    func testCancellingTheTaskCancelsThePipelineAndRollsBack() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int)")
            let run = Task {
                try await connection.executeInTransaction([
                    BatchStatement("INSERT INTO t VALUES (?)", [.integer(1)]),
                    BatchStatement("SELECT pg_sleep(30)"),
                    BatchStatement("INSERT INTO t VALUES (?)", [.integer(2)]),
                ])
            }
            try await Task.sleep(nanoseconds: 300_000_000)
            run.cancel()
            let result = await run.result
            guard case .failure(let error) = result else { return XCTFail("expected cancellation") }
            XCTAssertEqual((error as? DatabaseError)?.code, .cancelled, "\(error)")
            let open = await connection.inTransaction
            XCTAssertFalse(open)
            let count = try await connection.scalar("SELECT count(*) FROM t")
            XCTAssertEqual(count, .integer(0))
        }
    }

    func testInsideAnOpenTransactionIsMisuse() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            try await connection.begin()
            await assertThrowsDatabaseError(.misuse) {
                _ = try await connection.executeInTransaction([BatchStatement("SELECT 1")])
            }
            try await connection.rollback()
        }
    }

    func testTypesCreatedInThePipelineAreDecodedAfterwards() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.scalar("SELECT 1")   // loads the type catalog
            _ = try await connection.executeInTransaction([
                BatchStatement("CREATE TYPE mood AS ENUM ('ok', 'sad')"),
                BatchStatement("CREATE TABLE m (v mood)"),
                BatchStatement("INSERT INTO m VALUES (?)", [.text("sad")]),
            ])
            let value = try await connection.scalar("SELECT v FROM m")
            XCTAssertEqual(value, .text("sad"))
        }
    }

    func testPerformRunsTheBodyOnTheConnection() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let total = try await connection.perform { isolatedConnection in
                _ = try await isolatedConnection.execute("CREATE TABLE t (n int)")
                for n in 1...3 { _ = try await isolatedConnection.execute("INSERT INTO t VALUES (?)", [.integer(Int64(n))]) }
                return try await isolatedConnection.scalar("SELECT sum(n) FROM t")
            }
            XCTAssertEqual(total, .integer(6))
        }
    }
}
