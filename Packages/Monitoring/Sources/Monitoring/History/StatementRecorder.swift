import DatabaseDriver
import Synchronization

/// The server's own record of the statements it ran: calls, total, mean and max time, rows and errors per
/// normalised statement (`StatementFingerprint`), per database.
///
/// `record` is the hot path: it normalises the text and adds to an in-memory aggregate under a lock, with
/// no I/O. The aggregates are written to the workspace's history in batches (one SQLite transaction per
/// flush): `flushInterval` after the first statement of a batch, before every read (`statementTotals`),
/// and on `close()`. Memory is bounded: beyond `capacity` pending fingerprints, further new statements
/// are added to one "other statements" entry per database until the next flush, so the totals stay exact. The history keeps the `retained` statements
/// with the most total time per database; per-database totals are kept apart and never pruned.
///
/// Only the normalised text is kept: literals become `?`, bound values are never seen.
public final class StatementRecorder: Sendable {
    /// Distinct statements held in memory between flushes.
    public let capacity: Int
    /// Statements kept per database in the history (the most total time first).
    public let retained: Int
    /// The longest a recorded statement waits in memory before it is written.
    public let flushInterval: Duration
    private let store: StatementStore
    private let state = Mutex(State())

    struct State {
        var batch: [StatementAggregate.Key: StatementAggregate] = [:]
        var flushScheduled = false
        var lastFlush: Task<Void, any Error>?
        var lastError: String?
    }

    /// A recorder writing to the history of `workspace`, opened on the first flush and closed by `close()`.
    public init(workspace: MonitoringWorkspace, capacity: Int = 1000, retained: Int = 1000, flushInterval: Duration = .seconds(5)) {
        self.store = StatementStore(workspace: workspace)
        self.capacity = max(capacity, 1)
        self.retained = max(retained, 1)
        self.flushInterval = flushInterval
    }

    /// A recorder writing to an open history, which stays open after `close()` (its owner closes it).
    public init(history: MetricsHistory, capacity: Int = 1000, retained: Int = 1000, flushInterval: Duration = .seconds(5)) {
        self.store = StatementStore(history: history)
        self.capacity = max(capacity, 1)
        self.retained = max(retained, 1)
        self.flushInterval = flushInterval
    }

    /// The message of the last failed background flush (its statements are kept for the next one), or nil.
    public var lastFlushError: String? { state.withLock { $0.lastError } }

    /// Adds one execution of `sql` on the database `databaseKey` (a redacted URL) to the record.
    ///
    /// Cheap and synchronous: no I/O, one lock. A failed statement counts in `errors` only (as
    /// `pg_stat_statements` counts only statements that completed).
    public func record(_ sql: String, dialect: Dialect, databaseKey: String, durationMS: Double, rows: Int64?, failed: Bool = false, at time: Double? = nil) {
        let time = time ?? Clock.now()
        let statement = StatementFingerprint(sql, dialect: dialect)
        let schedule = state.withLock { s -> Bool in
            var key = StatementAggregate.Key(databaseKey: databaseKey, fingerprint: statement.fingerprint)
            var text = statement.text
            if s.batch[key] == nil, s.batch.count >= capacity {
                key = .init(databaseKey: databaseKey, fingerprint: StatementAggregate.otherFingerprint)
                text = StatementAggregate.otherText
            }
            s.batch[key, default: StatementAggregate(key: key, query: text)].add(durationMS: durationMS, rows: rows, failed: failed, at: time)
            let schedule = !s.flushScheduled
            s.flushScheduled = true
            return schedule
        }
        if schedule {
            let interval = flushInterval
            Task {
                try? await Task.sleep(for: interval)
                try? await self.flush()
            }
        }
    }

    /// Writes the pending aggregates to the history, after any flush already under way.
    public func flush() async throws {
        let task = state.withLock { s -> Task<Void, any Error> in
            let batch = Array(s.batch.values)
            s.batch = [:]
            s.flushScheduled = false
            let previous = s.lastFlush
            let retained = self.retained
            let task = Task { [store] in
                _ = await previous?.result
                guard !batch.isEmpty else { return }
                do {
                    try await store.history().mergeStatements(batch, retained: retained)
                    self.state.withLock { $0.lastError = nil }
                } catch {
                    self.putBack(batch, error: error)
                    throw error
                }
            }
            s.lastFlush = task
            return task
        }
        try await task.value
    }

    /// Totals and the slowest statements of a database (mean time first), after a flush.
    func statementTotals(databaseKey: String, limit: Int = 50) async throws -> StatementLogTotals {
        try await flush()
        return try await store.history().statementTotals(databaseKey: databaseKey, limit: limit)
    }

    /// Flushes, then closes the history when this recorder opened it.
    public func close() async {
        try? await flush()
        await store.close()
    }

    private func putBack(_ batch: [StatementAggregate], error: any Error) {
        state.withLock { s in
            for entry in batch { s.batch[entry.key, default: StatementAggregate(key: entry.key, query: entry.query)].merge(entry) }
            s.lastError = String(describing: error)
        }
    }
}

/// The pending figures of one statement on one database.
struct StatementAggregate: Sendable {
    struct Key: Hashable, Sendable {
        var databaseKey: String
        var fingerprint: String
    }
    static let otherFingerprint = "0000000000000000"
    static let otherText = "(other statements: more distinct statements than the recorder holds between two flushes)"

    var key: Key
    var query: String
    var calls: Int64 = 0
    var errors: Int64 = 0
    var totalMS: Double = 0
    var maxMS: Double = 0
    var rows: Int64 = 0
    var lastRunAt: Double = 0

    init(key: Key, query: String) {
        self.key = key
        self.query = query
    }

    mutating func add(durationMS: Double, rows: Int64?, failed: Bool, at time: Double) {
        if failed {
            errors += 1
        } else {
            calls += 1
            totalMS += durationMS
            maxMS = max(maxMS, durationMS)
            self.rows += rows ?? 0
        }
        lastRunAt = max(lastRunAt, time)
    }

    mutating func merge(_ other: StatementAggregate) {
        calls += other.calls
        errors += other.errors
        totalMS += other.totalMS
        maxMS = max(maxMS, other.maxMS)
        rows += other.rows
        lastRunAt = max(lastRunAt, other.lastRunAt)
    }
}

/// The recorder's history: given, or opened once from a workspace.
actor StatementStore {
    private let workspace: MonitoringWorkspace?
    private var opening: Task<MetricsHistory, any Error>?
    private let owned: Bool

    init(workspace: MonitoringWorkspace) {
        self.workspace = workspace
        self.owned = true
    }

    init(history: MetricsHistory) {
        self.workspace = nil
        self.opening = Task { history }
        self.owned = false
    }

    func history() async throws -> MetricsHistory {
        let task: Task<MetricsHistory, any Error>
        if let opening {
            task = opening
        } else {
            guard let workspace else { throw MonitoringError(.historyUnavailable, "the statement record's history is closed") }
            task = Task { try await MetricsHistory.open(workspace) }
            opening = task
        }
        do {
            return try await task.value
        } catch {
            if owned { opening = nil }  // a later flush tries again
            throw error
        }
    }

    func close() async {
        if owned, let history = try? await opening?.value { await history.close() }
        if owned { opening = nil }
    }
}
