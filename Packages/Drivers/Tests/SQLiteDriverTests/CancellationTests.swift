import Foundation
import SQLiteDriver
import XCTest

final class CancellationTests: XCTestCase {
    /// A single step that takes minutes: counting a billion rows of a recursive CTE.
    private let longQuery = """
        WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000)
        SELECT count(*) FROM c
        """

    func testCancellingTheCallingTaskInterruptsTheQueryAndTheConnectionStaysUsable() async throws {
        let connection = try await SQLiteTest.open()
        let longQuery = longQuery
        let task = Task { try await connection.scalar(longQuery) }
        try await Task.sleep(nanoseconds: 300_000_000)
        let started = Date()
        task.cancel()
        let error = await assertThrowsDatabaseError(.cancelled) { _ = try await task.value }
        XCTAssertEqual(error?.engineCode, "9", "SQLITE_INTERRUPT")
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "the query stopped instead of running to its end")
        let actual1 = try await connection.scalar("SELECT 40 + 2")
        XCTAssertEqual(actual1, .integer(42))
        let alive = await connection.isAlive()
        XCTAssertTrue(alive)
    }

    func testCancelFromAnotherTaskInterruptsTheRunningQuery() async throws {
        let connection = try await SQLiteTest.open()
        let longQuery = longQuery
        let task = Task { try await connection.scalar(longQuery) }
        let canceller = Task {
            // cancel() only reaches a statement that is running; repeat until the query has stopped.
            while !Task.isCancelled {
                try await Task.sleep(nanoseconds: 100_000_000)
                connection.cancel()
            }
        }
        await assertThrowsDatabaseError(.cancelled) { _ = try await task.value }
        canceller.cancel()
        _ = await canceller.result  // no cancel() may arrive during the next statement
        let actual2 = try await connection.scalar("SELECT 1")
        XCTAssertEqual(actual2, .integer(1))
    }

    func testCancellingWhileStreamingStopsTheCursor() async throws {
        let connection = try await SQLiteTest.open()
        let task = Task {
            try await connection.withCursor("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n FROM c", .none) { cursor in
                var count = 0
                while try cursor.next() != nil { count += 1 }
                return count
            }
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        await assertThrowsDatabaseError(.cancelled) { _ = try await task.value }
        let actual3 = try await connection.scalar("SELECT 'still usable'")
        XCTAssertEqual(actual3, .text("still usable"))
    }

    func testCancellationInsideATransactionLeavesTheConnectionUsable() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (x)")
        try await connection.begin()
        _ = try await connection.execute("INSERT INTO t VALUES (1)")
        let longQuery = longQuery
        let task = Task { try await connection.scalar(longQuery) }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        await assertThrowsDatabaseError(.cancelled) { _ = try await task.value }
        // An interrupted read does not end the transaction; it can still be committed.
        try await connection.commit()
        let actual4 = try await connection.scalar("SELECT count(*) FROM t")
        XCTAssertEqual(actual4, .integer(1))
    }

    func testAlreadyCancelledTaskDoesNotRunTheStatement() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (x)")
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await connection.execute("INSERT INTO t VALUES (1)")
        }
        await assertThrowsDatabaseError(.cancelled) { _ = try await task.value }
        let actual5 = try await connection.scalar("SELECT count(*) FROM t")
        XCTAssertEqual(actual5, .integer(0))
    }
}
