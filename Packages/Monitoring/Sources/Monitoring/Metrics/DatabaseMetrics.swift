/// One sample of a database's performance and health: the spec's `DatabaseMetrics`, with the fields of
/// both documents.
///
/// Encoded with 000's flat fields (`connections_active`, `connections_idle`, `query_count`,
/// `slow_queries`, `table_sizes`, `index_usage`, `cache_hit_ratio`, `lock_waits`) and 001's nested
/// objects (`connections`, `performance`, `storage`, `health_status`, `alerts`), plus `checks`.
/// A figure the engine cannot provide is `null`, and a check says why. Rates
/// (`queries_per_second`, `avg_query_time_ms`, growth) are deltas between this sample and the previous
/// one in the history; with no previous sample they are `null`.
public struct DatabaseMetrics: Sendable, Hashable, Codable {
    /// Connection counts for this database (`null` where the engine has no server-side sessions).
    public struct Connections: Sendable, Hashable, Codable {
        public var active: Int?
        public var idle: Int?
        public var total: Int?
        /// Sessions waiting on a lock.
        public var waiting: Int?
        public init(active: Int? = nil, idle: Int? = nil, total: Int? = nil, waiting: Int? = nil) {
            self.active = active; self.idle = idle; self.total = total; self.waiting = waiting
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(active, forKey: .active); try c.encode(idle, forKey: .idle)
            try c.encode(total, forKey: .total); try c.encode(waiting, forKey: .waiting)
        }
    }

    /// Throughput and latency over the interval since the previous sample.
    public struct Performance: Sendable, Hashable, Codable {
        public var queriesPerSecond: Double?
        public var avgQueryTimeMS: Double?
        public var slowQueriesCount: Int?
        public var cacheHitRatio: Double?
        public init(queriesPerSecond: Double? = nil, avgQueryTimeMS: Double? = nil, slowQueriesCount: Int? = nil, cacheHitRatio: Double? = nil) {
            self.queriesPerSecond = queriesPerSecond; self.avgQueryTimeMS = avgQueryTimeMS
            self.slowQueriesCount = slowQueriesCount; self.cacheHitRatio = cacheHitRatio
        }
        enum CodingKeys: String, CodingKey {
            case queriesPerSecond = "queries_per_second"
            case avgQueryTimeMS = "avg_query_time_ms"
            case slowQueriesCount = "slow_queries_count"
            case cacheHitRatio = "cache_hit_ratio"
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(queriesPerSecond, forKey: .queriesPerSecond); try c.encode(avgQueryTimeMS, forKey: .avgQueryTimeMS)
            try c.encode(slowQueriesCount, forKey: .slowQueriesCount); try c.encode(cacheHitRatio, forKey: .cacheHitRatio)
        }
    }

    /// Sizes in MiB and the growth rate from the history.
    public struct Storage: Sendable, Hashable, Codable {
        public var totalSizeMB: Double?
        public var usedSizeMB: Double?
        public var freeSizeMB: Double?
        public var growthRateMBPerDay: Double?
        public init(totalSizeMB: Double? = nil, usedSizeMB: Double? = nil, freeSizeMB: Double? = nil, growthRateMBPerDay: Double? = nil) {
            self.totalSizeMB = totalSizeMB; self.usedSizeMB = usedSizeMB
            self.freeSizeMB = freeSizeMB; self.growthRateMBPerDay = growthRateMBPerDay
        }
        enum CodingKeys: String, CodingKey {
            case totalSizeMB = "total_size_mb"
            case usedSizeMB = "used_size_mb"
            case freeSizeMB = "free_size_mb"
            case growthRateMBPerDay = "growth_rate_mb_per_day"
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(totalSizeMB, forKey: .totalSizeMB); try c.encode(usedSizeMB, forKey: .usedSizeMB)
            try c.encode(freeSizeMB, forKey: .freeSizeMB); try c.encode(growthRateMBPerDay, forKey: .growthRateMBPerDay)
        }
    }

    /// `healthy`, `warning` or `critical`: the most severe active alert, or `healthy` with none.
    public enum HealthStatus: String, Sendable, Hashable, Codable, CaseIterable {
        case healthy, warning, critical
    }

