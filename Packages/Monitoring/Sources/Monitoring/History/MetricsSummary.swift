/// Input of `DatabaseMetrics.get_summary`, `detect_anomalies` and `to_dict`: a `DatabaseMetrics` object
/// (the sample to judge), or none to use the latest stored sample.
public struct MetricsSampleRequest: Sendable, Hashable, Codable {
    public var metrics: DatabaseMetrics?
    /// How many earlier samples to consider (default 100).
    public var limit: Int
    /// Only samples from the last this many hours (default: no limit).
    public var windowHours: Double?

    public init(metrics: DatabaseMetrics? = nil, limit: Int = 100, windowHours: Double? = nil) {
        self.metrics = metrics
        self.limit = limit
        self.windowHours = windowHours
    }

    enum CodingKeys: String, CodingKey {
        case metrics, limit
        case windowHours = "window_hours"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metrics = try c.decodeIfPresent(DatabaseMetrics.self, forKey: .metrics)
        limit = try c.decodeIfPresent(Int.self, forKey: .limit) ?? 100
        windowHours = try c.decodeIfPresent(Double.self, forKey: .windowHours)
    }
}

/// Statistics of one metric over the summarised samples.
public struct MetricStatistics: Sendable, Hashable, Codable {
    public var latest: Double?
    public var min: Double
    public var max: Double
    public var mean: Double
    public var median: Double
    public var samples: Int
}

/// Result of `DatabaseMetrics.get_summary`.
public struct MetricsSummary: Sendable, Hashable, Codable {
    public var databaseName: String
    public var samples: Int
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var healthStatus: DatabaseMetrics.HealthStatus
    /// How many samples had each health status.
    public var healthCounts: [String: Int]
    public var metrics: [String: MetricStatistics]
    public var growthRateMBPerDay: Double?
    public var alerts: [MetricsAlert]
    public var anomalies: [AnomalyDetector.Anomaly]

    enum CodingKeys: String, CodingKey {
        case samples, metrics, alerts, anomalies
        case databaseName = "database_name"
        case firstTimestamp = "first_timestamp"
        case lastTimestamp = "last_timestamp"
        case healthStatus = "health_status"
        case healthCounts = "health_counts"
        case growthRateMBPerDay = "growth_rate_mb_per_day"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(databaseName, forKey: .databaseName); try c.encode(samples, forKey: .samples)
        try c.encode(firstTimestamp, forKey: .firstTimestamp); try c.encode(lastTimestamp, forKey: .lastTimestamp)
        try c.encode(healthStatus, forKey: .healthStatus); try c.encode(healthCounts, forKey: .healthCounts)
        try c.encode(metrics, forKey: .metrics); try c.encode(growthRateMBPerDay, forKey: .growthRateMBPerDay)
        try c.encode(alerts, forKey: .alerts); try c.encode(anomalies, forKey: .anomalies)
    }
}

extension PerformanceMonitor {
    /// The sample to judge and the samples before it, oldest first.
    func sampleAndHistory(_ request: MetricsSampleRequest) async throws -> (DatabaseMetrics, [MetricsHistory.Sample]) {
        let since = request.windowHours.map { Clock.now() - $0 * 3600 }
        var stored = try await history.samples(databaseKey: databaseKey, limit: request.limit + 1, since: since)
        let latest: DatabaseMetrics
        if let given = request.metrics {
            latest = given
            let cut = Clock.parse(given.timestamp) ?? Clock.now()
            stored = stored.filter { $0.takenAt < cut - 0.0005 }
        } else {
            guard let last = stored.popLast() else {
                throw MonitoringError(.noHistory, "no metrics sample is stored for this database yet: run collect_metrics or monitor_database first, or pass metrics")
            }
            latest = last.metrics
        }
        return (latest, Array(stored.suffix(request.limit)))
    }

    /// `DatabaseMetrics.to_dict()`: the given sample, or the latest stored one.
    public func metricsDictionary(_ request: MetricsSampleRequest = .init()) async throws -> DatabaseMetrics {
        try await sampleAndHistory(request).0
    }

    /// `DatabaseMetrics.detect_anomalies()`: the sample's anomalous values against the stored history
    /// (see `AnomalyDetector` for the method), as sentences.
    public func detectAnomalies(_ request: MetricsSampleRequest = .init()) async throws -> [String] {
        try await anomalies(request).map(\.message)
    }

    /// The anomalies with their figures.
    public func anomalies(_ request: MetricsSampleRequest = .init()) async throws -> [AnomalyDetector.Anomaly] {
        let (latest, previous) = try await sampleAndHistory(request)
        return AnomalyDetector.detect(latest: latest.numericValues, timestamp: latest.timestamp, previous: previous.map(\.metrics.numericValues))
    }

    /// `DatabaseMetrics.get_summary()`: statistics of every metric over the stored samples up to and
    /// including the sample, the health counts, growth and anomalies.
    public func getSummary(_ request: MetricsSampleRequest = .init()) async throws -> MetricsSummary {
        let (latest, previous) = try await sampleAndHistory(request)
        let all = previous.map(\.metrics) + [latest]
        var statistics: [String: MetricStatistics] = [:]
        for key in MetricsHistoryKeys.all {
            let values = all.compactMap { $0.numericValues[key] }
            guard !values.isEmpty else { continue }
            statistics[key] = MetricStatistics(latest: latest.numericValues[key], min: values.min() ?? 0, max: values.max() ?? 0,
                                               mean: values.reduce(0, +) / Double(values.count), median: AnomalyDetector.median(values), samples: values.count)
        }
        let points = all.compactMap { m in m.storage.usedSizeMB.flatMap { used in Clock.parse(m.timestamp).map { ($0, used) } } }
        return MetricsSummary(
            databaseName: latest.databaseName, samples: all.count, firstTimestamp: all.first?.timestamp, lastTimestamp: latest.timestamp,
            healthStatus: latest.healthStatus, healthCounts: Dictionary(grouping: all, by: \.healthStatus.rawValue).mapValues(\.count),
            metrics: statistics, growthRateMBPerDay: RateCalculator.growthPerDay(points), alerts: latest.alerts,
            anomalies: AnomalyDetector.detect(latest: latest.numericValues, timestamp: latest.timestamp, previous: previous.map(\.metrics.numericValues)))
    }
}
