import Foundation

/// Turns `alert_thresholds` into alerts and the health status (see `MetricsConfig` for the rules).
enum AlertEvaluator {
    /// Metrics that alert when they fall below the threshold.
    static let lowerIsWorse: Set<String> = ["cache_hit_ratio"]

    /// Other names accepted for metric keys.
    static let aliases: [String: String] = [
        "connections": "connections_total", "active_connections": "connections_active",
        "slow_queries": "slow_queries_count", "avg_query_time": "avg_query_time_ms", "query_time_ms": "avg_query_time_ms",
        "qps": "queries_per_second", "storage_mb": "used_size_mb", "database_size_mb": "used_size_mb",
        "growth_rate": "growth_rate_mb_per_day", "waiting_connections": "connections_waiting",
    ]

    static func evaluate(_ metrics: DatabaseMetrics, thresholds: [String: Double]) -> (alerts: [MetricsAlert], checks: [MetricsCheck]) {
        var values = metrics.numericValues
        if let growth = metrics.storage.growthRateMBPerDay { values["growth_rate_mb_per_day"] = growth }
        let merged = MetricsConfig.defaultThresholds.merging(thresholds) { _, user in user }
        var alerts: [MetricsAlert] = []
        var checks: [MetricsCheck] = []
        for (rawName, limit) in merged.sorted(by: { $0.key < $1.key }) {
            let name = aliases[rawName] ?? rawName
            guard MetricsHistoryKeys.all.contains(name) || name == "growth_rate_mb_per_day" else {
                checks.append(.skipped("alert_threshold.\(rawName)", "dbm does not measure '\(rawName)' (host CPU and memory belong to the operating system's monitoring)"))
                continue
            }
            guard let value = values[name] else {
                // Defaults are silent where the engine has no such figure; a caller's own threshold is reported.
                if thresholds[rawName] != nil { checks.append(.skipped("alert_threshold.\(rawName)", "\(name) is not available in this sample")) }
                continue
            }
            if lowerIsWorse.contains(name) {
                guard value < limit else { continue }
                let critical = (1 - value) > 2 * (1 - limit)
                alerts.append(MetricsAlert(metric: name, value: value, threshold: limit, severity: critical ? .critical : .warning,
                                           message: "\(name) is \(format(value)), below the threshold \(format(limit))"))
            } else {
                guard value > limit else { continue }
                let critical = limit > 0 ? value > 2 * limit : value > 0
                alerts.append(MetricsAlert(metric: name, value: value, threshold: limit, severity: critical ? .critical : .warning,
                                           message: "\(name) is \(format(value)), above the threshold \(format(limit))"))
            }
        }
        return (alerts, checks)
    }

    static func health(_ alerts: [MetricsAlert]) -> DatabaseMetrics.HealthStatus {
        if alerts.contains(where: { $0.severity == .critical }) { return .critical }
        return alerts.isEmpty ? .healthy : .warning
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.4g", v)
    }
}

/// The names of the numeric figures kept per sample (`DatabaseMetrics.numericValues`).
public enum MetricsHistoryKeys {
    public static let all: [String] = [
        "connections_active", "connections_idle", "connections_total", "connections_waiting",
        "queries_per_second", "avg_query_time_ms", "slow_queries_count", "cache_hit_ratio",
        "total_size_mb", "used_size_mb", "free_size_mb", "lock_waits", "query_count",
    ]
}