    /// ISO 8601 UTC time the sample was taken.
    public var timestamp: String
    public var databaseName: String
    /// `sqlite`, `postgresql` or `mysql`.
    public var engine: String
    public var connections: Connections
    public var performance: Performance
    public var storage: Storage
    /// Statements counted by the engine since its statistics were reset (cumulative, not a rate).
    public var queryCount: Int64?
    /// The slowest statements by mean time, at or above the slow-query threshold.
    public var slowQueries: [SlowQuery]
    /// Table name → total size in bytes (data and indexes).
    public var tableSizes: [String: Int64]
    /// Table name → fraction (0-1) of its scans or rows read that went through an index.
    public var indexUsage: [String: Double]
    /// Lock requests waiting now.
    public var lockWaits: Int?
    public var healthStatus: HealthStatus
    public var alerts: [MetricsAlert]
    /// Every statistics source consulted, with skipped ones and their reasons.
    public var checks: [MetricsCheck]
    /// Seconds between this sample and the previous one the rates were computed from (`null`: first sample).
    public var sampleIntervalSeconds: Double?
    /// Earlier samples, oldest first, when `historical_data` was requested.
    public var history: [MetricsHistoryPoint]?

    public init(timestamp: String, databaseName: String, engine: String, connections: Connections = .init(),
                performance: Performance = .init(), storage: Storage = .init(), queryCount: Int64? = nil,
                slowQueries: [SlowQuery] = [], tableSizes: [String: Int64] = [:], indexUsage: [String: Double] = [:],
                lockWaits: Int? = nil, healthStatus: HealthStatus = .healthy, alerts: [MetricsAlert] = [],
                checks: [MetricsCheck] = [], sampleIntervalSeconds: Double? = nil, history: [MetricsHistoryPoint]? = nil) {
        self.timestamp = timestamp; self.databaseName = databaseName; self.engine = engine
        self.connections = connections; self.performance = performance; self.storage = storage
        self.queryCount = queryCount; self.slowQueries = slowQueries; self.tableSizes = tableSizes
        self.indexUsage = indexUsage; self.lockWaits = lockWaits; self.healthStatus = healthStatus
        self.alerts = alerts; self.checks = checks; self.sampleIntervalSeconds = sampleIntervalSeconds
        self.history = history
    }

    /// The cache hit ratio (000's flat field; the same value as `performance.cache_hit_ratio`).
    public var cacheHitRatio: Double? { performance.cacheHitRatio }

