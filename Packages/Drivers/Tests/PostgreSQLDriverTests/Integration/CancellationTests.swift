import PostgreSQLDriver
import XCTest

final class CancellationTests: XCTestCase {
    func testCancelFromAnotherTaskStopsALongQueryAndTheConnectionStaysUsable() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let canceller = Task {
                try await Task.sleep(for: .milliseconds(300))
                connection.cancel()
            }
            let error = await assertThrowsDatabaseError(.cancelled) {
                _ = try await connection.execute("SELECT pg_sleep(30)")
            }
            XCTAssertEqual(error?.engineCode, "57014")
            try await canceller.value
            let alive = await connection.isAlive()
            XCTAssertTrue(alive)
            let after = try await connection.scalar("SELECT 40 + 2")
            XCTAssertEqual(after, .integer(42))
        }
    }

    func testCancellingTheCallingTaskCancelsTheStatement() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let query = Task {
                try await connection.query("SELECT pg_sleep(30)")
            }
            try await Task.sleep(for: .milliseconds(300))
            query.cancel()
            do {
                _ = try await query.value
                XCTFail("the query should have been cancelled")
            } catch let error as DatabaseError {
                XCTAssertEqual(error.code, .cancelled)
            }
            let after = try await connection.scalar("SELECT 'still usable'")
            XCTAssertEqual(after, .text("still usable"))
        }
    }

    func testCancellingTheTaskStopsAStreamMidway() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let stream = Task {
                try await connection.withCursor("SELECT generate_series(1, 50000000)", .none) { cursor in
                    var count = 0
                    while try cursor.next() != nil {
                        count += 1
                        if count == 100_000 { withUnsafeCurrentTask { $0?.cancel() } }
                    }
                    return count
                }
            }
            do {
                let count = try await stream.value
                XCTFail("the stream should have been cancelled, read \(count) rows")
            } catch let error as DatabaseError {
                XCTAssertEqual(error.code, .cancelled)
            }
            let inTransaction = await connection.inTransaction
            XCTAssertFalse(inTransaction)
            let after = try await connection.scalar("SELECT count(*) FROM generate_series(1, 10)")
            XCTAssertEqual(after, .integer(10))
        }
    }

    func testAnAlreadyCancelledTaskDoesNotRunTheStatement() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int)")
            let insert = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await connection.execute("INSERT INTO t VALUES (1)")
            }
            do {
                _ = try await insert.value
                XCTFail("the insert should not have run")
            } catch let error as DatabaseError {
                XCTAssertEqual(error.code, .cancelled)
            }
            let rows = try await connection.scalar("SELECT count(*) FROM t")
            XCTAssertEqual(rows, .integer(0))
        }
    }
}
