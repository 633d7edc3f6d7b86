import DatabaseDriver
import Drivers
import Foundation

/// The embedded SQLite database in the workspace that keeps every sample, the server's statement record and the
/// optimizations applied (with their inverse DDL).
///
/// One history file serves every database monitored from the workspace; rows are keyed by the database's
/// redacted URL. Opened through the Drivers SQLite driver; several processes may share the file (SQLite
/// locking, 5 s busy timeout).
public actor MetricsHistory {
    public let workspace: MonitoringWorkspace
    private let connection: any DatabaseConnection

    private init(workspace: MonitoringWorkspace, connection: any DatabaseConnection) {
        self.workspace = workspace
        self.connection = connection
    }

    /// Opens (creating when needed) the history database of a workspace, and deletes samples older than
    /// `retentionDays` (default 90; the statement log and applied changes are kept).
    public static func open(_ workspace: MonitoringWorkspace, retentionDays: Double = 90) async throws -> MetricsHistory {
        try workspace.prepare()
        let configuration = ConnectionConfiguration(dialect: .sqlite, database: workspace.historyURL.path, options: ["journal_mode": "wal"])
        let connection: any DatabaseConnection
        do {
            connection = try await Database.connect(configuration)
            try await connection.executeScript(Self.schema)
            _ = try await connection.execute("DELETE FROM samples WHERE taken_at < ?", [.double(Clock.now() - retentionDays * 86_400)])
        } catch let error as DatabaseError {
            throw MonitoringError(.historyUnavailable, "cannot open the monitoring history \(workspace.historyURL.path): \(error.message)")
        }
        return MetricsHistory(workspace: workspace, connection: connection)
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS samples (
            id INTEGER PRIMARY KEY,
            database_key TEXT NOT NULL,
            taken_at REAL NOT NULL,
            metrics TEXT NOT NULL,
            counters TEXT NOT NULL,
            used_size_mb REAL
        );
        CREATE INDEX IF NOT EXISTS samples_by_database ON samples (database_key, taken_at);
        CREATE TABLE IF NOT EXISTS server_statements (
            database_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            query TEXT NOT NULL,
            calls INTEGER NOT NULL,
            errors INTEGER NOT NULL,
            total_ms REAL NOT NULL,
            max_ms REAL NOT NULL,
            rows INTEGER NOT NULL,
            last_run_at REAL NOT NULL,
            PRIMARY KEY (database_key, fingerprint)
        );
        CREATE TABLE IF NOT EXISTS server_statement_totals (
            database_key TEXT PRIMARY KEY,
            calls INTEGER NOT NULL,
            errors INTEGER NOT NULL,
            total_ms REAL NOT NULL
        );
        CREATE TABLE IF NOT EXISTS applied_changes (
            change_id TEXT PRIMARY KEY,
            optimization_id TEXT NOT NULL,
            database_key TEXT NOT NULL,
            applied_at REAL NOT NULL,
            rule TEXT NOT NULL,
            description TEXT NOT NULL,
            apply_sql TEXT NOT NULL,
            inverse_sql TEXT,
            rolled_back_at REAL
        );
        """

    // MARK: Samples

    /// A stored sample: the metrics as returned, and the raw counters the next rates are computed from.
    public struct Sample: Sendable {
        public var takenAt: Double
        public var metrics: DatabaseMetrics
        public var counters: MetricsCounters
    }

    /// Stores a sample.
    public func record(_ metrics: DatabaseMetrics, counters: MetricsCounters, takenAt: Double, databaseKey: String) async throws {
        var stored = metrics
        stored.history = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let metricsJSON = String(decoding: try encoder.encode(stored), as: UTF8.self)
        let countersJSON = String(decoding: try encoder.encode(counters), as: UTF8.self)
        _ = try await connection.execute(
            "INSERT INTO samples (database_key, taken_at, metrics, counters, used_size_mb) VALUES (?, ?, ?, ?, ?)",
            [.text(databaseKey), .double(takenAt), .text(metricsJSON), .text(countersJSON),
             metrics.storage.usedSizeMB.map { .double($0) } ?? .null])
    }

    /// The most recent sample of a database, or `nil`.
    public func latest(databaseKey: String) async throws -> Sample? {
        try await samples(databaseKey: databaseKey, limit: 1).last
    }

    /// The time and counters of the most recent sample (without decoding its metrics: cheap on every collection).
    func latestCounters(databaseKey: String) async throws -> (takenAt: Double, counters: MetricsCounters)? {
        guard let row = try await connection.query(
            "SELECT taken_at, counters FROM samples WHERE database_key = ? ORDER BY taken_at DESC, id DESC LIMIT 1",
            [.text(databaseKey)]).rows.first else { return nil }
        let counters = try JSONDecoder().decode(MetricsCounters.self, from: Data((row.string("counters") ?? "{}").utf8))
        return (row.double("taken_at") ?? 0, counters)
    }

    /// The oldest (time, used MiB) point since `since`, for the growth rate.
    func oldestUsedSize(databaseKey: String, since: Double) async throws -> (Double, Double)? {
        guard let row = try await connection.query("""
            SELECT taken_at, used_size_mb FROM samples WHERE database_key = ? AND taken_at >= ? AND used_size_mb IS NOT NULL
            ORDER BY taken_at LIMIT 1
            """, [.text(databaseKey), .double(since)]).rows.first,
            let t = row.double("taken_at"), let used = row.double("used_size_mb") else { return nil }
        return (t, used)
    }

    /// The most recent `limit` samples (optionally since a time), oldest first.
    public func samples(databaseKey: String, limit: Int = 500, since: Double? = nil) async throws -> [Sample] {
        let rows = try await connection.query("""
            SELECT taken_at, metrics, counters FROM samples WHERE database_key = ? AND taken_at >= ?
            ORDER BY taken_at DESC, id DESC LIMIT ?
            """, [.text(databaseKey), .double(since ?? 0), .integer(Int64(limit))]).rows
        let decoder = JSONDecoder()
        return try rows.reversed().map { row in
            Sample(takenAt: row.double("taken_at") ?? 0,
                   metrics: try decoder.decode(DatabaseMetrics.self, from: Data((row.string("metrics") ?? "{}").utf8)),
                   counters: try decoder.decode(MetricsCounters.self, from: Data((row.string("counters") ?? "{}").utf8)))
        }
    }

    // MARK: The server's statement record

    /// Adds a batch of statement aggregates (see `StatementRecorder`) in one transaction, then keeps the
    /// `retained` statements with the most total time of each database in the batch.
    func mergeStatements(_ batch: [StatementAggregate], retained: Int) async throws {
        guard !batch.isEmpty else { return }
        let databases = Set(batch.map(\.key.databaseKey))
        try await connection.transaction { db in
            // Multi-row upserts: 9 values a row, 400 rows a statement (well under SQLite's variable limit).
            for start in stride(from: 0, to: batch.count, by: 400) {
                let rows = batch[start..<min(start + 400, batch.count)]
                var values: [DatabaseValue] = []
                values.reserveCapacity(rows.count * 9)
                for entry in rows {
                    values += [.text(entry.key.databaseKey), .text(entry.key.fingerprint), .text(entry.query), .integer(entry.calls),
                               .integer(entry.errors), .double(entry.totalMS), .double(entry.maxMS), .integer(entry.rows), .double(entry.lastRunAt)]
                }
                let placeholders = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows.count).joined(separator: ", ")
                _ = try await db.execute("""
                    INSERT INTO server_statements (database_key, fingerprint, query, calls, errors, total_ms, max_ms, rows, last_run_at)
                    VALUES \(placeholders)
                    ON CONFLICT (database_key, fingerprint) DO UPDATE SET calls = calls + excluded.calls, errors = errors + excluded.errors,
                      total_ms = total_ms + excluded.total_ms, max_ms = max(max_ms, excluded.max_ms), rows = rows + excluded.rows,
                      last_run_at = max(last_run_at, excluded.last_run_at)
                    """, .positional(values))
            }
            for database in databases {
                let entries = batch.filter { $0.key.databaseKey == database }
                _ = try await db.execute("""
                    INSERT INTO server_statement_totals (database_key, calls, errors, total_ms) VALUES (?, ?, ?, ?)
                    ON CONFLICT (database_key) DO UPDATE SET calls = calls + excluded.calls, errors = errors + excluded.errors,
                      total_ms = total_ms + excluded.total_ms
                    """, [.text(database), .integer(entries.reduce(0) { $0 + $1.calls }), .integer(entries.reduce(0) { $0 + $1.errors }),
                          .double(entries.reduce(0) { $0 + $1.totalMS })])
                _ = try await db.execute("""
                    DELETE FROM server_statements WHERE database_key = ?1 AND fingerprint NOT IN
                      (SELECT fingerprint FROM server_statements WHERE database_key = ?1 ORDER BY total_ms DESC LIMIT ?2)
                    """, [.text(database), .integer(Int64(retained))])
            }
        }
    }

    /// Totals and the slowest statements (mean time first) of the server's statement record for a database.
    func statementTotals(databaseKey: String, limit: Int = 50) async throws -> StatementLogTotals {
        var totals = StatementLogTotals()
        if let row = try await connection.query(
            "SELECT calls, errors, total_ms FROM server_statement_totals WHERE database_key = ?", [.text(databaseKey)]).rows.first {
            totals.calls = row.int("calls") ?? 0
            totals.errors = row.int("errors") ?? 0
            totals.totalMS = row.double("total_ms") ?? 0
        }
        totals.slowest = try await connection.query("""
            SELECT fingerprint, query, calls, errors, total_ms, max_ms, rows FROM server_statements WHERE database_key = ? AND calls > 0
            ORDER BY total_ms / calls DESC LIMIT ?
            """, [.text(databaseKey), .integer(Int64(limit))]).rows.map { row in
            let calls = row.int("calls") ?? 1, total = row.double("total_ms") ?? 0
            var query = SlowQuery(query: row.string("query") ?? "", calls: calls, meanTimeMS: total / Double(max(calls, 1)),
                                  maxTimeMS: row.double("max_ms"), totalTimeMS: total, rows: row.int("rows"), source: SlowQuery.serverSource)
            query.fingerprint = row.string("fingerprint")
            query.errors = row.int("errors")
            return query
        }
        return totals
    }

    // MARK: Applied changes

    /// Records an applied optimization and its inverse.
    func recordChange(_ change: AppliedChange, optimizationID: String, databaseKey: String) async throws {
        _ = try await connection.execute("""
            INSERT INTO applied_changes (change_id, optimization_id, database_key, applied_at, rule, description, apply_sql, inverse_sql)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(change.changeID), .text(optimizationID), .text(databaseKey), .double(Clock.now()), .text(change.rule),
                  .text(change.description), .text(change.sql), change.inverseSQL.map { .text($0) } ?? .null])
    }

    /// Changes not yet rolled back with the given change id or optimization id, newest first.
    func pendingChanges(changeID: String?, optimizationID: String?, databaseKey: String) async throws -> [AppliedChange] {
        try await connection.query("""
            SELECT change_id, rule, description, apply_sql, inverse_sql FROM applied_changes
            WHERE database_key = ? AND rolled_back_at IS NULL AND (change_id = ? OR optimization_id = ?)
            ORDER BY applied_at DESC, rowid DESC
            """, [.text(databaseKey), changeID.map { .text($0) } ?? .null, optimizationID.map { .text($0) } ?? .null]).rows.map { row in
            AppliedChange(changeID: row.string("change_id") ?? "", rule: row.string("rule") ?? "", description: row.string("description") ?? "",
                          sql: row.string("apply_sql") ?? "", inverseSQL: row.string("inverse_sql"))
        }
    }

    /// Marks a change as rolled back.
    func markRolledBack(_ changeID: String) async throws {
        _ = try await connection.execute("UPDATE applied_changes SET rolled_back_at = ? WHERE change_id = ?", [.double(Clock.now()), .text(changeID)])
    }

    /// Closes the history database.
    public func close() async { await connection.close() }
}
