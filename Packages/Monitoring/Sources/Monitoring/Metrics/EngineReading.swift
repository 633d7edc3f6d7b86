/// Cumulative counters read from an engine; rates are the differences between two readings.
///
/// Stored with every sample in the history, so the next collection (in this process or a later one)
/// can compute rates over the real interval.
public struct MetricsCounters: Sendable, Hashable, Codable {
    /// Statements executed (pg_stat_statements calls, MariaDB digest counts, or dbm's statement log).
    public var statements: Double?
    /// Total execution time of those statements, in milliseconds.
    public var statementTimeMS: Double?
    /// Statements this server ran on the database (its `StatementRecorder`), kept when the engine has no
    /// statement statistics of its own: `avg_query_time_ms` then comes from their deltas.
    public var serverStatements: Double?
    /// Total time of those statements, in milliseconds.
    public var serverStatementTimeMS: Double?
    /// Committed and rolled-back transactions (PostgreSQL), used for the rate when statements are unknown.
    public var transactions: Double?
    /// Buffer or page reads served from cache.
    public var cacheHits: Double?
    /// Buffer or page reads that went to disk.
    public var cacheMisses: Double?

    public init(statements: Double? = nil, statementTimeMS: Double? = nil, serverStatements: Double? = nil, serverStatementTimeMS: Double? = nil,
                transactions: Double? = nil, cacheHits: Double? = nil, cacheMisses: Double? = nil) {
        self.statements = statements
        self.statementTimeMS = statementTimeMS
        self.serverStatements = serverStatements
        self.serverStatementTimeMS = serverStatementTimeMS
        self.transactions = transactions
        self.cacheHits = cacheHits
        self.cacheMisses = cacheMisses
    }

    enum CodingKeys: String, CodingKey {
        case statements, transactions
        case statementTimeMS = "statement_time_ms"
        case serverStatements = "server_statements"
        case serverStatementTimeMS = "server_statement_time_ms"
        case cacheHits = "cache_hits"
        case cacheMisses = "cache_misses"
    }
}

/// What one engine-specific collector read, before rates, alerts and health are derived.
struct EngineReading: Sendable {
    var connections = DatabaseMetrics.Connections()
    var queryCount: Int64?
    var slowQueries: [SlowQuery] = []
    var slowQueriesCount: Int?
    var tableSizes: [String: Int64] = [:]
    var indexUsage: [String: Double] = [:]
    var lockWaits: Int?
    var totalBytes: Int64?
    var usedBytes: Int64?
    var freeBytes: Int64?
    var counters = MetricsCounters()
    var checks: [MetricsCheck] = []
    /// Note for the rate check: what `statements` counts.
    var statementSource: String?
    /// True when the engine's own per-statement statistics were read (`pg_stat_statements`, MariaDB
    /// digests); otherwise the server's statement record fills in slow statements and mean time.
    var engineStatementStatistics = false
}

/// What a collector needs besides the connection.
struct CollectionContext: Sendable {
    var config: MetricsConfig
    /// False when the sizes read less than `MetricsConfig.sizeRefreshSeconds` ago are reused: reading
    /// every table's size stats each file, the most expensive part of a sample on a large schema.
    var readSizes = true
}

/// An engine's statistics reader.
protocol MetricsCollector: Sendable {
    func read(_ connection: any DatabaseConnection, _ context: CollectionContext) async throws -> EngineReading
}

import DatabaseDriver

extension EngineReading {
    /// Runs one statistics probe; a failure becomes a skipped (privilege, missing object) or failed check
    /// instead of failing the whole collection.
    mutating func probe(_ name: String, note: String? = nil, _ body: (inout EngineReading) async throws -> Void) async {
        do {
            try await body(&self)
            checks.append(.ok(name, note))
        } catch let error as DatabaseError where error.code == .permissionDenied {
            checks.append(.skipped(name, "no privilege: \(error.message)"))
        } catch let error as DatabaseError where error.code == .undefinedObject {
            checks.append(.skipped(name, "not available on this server: \(error.message)"))
        } catch let error as ProbeSkipped {
            checks.append(.skipped(name, error.reason))
        } catch {
            checks.append(.failed(name, String(describing: error)))
        }
    }
}

/// Thrown inside a probe to report it as skipped with a reason.
struct ProbeSkipped: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
