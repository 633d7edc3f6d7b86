/// The spec's `metrics_config`: how to sample and when to alert.
///
/// `alert_thresholds` maps a metric name to its limit. `cache_hit_ratio` alerts when the value falls
/// *below* the limit; every other metric alerts when it rises *above* it. An alert is `critical` when the
/// value is twice as far past the limit (above: more than 2 × limit; for the ratio: a miss rate more than
/// twice the allowed one), `warning` otherwise. Names not measured by dbm (`cpu`, `memory`) are reported
/// as skipped checks.
public struct MetricsConfig: Sendable, Hashable, Codable {
    /// Seconds between samples when monitoring periodically.
    public var intervalSeconds: Double?
    public var alertThresholds: [String: Double]
    /// A statement is slow when its mean time reaches this many milliseconds (default 100).
    public var slowQueryThresholdMS: Double
    /// How many slow statements a sample lists (default 10).
    public var slowQueriesLimit: Int
    /// Table sizes, PostgreSQL per-table index usage and the database size are re-read at most this often
    /// within one monitor (default 60 s); samples in between reuse them (a check says when they were read).
    /// Reading them stats every table's files, the most expensive part of a sample. 0 reads them every time.
    public var sizeRefreshSeconds: Double

    public init(intervalSeconds: Double? = nil, alertThresholds: [String: Double] = [:], slowQueryThresholdMS: Double = 100, slowQueriesLimit: Int = 10, sizeRefreshSeconds: Double = 60) {
        self.intervalSeconds = intervalSeconds
        self.alertThresholds = alertThresholds
        self.slowQueryThresholdMS = slowQueryThresholdMS
        self.slowQueriesLimit = slowQueriesLimit
        self.sizeRefreshSeconds = sizeRefreshSeconds
    }

    /// Checks the values a caller sent (decoding accepts any, so schema generation can sample the type).
    func validate() throws(MonitoringError) {
        if let interval = intervalSeconds, !(interval > 0) { throw MonitoringError(.invalidParameter, "interval_seconds must be positive") }
        if slowQueriesLimit < 0 { throw MonitoringError(.invalidParameter, "slow_queries_limit must not be negative") }
        if sizeRefreshSeconds < 0 { throw MonitoringError(.invalidParameter, "size_refresh_seconds must not be negative") }
    }

    /// Thresholds applied when `alert_thresholds` does not name the metric.
    public static let defaultThresholds: [String: Double] = ["cache_hit_ratio": 0.80, "connections_waiting": 10, "lock_waits": 20]

    enum CodingKeys: String, CodingKey {
        case intervalSeconds = "interval_seconds"
        case interval
        case alertThresholds = "alert_thresholds"
        case slowQueryThresholdMS = "slow_query_threshold_ms"
        case slowQueriesLimit = "slow_queries_limit"
        case sizeRefreshSeconds = "size_refresh_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        intervalSeconds = try c.decodeIfPresent(Double.self, forKey: .intervalSeconds) ?? c.decodeIfPresent(Double.self, forKey: .interval)
        alertThresholds = try c.decodeIfPresent([String: Double].self, forKey: .alertThresholds) ?? [:]
        slowQueryThresholdMS = try c.decodeIfPresent(Double.self, forKey: .slowQueryThresholdMS) ?? 100
        slowQueriesLimit = try c.decodeIfPresent(Int.self, forKey: .slowQueriesLimit) ?? 10
        sizeRefreshSeconds = try c.decodeIfPresent(Double.self, forKey: .sizeRefreshSeconds) ?? 60
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(intervalSeconds, forKey: .intervalSeconds)
        try c.encode(alertThresholds, forKey: .alertThresholds)
        try c.encode(slowQueryThresholdMS, forKey: .slowQueryThresholdMS)
        try c.encode(slowQueriesLimit, forKey: .slowQueriesLimit)
        try c.encode(sizeRefreshSeconds, forKey: .sizeRefreshSeconds)
    }
}
