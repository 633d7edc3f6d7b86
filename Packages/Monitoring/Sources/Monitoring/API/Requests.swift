/// Input of `PerformanceMonitor.collect_metrics`: the spec's `metrics_config` and whether to return history.
public struct CollectMetricsRequest: Sendable, Hashable, Codable {
    public var metricsConfig: MetricsConfig?
    /// Include earlier samples (`history`) in the result.
    public var historicalData: Bool
    /// How many earlier samples to include (default 100).
    public var historyLimit: Int

    public init(metricsConfig: MetricsConfig? = nil, historicalData: Bool = false, historyLimit: Int = 100) {
        self.metricsConfig = metricsConfig
        self.historicalData = historicalData
        self.historyLimit = historyLimit
    }

    enum CodingKeys: String, CodingKey {
        case metricsConfig = "metrics_config"
        case historicalData = "historical_data"
        case historyLimit = "history_limit"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metricsConfig = try c.decodeIfPresent(MetricsConfig.self, forKey: .metricsConfig)
        historicalData = try c.decodeIfPresent(Bool.self, forKey: .historicalData) ?? false
        historyLimit = try c.decodeIfPresent(Int.self, forKey: .historyLimit) ?? 100
    }
}
