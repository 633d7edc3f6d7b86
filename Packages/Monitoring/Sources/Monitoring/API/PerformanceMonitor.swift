import DatabaseDriver
import Drivers
import Foundation

/// The spec's `PerformanceMonitor(database_url)`: metrics, slow queries, plans, reports and optimizations
/// for one database, with history kept in a workspace.
///
/// Works on a connection it is given (a pooled one from the server) or opens its own (`open`). Calls are
/// serialised by the actor; a collection runs a handful of small statistics queries.
public actor PerformanceMonitor {
    /// The monitored database's connection.
    public nonisolated let connection: any DatabaseConnection
    /// Where samples and applied changes are kept.
    public let history: MetricsHistory
    /// The server's statement record: statements run through dbm on this database, and the source of
    /// slow statements and mean time where the engine keeps no statement statistics.
    public nonisolated let recorder: StatementRecorder
    /// The key of this database in the history: its redacted URL.
    public nonisolated let databaseKey: String
    /// The database name reported in metrics (for SQLite, the file path).
    public nonisolated let databaseName: String
    private let ownsConnection: Bool
    private let ownsRecorder: Bool
    /// Sizes from the last sample that read them, reused for `MetricsConfig.sizeRefreshSeconds`.
    private var sizeCache: (takenAt: Double, tables: [String: Int64], indexUsage: [String: Double], total: Int64?, used: Int64?, free: Int64?)?

    /// Monitors the database behind `connection`, keeping history in `history`.
    ///
    /// `recorder` is the statement record to read and add to: a server passes its own (shared by every
    /// call); without one, the monitor records into `history` and flushes on `close()`.
    public init(connection: any DatabaseConnection, history: MetricsHistory, recorder: StatementRecorder? = nil) {
        self.init(connection: connection, history: history, recorder: recorder, ownsConnection: false)
    }

    private init(connection: any DatabaseConnection, history: MetricsHistory, recorder: StatementRecorder?, ownsConnection: Bool) {
        self.connection = connection
        self.history = history
        self.recorder = recorder ?? StatementRecorder(history: history)
        self.ownsRecorder = recorder == nil
        self.ownsConnection = ownsConnection
        let configuration = connection.configuration
        self.databaseKey = configuration.redactedURL
        self.databaseName = configuration.database
    }

    /// Opens a connection to `databaseURL` and the history of `workspace`. Close with `close()`.
    public static func open(databaseURL: String, workspace: MonitoringWorkspace = .default) async throws -> PerformanceMonitor {
        let connection = try await Database.connect(databaseURL)
        do {
            let history = try await MetricsHistory.open(workspace)
            return PerformanceMonitor(connection: connection, history: history, recorder: nil, ownsConnection: true)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Writes the statement record when this monitor keeps it, closes the history, and the connection
    /// when `open` made it.
    public func close() async {
        if ownsRecorder { await recorder.close() }
        await history.close()
        if ownsConnection { await connection.close() }
    }

    nonisolated var dialect: Dialect { connection.dialect }

    // MARK: collect_metrics

    /// `PerformanceMonitor.collect_metrics()`: one sample from the engine's statistics, with rates over the
    /// interval since the previous stored sample, alerts and health; the sample is stored in the history.
    public func collectMetrics(_ request: CollectMetricsRequest = .init()) async throws -> DatabaseMetrics {
        let config = request.metricsConfig ?? MetricsConfig()
        try config.validate()
        let takenAt = Clock.now()
        let previous = try await history.latestCounters(databaseKey: databaseKey)
        let record = try await recorder.statementTotals(databaseKey: databaseKey)
        var context = CollectionContext(config: config)
        let cached = sizeCache.flatMap { takenAt - $0.takenAt < config.sizeRefreshSeconds ? $0 : nil }
        context.readSizes = cached == nil
        let collector: any MetricsCollector = switch dialect {
        case .postgresql: PostgreSQLMetricsCollector()
        case .mysql: MySQLMetricsCollector()
        case .sqlite: SQLiteMetricsCollector()
        }
        var reading = try await collector.read(connection, context)
        ServerStatementFallback.apply(record, to: &reading, dialect: dialect, config: config)
        if let cached {
            reading.tableSizes = cached.tables
            if reading.indexUsage.isEmpty { reading.indexUsage = cached.indexUsage }
            if reading.totalBytes == nil { reading.totalBytes = cached.total }
            if reading.usedBytes == nil { reading.usedBytes = cached.used }
            if reading.freeBytes == nil { reading.freeBytes = cached.free }
            reading.checks.append(.ok("sizes", "table sizes, PostgreSQL per-table index usage and database size reused from \(Clock.iso8601(cached.takenAt)) (size_refresh_seconds \(AlertEvaluator.format(config.sizeRefreshSeconds)))"))
        } else {
            sizeCache = (takenAt, reading.tableSizes, reading.indexUsage, reading.totalBytes, reading.usedBytes, reading.freeBytes)
        }

        let seconds = previous.map { takenAt - $0.takenAt }
        let rates = RateCalculator.rates(current: reading.counters, previous: previous?.counters, seconds: seconds)
        var metrics = DatabaseMetrics(timestamp: Clock.iso8601(takenAt), databaseName: databaseName, engine: dialect.rawValue)
        metrics.connections = reading.connections
        metrics.performance = .init(queriesPerSecond: rates.queriesPerSecond, avgQueryTimeMS: rates.avgQueryTimeMS,
                                    slowQueriesCount: reading.slowQueriesCount, cacheHitRatio: rates.cacheHitRatio)
        metrics.queryCount = reading.queryCount
        metrics.slowQueries = reading.slowQueries
        metrics.tableSizes = reading.tableSizes
        metrics.indexUsage = reading.indexUsage
        metrics.lockWaits = reading.lockWaits
        metrics.sampleIntervalSeconds = seconds
        metrics.storage = .init(totalSizeMB: reading.totalBytes.map(megabytes), usedSizeMB: reading.usedBytes.map(megabytes),
                                freeSizeMB: reading.freeBytes.map(megabytes))

        // Growth from the oldest stored sample of the last week to this one.
        if let used = metrics.storage.usedSizeMB, let oldest = try await history.oldestUsedSize(databaseKey: databaseKey, since: takenAt - 7 * 86_400) {
            metrics.storage.growthRateMBPerDay = RateCalculator.growthPerDay([oldest, (takenAt, used)])
        }

        var checks = reading.checks + rates.notes
        if metrics.storage.growthRateMBPerDay == nil {
            checks.append(.skipped("growth_rate", "needs two stored samples at least one second apart"))
        }
        let (alerts, alertChecks) = AlertEvaluator.evaluate(metrics, thresholds: config.alertThresholds)
        metrics.alerts = alerts
        metrics.healthStatus = AlertEvaluator.health(alerts)
        metrics.checks = checks + alertChecks

        try await history.record(metrics, counters: reading.counters, takenAt: takenAt, databaseKey: databaseKey)
        if request.historicalData {
            let window = try await history.samples(databaseKey: databaseKey, limit: request.historyLimit + 1)
            metrics.history = window.filter { $0.takenAt < takenAt }.suffix(request.historyLimit).map {
                MetricsHistoryPoint(timestamp: $0.metrics.timestamp, values: $0.metrics.numericValues, healthStatus: $0.metrics.healthStatus)
            }
        }
        return metrics
    }

    /// Runs `sql` and adds it to the statement record (its normalised text, time and rows; a failure
    /// counts as an error). Returns the rows.
    public func runRecorded(_ sql: String, _ arguments: StatementArguments = .none) async throws -> QueryResult {
        let started = ContinuousClock.now
        do {
            let result = try await connection.query(sql, arguments)
            recorder.record(sql, dialect: dialect, databaseKey: databaseKey, durationMS: Self.milliseconds(since: started), rows: Int64(result.rows.count))
            return result
        } catch {
            recorder.record(sql, dialect: dialect, databaseKey: databaseKey, durationMS: Self.milliseconds(since: started), rows: nil, failed: true)
            throw error
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