    enum CodingKeys: String, CodingKey {
        case timestamp, engine, connections, performance, storage, alerts, checks, history
        case databaseName = "database_name"
        case connectionsActive = "connections_active"
        case connectionsIdle = "connections_idle"
        case queryCount = "query_count"
        case slowQueries = "slow_queries"
        case tableSizes = "table_sizes"
        case indexUsage = "index_usage"
        case cacheHitRatio = "cache_hit_ratio"
        case lockWaits = "lock_waits"
        case healthStatus = "health_status"
        case sampleIntervalSeconds = "sample_interval_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        timestamp = try c.decodeIfPresent(String.self, forKey: .timestamp) ?? Clock.iso8601(Clock.now())
        databaseName = try c.decodeIfPresent(String.self, forKey: .databaseName) ?? ""
        engine = try c.decodeIfPresent(String.self, forKey: .engine) ?? ""
        // 000's flat fields are read first and used where 001's nested objects leave a figure out.
        let flatActive = try c.decodeIfPresent(Int.self, forKey: .connectionsActive)
        let flatIdle = try c.decodeIfPresent(Int.self, forKey: .connectionsIdle)
        let flatCacheHitRatio = try c.decodeIfPresent(Double.self, forKey: .cacheHitRatio)
        connections = try c.decodeIfPresent(Connections.self, forKey: .connections) ?? Connections()
        if connections.active == nil { connections.active = flatActive }
        if connections.idle == nil { connections.idle = flatIdle }
        performance = try c.decodeIfPresent(Performance.self, forKey: .performance) ?? Performance()
        if performance.cacheHitRatio == nil { performance.cacheHitRatio = flatCacheHitRatio }
        storage = try c.decodeIfPresent(Storage.self, forKey: .storage) ?? Storage()
        queryCount = try c.decodeIfPresent(Int64.self, forKey: .queryCount)
        slowQueries = try c.decodeIfPresent([SlowQuery].self, forKey: .slowQueries) ?? []
        tableSizes = try c.decodeIfPresent([String: Int64].self, forKey: .tableSizes) ?? [:]
        indexUsage = try c.decodeIfPresent([String: Double].self, forKey: .indexUsage) ?? [:]
        lockWaits = try c.decodeIfPresent(Int.self, forKey: .lockWaits)
        healthStatus = try c.decodeIfPresent(HealthStatus.self, forKey: .healthStatus) ?? .healthy
        alerts = try c.decodeIfPresent([MetricsAlert].self, forKey: .alerts) ?? []
        checks = try c.decodeIfPresent([MetricsCheck].self, forKey: .checks) ?? []
        sampleIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .sampleIntervalSeconds)
        history = try c.decodeIfPresent([MetricsHistoryPoint].self, forKey: .history)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(timestamp, forKey: .timestamp)
        try c.encode(databaseName, forKey: .databaseName)
        try c.encode(engine, forKey: .engine)
        try c.encode(connections.active, forKey: .connectionsActive)
        try c.encode(connections.idle, forKey: .connectionsIdle)
        try c.encode(queryCount, forKey: .queryCount)
        try c.encode(slowQueries, forKey: .slowQueries)
        try c.encode(tableSizes, forKey: .tableSizes)
        try c.encode(indexUsage, forKey: .indexUsage)
        try c.encode(performance.cacheHitRatio, forKey: .cacheHitRatio)
        try c.encode(lockWaits, forKey: .lockWaits)
        try c.encode(connections, forKey: .connections)
        try c.encode(performance, forKey: .performance)
        try c.encode(storage, forKey: .storage)
        try c.encode(healthStatus, forKey: .healthStatus)
        try c.encode(alerts, forKey: .alerts)
        try c.encode(checks, forKey: .checks)
        try c.encode(sampleIntervalSeconds, forKey: .sampleIntervalSeconds)
        try c.encodeIfPresent(history, forKey: .history)
    }
}

/// One earlier sample, reduced to the figures charts and summaries use.
public struct MetricsHistoryPoint: Sendable, Hashable, Codable {
    public var timestamp: String
    public var values: [String: Double]
    public var healthStatus: DatabaseMetrics.HealthStatus

    public init(timestamp: String, values: [String: Double], healthStatus: DatabaseMetrics.HealthStatus) {
        self.timestamp = timestamp
        self.values = values
        self.healthStatus = healthStatus
    }

    enum CodingKeys: String, CodingKey {
        case timestamp, values
        case healthStatus = "health_status"
    }
}

extension DatabaseMetrics {
    /// The numeric figures of the sample by name, as stored for summaries, anomalies and charts.
    /// Missing figures are absent (never zero).
    public var numericValues: [String: Double] {
        var out: [String: Double] = [:]
        func put(_ key: String, _ value: Double?) { if let value, value.isFinite { out[key] = value } }
        put("connections_active", connections.active.map(Double.init))
        put("connections_idle", connections.idle.map(Double.init))
        put("connections_total", connections.total.map(Double.init))
        put("connections_waiting", connections.waiting.map(Double.init))
        put("queries_per_second", performance.queriesPerSecond)
        put("avg_query_time_ms", performance.avgQueryTimeMS)
        put("slow_queries_count", performance.slowQueriesCount.map(Double.init))
        put("cache_hit_ratio", performance.cacheHitRatio)
        put("total_size_mb", storage.totalSizeMB)
        put("used_size_mb", storage.usedSizeMB)
        put("free_size_mb", storage.freeSizeMB)
        put("lock_waits", lockWaits.map(Double.init))
        put("query_count", queryCount.map(Double.init))
        return out
    }
}
