import DatabaseDriver

/// A pool of connections to one database, bounded by `PoolConfiguration`.
///
/// `acquire()` hands out an idle connection or opens a new one below `maxConnections`; above it, callers
/// wait in order until one is released or `acquireTimeout` passes (`DatabaseError.poolTimeout`).
/// Connections idle longer than `idleTimeout` are closed down to `minConnections`. A connection that
/// reported `.connectionLost`, or that no longer answers, is discarded and replaced on the next acquire.
///
/// Safe under strict concurrency: all state lives in this actor; connections are themselves actors.
public actor ConnectionPool {
    public nonisolated let configuration: ConnectionConfiguration
    private let driver: any DatabaseDriver
    private let clock = ContinuousClock()

    private struct IdleConnection {
        var connection: any DatabaseConnection
        var since: ContinuousClock.Instant
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<any DatabaseConnection, any Error>
    }

    private var idle: [IdleConnection] = []
    /// Connections handed out or being opened.
    private var leased = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var closed = false
    private var reaper: Task<Void, Never>?

    /// Creates a pool; connections open lazily (and `minConnections` of them on `warmUp()`).
    public init(configuration: ConnectionConfiguration, driver: any DatabaseDriver) {
        self.configuration = configuration
        self.driver = driver
    }

    /// Connections open now, idle and leased.
    public var openConnections: Int { idle.count + leased }
    /// Connections idle in the pool now.
    public var idleConnections: Int { idle.count }
    /// Callers waiting for a connection now.
    public var waitingCallers: Int { waiters.count }

    /// Opens connections up to `minConnections`.
    public func warmUp() async throws {
        while openConnections < configuration.pool.minConnections {
            leased += 1
            do {
                let connection = try await driver.connect(configuration)
                leased -= 1
                idle.append(IdleConnection(connection: connection, since: clock.now))
            } catch {
                leased -= 1
                throw error
            }
        }
        startReaper()
    }

    /// Hands out a connection; give it back with `release(_:)` (or use `withConnection`).
    public func acquire() async throws -> any DatabaseConnection {
        guard !closed else { throw DatabaseError(.misuse, "the connection pool is closed") }
        startReaper()
        while let candidate = idle.popLast() {
            leased += 1
            // A connection idle for a while may have been dropped by the server: check before handing it out.
            if clock.now - candidate.since > .seconds(5), !(await candidate.connection.isAlive()) {
                leased -= 1
                await candidate.connection.close()
                continue
            }
            return candidate.connection
        }
        if leased < configuration.pool.maxConnections {
            leased += 1
            do {
                return try await driver.connect(configuration)
            } catch {
                leased -= 1
                serveNextWaiterByOpening()
                throw error
            }
        }
        return try await waitForConnection()
    }

    private func waitForConnection() async throws -> any DatabaseConnection {
        nextWaiterID += 1
        let id = nextWaiterID
        let timeout = configuration.pool.acquireTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any DatabaseConnection, any Error>) in
                waiters.append(Waiter(id: id, continuation: continuation))
                Task { [weak self] in
                    try? await Task.sleep(for: .seconds(timeout))
                    await self?.expireWaiter(id, error: DatabaseError(.poolTimeout,
                        "no connection to \(self?.configuration.redactedURL ?? "the database") became free within \(timeout) s (max_connections \(self?.configuration.pool.maxConnections ?? 0))"))
                }
            }
        } onCancel: {
            Task { await self.expireWaiter(id, error: CancellationError()) }
        }
    }

    private func expireWaiter(_ id: UInt64, error: any Error) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: error)
    }

    /// Gives a connection back. A connection whose transaction was left open is rolled back first.
    public func release(_ connection: any DatabaseConnection) async {
        if await connection.inTransaction { try? await connection.rollback() }
        if closed {
            leased -= 1
            await connection.close()
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: connection)
            return
        }
        leased -= 1
        idle.append(IdleConnection(connection: connection, since: clock.now))
    }

    /// Closes a connection that is broken instead of returning it; a waiter gets a fresh one.
    public func discard(_ connection: any DatabaseConnection) async {
        leased -= 1
        await connection.close()
        serveNextWaiterByOpening()
    }

    private func serveNextWaiterByOpening() {
        guard !waiters.isEmpty, !closed, leased < configuration.pool.maxConnections else { return }
        let waiter = waiters.removeFirst()
        leased += 1
        Task {
            do {
                let connection = try await driver.connect(configuration)
                waiter.continuation.resume(returning: connection)
            } catch {
                self.openFailed()
                waiter.continuation.resume(throwing: error)
            }
        }
    }

    private func openFailed() { leased -= 1 }

    /// Runs `body` with a pooled connection and gives it back afterwards; a connection that lost its
    /// server is discarded rather than returned.
    public func withConnection<T: Sendable>(_ body: @Sendable (any DatabaseConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch let error as DatabaseError where error.code == .connectionLost {
            await discard(connection)
            throw error
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Closes idle connections past `idleTimeout`, keeping `minConnections` open.
    public func closeIdleConnections() async {
        let limit = Duration.milliseconds(Int64(configuration.pool.idleTimeout * 1000))
        let now = clock.now
        var closable = openConnections - configuration.pool.minConnections
        var keep: [IdleConnection] = []
        var expired: [any DatabaseConnection] = []
        // `idle` is a stack with the newest at the end, so the oldest are met first.
        for entry in idle {
            if closable > 0 && now - entry.since > limit {
                expired.append(entry.connection)
                closable -= 1
            } else {
                keep.append(entry)
            }
        }
        idle = keep
        for connection in expired { await connection.close() }
    }

    private func startReaper() {
        guard reaper == nil, configuration.pool.idleTimeout > 0 else { return }
        let interval = max(0.05, min(configuration.pool.idleTimeout / 2, 30))
        reaper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                guard let self else { return }
                await self.closeIdleConnections()
            }
        }
    }

    /// Closes every idle connection and refuses new acquires; leased connections close when released.
    public func close() async {
        closed = true
        reaper?.cancel()
        reaper = nil
        for waiter in waiters { waiter.continuation.resume(throwing: DatabaseError(.misuse, "the connection pool was closed")) }
        waiters.removeAll()
        let toClose = idle
        idle.removeAll()
        for entry in toClose { await entry.connection.close() }
    }
}
