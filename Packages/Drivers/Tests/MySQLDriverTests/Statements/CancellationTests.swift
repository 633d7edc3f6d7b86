import DriverTestSupport
import Foundation
import MySQLDriver
import XCTest

final class CancellationTests: MySQLTestCase {
    /// A join the server needs minutes for; KILL QUERY interrupts it with errno 1317.
    private let slowQuery = "SELECT COUNT(*) FROM seq_1_to_200000 a, seq_1_to_200000 b WHERE a.seq + b.seq = 3"

    @discardableResult
    private func expectCancelled<T: Sendable>(_ task: Task<T, any Error>, file: StaticString = #filePath, line: UInt = #line) async -> DatabaseError? {
        do {
            _ = try await task.value
            XCTFail("the statement should have been cancelled", file: file, line: line)
        } catch let error as DatabaseError {
            XCTAssertEqual(error.code, .cancelled, String(reflecting: error), file: file, line: line)
            XCTAssertEqual(error.engine, "mysql", file: file, line: line)
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    func testCancellingTheTaskKillsTheQueryAndTheConnectionStaysUsable() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let sql = slowQuery
        let task = Task { try await connection.scalar(sql) }
        try await Task.sleep(nanoseconds: 500_000_000)
        task.cancel()
        let error = await expectCancelled(task)
        XCTAssertEqual(error?.engineCode, "1317", "the server interrupted the statement")
        let after = try await connection.scalar("SELECT 41 + ?", [1])
        XCTAssertEqual(after, .integer(42))
        await connection.close()
    }

    func testCancelFromAnotherTaskStopsAPreparedStatement() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let sql = slowQuery + " AND a.seq > ?"
        let task = Task { try await connection.scalar(sql, [0]) }
        try await Task.sleep(nanoseconds: 500_000_000)
        let canceller = Task.detached { connection.cancel() }
        await canceller.value
        let error = await expectCancelled(task)
        XCTAssertEqual(error?.engineCode, "1317")
        let after = try await connection.scalar("SELECT 1")
        XCTAssertEqual(after, .integer(1))
        await connection.close()
    }

    func testCancelledSleepReportsCancelledPromptly() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let start = Date()
        let task = Task { try await connection.execute("DO SLEEP(30)") }
        try await Task.sleep(nanoseconds: 500_000_000)
        connection.cancel()
        await expectCancelled(task)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "KILL QUERY should end the sleep early")
        let alive = await connection.isAlive()
        XCTAssertTrue(alive)
        await connection.close()
    }

    func testCancellingWhileStreamingStopsTheCursor() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        for arguments: StatementArguments in [.none, [.integer(0)]] {
            let sql = arguments.isEmpty
                ? "SELECT a.seq, b.seq FROM seq_1_to_100000 a, seq_1_to_100000 b"
                : "SELECT a.seq, b.seq FROM seq_1_to_100000 a, seq_1_to_100000 b WHERE a.seq > ?"
            let started = Locked(false)
            let task = Task {
                try await connection.withCursor(sql, arguments) { cursor in
                    var n = 0
                    while try cursor.next() != nil {
                        n += 1
                        if n == 10_000 { started.set(true) }
                    }
                    return n
                }
            }
            while !started.get() { try await Task.sleep(nanoseconds: 10_000_000) }
            task.cancel()
            await expectCancelled(task)
            let after = try await connection.scalar("SELECT COUNT(*) FROM seq_1_to_10")
            XCTAssertEqual(after, .integer(10), "usable after cancelling \(arguments.isEmpty ? "text" : "prepared") streaming")
        }
        await connection.close()
    }

    func testAlreadyCancelledTaskDoesNotRunTheStatement() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (v INT)")
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await connection.execute("INSERT INTO t VALUES (1)")
            }
            await expectCancelled(task)
            let rows = try await connection.scalar("SELECT COUNT(*) FROM t")
            XCTAssertEqual(rows, .integer(0))
        }
    }

    func testCancelWithNothingRunningIsHarmless() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        connection.cancel()
        let value = try await connection.scalar("SELECT 7")
        XCTAssertEqual(value, .integer(7))
        await connection.close()
    }
}
