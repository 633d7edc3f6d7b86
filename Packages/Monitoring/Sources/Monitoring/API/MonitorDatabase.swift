import DatabaseDriver

/// Input of `monitor_database`: 000's `(database_name, workspace_dir)` and 001's `(connection_config,
/// metrics_config, **kwargs: interval, historical_data, alerts)`. The database itself is resolved by the
/// caller (the server reads `database_name`, which may be a URL, or `connection_config`).
public struct MonitorDatabaseRequest: Sendable, Hashable, Codable {
    public var databaseName: String?
    public var workspaceDir: String?
    public var metricsConfig: MetricsConfig?
    /// Seconds between samples; with it, sampling repeats until `samples` are taken or the task is cancelled.
    public var interval: Double?
    /// How many samples to take with `interval` (default: until cancelled).
    public var samples: Int?
    public var historicalData: Bool
    /// 001's `alerts` kwarg: more thresholds, merged over `metrics_config.alert_thresholds`.
    public var alerts: [String: Double]?

    public init(databaseName: String? = nil, workspaceDir: String? = nil, metricsConfig: MetricsConfig? = nil, interval: Double? = nil,
                samples: Int? = nil, historicalData: Bool = false, alerts: [String: Double]? = nil) {
        self.databaseName = databaseName; self.workspaceDir = workspaceDir; self.metricsConfig = metricsConfig
        self.interval = interval; self.samples = samples; self.historicalData = historicalData; self.alerts = alerts
    }

    enum CodingKeys: String, CodingKey {
        case interval, samples, alerts
        case databaseName = "database_name"
        case workspaceDir = "workspace_dir"
        case metricsConfig = "metrics_config"
        case historicalData = "historical_data"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        databaseName = try c.decodeIfPresent(String.self, forKey: .databaseName)
        workspaceDir = try c.decodeIfPresent(String.self, forKey: .workspaceDir)
        metricsConfig = try c.decodeIfPresent(MetricsConfig.self, forKey: .metricsConfig)
        interval = try c.decodeIfPresent(Double.self, forKey: .interval)
        samples = try c.decodeIfPresent(Int.self, forKey: .samples)
        historicalData = try c.decodeIfPresent(Bool.self, forKey: .historicalData) ?? false
        alerts = try c.decodeIfPresent([String: Double].self, forKey: .alerts)
    }

    /// The effective sampling interval: `interval`, else `metrics_config.interval_seconds` when `samples` asks for more than one.
    var effectiveInterval: Double? { interval ?? (samples.map { $0 > 1 } == true ? metricsConfig?.intervalSeconds : nil) }
}

extension PerformanceMonitor {
    /// `monitor_database`: one sample, or with `interval` a sample every `interval` seconds until `samples`
    /// are taken or the calling task is cancelled. `progress` receives each sample and its number (1-based)
    /// as it is taken (the server turns it into `$/progress`). Returns the last sample.
    public func monitorDatabase(
        _ request: MonitorDatabaseRequest,
        progress: (@Sendable (DatabaseMetrics, Int) async -> Void)? = nil
    ) async throws -> DatabaseMetrics {
        if let interval = request.interval, !(interval > 0) { throw MonitoringError(.invalidParameter, "interval must be a positive number of seconds") }
        if let samples = request.samples, samples < 1 { throw MonitoringError(.invalidParameter, "samples must be at least 1") }
        var config = request.metricsConfig ?? MetricsConfig()
        if let alerts = request.alerts { config.alertThresholds.merge(alerts) { _, new in new } }
        let collect = CollectMetricsRequest(metricsConfig: config, historicalData: false)
        guard let interval = request.effectiveInterval else {
            return try await collectMetrics(CollectMetricsRequest(metricsConfig: config, historicalData: request.historicalData))
        }
        var taken = 0
        var last: DatabaseMetrics?
        let clock = ContinuousClock()
        var next = clock.now
        while request.samples.map({ taken < $0 }) ?? true {
            try Task.checkCancellation()
            let isLast = request.samples == taken + 1
            let metrics = try await collectMetrics(isLast && request.historicalData
                ? CollectMetricsRequest(metricsConfig: config, historicalData: true) : collect)
            taken += 1
            last = metrics
            await progress?(metrics, taken)
            if isLast { break }
            next = next.advanced(by: .milliseconds(Int64(interval * 1000)))
            try await Task.sleep(until: next, clock: clock)
        }
        guard let last else { throw CancellationError() }
        return last
    }
}
