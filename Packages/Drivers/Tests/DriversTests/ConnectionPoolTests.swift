import DriverTestSupport
import Drivers
import XCTest

final class ConnectionPoolTests: XCTestCase {
    private func pool(min: Int = 0, max: Int, acquireTimeout: Double = 5, idleTimeout: Double = 300) -> ConnectionPool {
        var configuration = ConnectionConfiguration(dialect: .sqlite,
            database: TestDatabases.temporaryDirectory().appendingPathComponent("pool.db").path)
        configuration.pool = PoolConfiguration(minConnections: min, maxConnections: max, acquireTimeout: acquireTimeout, idleTimeout: idleTimeout)
        return ConnectionPool(configuration: configuration, driver: Database.driver(for: .sqlite))
    }

    func testAcquireBeyondMaxWaitsThenTimesOutWithPoolTimeout() async throws {
        let pool = pool(max: 2, acquireTimeout: 0.3)
        let a = try await pool.acquire()
        let b = try await pool.acquire()
        let started = ContinuousClock.now
        do {
            _ = try await pool.acquire()
            XCTFail("a third acquire beyond max_connections 2 must not succeed")
        } catch let error as DatabaseError {
            XCTAssertEqual(error.code, .poolTimeout)
            XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(250))
        }
        await pool.release(a)
        await pool.release(b)
        let open = await pool.openConnections
        XCTAssertEqual(open, 2)
        await pool.close()
    }

    func testReleaseHandsTheConnectionToTheWaiter() async throws {
        let pool = pool(max: 1)
        let first = try await pool.acquire()
        let waiter = Task { try await pool.acquire() }
        try await Task.sleep(for: .milliseconds(100))
        let waiting = await pool.waitingCallers
        XCTAssertEqual(waiting, 1)
        await pool.release(first)
        let second = try await waiter.value
        XCTAssertTrue(second === first, "the waiter gets the released connection, no new one is opened")
        await pool.release(second)
        await pool.close()
    }

    func testConcurrentUseNeverExceedsMaxConnections() async throws {
        let pool = pool(max: 3)
        let connection = try await Database.connect(pool.configuration)
        _ = try await connection.execute("CREATE TABLE hits (n INTEGER)")
        await connection.close()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    try await pool.withConnection { c in
                        _ = try await c.execute("INSERT INTO hits (n) VALUES (?)", [.integer(Int64(i))])
                    }
                    let open = await pool.openConnections
                    XCTAssertLessThanOrEqual(open, 3)
                }
            }
            try await group.waitForAll()
        }
        let count = try await pool.withConnection { try await $0.scalar("SELECT count(*) FROM hits") }
        XCTAssertEqual(count, .integer(40))
        let open = await pool.openConnections
        XCTAssertLessThanOrEqual(open, 3)
        await pool.close()
    }

    func testIdleConnectionsCloseAfterIdleTimeoutDownToMin() async throws {
        let pool = pool(min: 1, max: 4, idleTimeout: 0.2)
        let connections = try await [pool.acquire(), pool.acquire(), pool.acquire()]
        for c in connections { await pool.release(c) }
        var idle = await pool.idleConnections
        XCTAssertEqual(idle, 3)
        try await Task.sleep(for: .milliseconds(700))
        idle = await pool.idleConnections
        XCTAssertEqual(idle, 1, "idle connections above min_connections close after idle_timeout")
        await pool.close()
    }

    func testWarmUpOpensMinConnections() async throws {
        let pool = pool(min: 2, max: 4)
        try await pool.warmUp()
        let idle = await pool.idleConnections
        XCTAssertEqual(idle, 2)
        await pool.close()
    }

    func testAConnectionLostIsDiscardedAndReplaced() async throws {
        let pool = pool(max: 1)
        let first = try await pool.acquire()
        await pool.release(first)
        do {
            try await pool.withConnection { _ in throw DatabaseError(.connectionLost, "server closed the connection") }
            XCTFail("the error must propagate")
        } catch DatabaseError.connectionLost {}
        let open = await pool.openConnections
        XCTAssertEqual(open, 0, "the lost connection is not returned to the pool")
        let replacement = try await pool.acquire()
        XCTAssertFalse(replacement === first)
        let alive = await replacement.isAlive()
        XCTAssertTrue(alive)
        await pool.release(replacement)
        await pool.close()
    }

    func testReleaseRollsBackALeakedTransaction() async throws {
        let pool = pool(max: 1)
        try await pool.withConnection { c in
            _ = try await c.execute("CREATE TABLE t (n INTEGER)")
            try await c.begin()
            _ = try await c.execute("INSERT INTO t VALUES (1)")
        }
        let count = try await pool.withConnection { c -> DatabaseValue? in
            let open = await c.inTransaction
            XCTAssertFalse(open)
            return try await c.scalar("SELECT count(*) FROM t")
        }
        XCTAssertEqual(count, .integer(0))
        await pool.close()
    }

    func testClosedPoolRefusesAcquire() async throws {
        let pool = pool(max: 1)
        await pool.close()
        do {
            _ = try await pool.acquire()
            XCTFail("acquire after close must fail")
        } catch DatabaseError.Code.misuse {}
    }
}
