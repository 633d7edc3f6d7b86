import Drivers
import JSONRPC
import Monitoring

/// `monitor_database`: 000 `(database_name, workspace_dir)` and 001 `(connection_config, metrics_config,
/// interval, historical_data, alerts)`. With `interval`, samples repeat (reporting each as `$/progress`)
/// until `samples` are taken or the request is cancelled.
enum MonitorDatabaseMethod: RPCMethod {
    typealias Params = MonitoringParams<MonitorDatabaseRequest>
    typealias Result = DatabaseMetrics
    static let name = "monitor_database"
    static let summary = "Collects the database's metrics (connections, rates over the interval since the previous sample, cache, storage and growth, locks, slow statements, alerts, health), storing each sample in the workspace history."
    static let paramDescriptions = [
        "database_name": "000 form: the database (a URL, a SQLite file beside the target's, or a database on the target's server)",
        "workspace_dir": "Where the history database lives (default the server's --workspace-dir, else $DBM_WORKSPACE_DIR or ~/.local/share/dbm/monitoring)",
        "metrics_config": "{interval_seconds, alert_thresholds {metric: limit}, slow_query_threshold_ms, slow_queries_limit, size_refresh_seconds}",
        "interval": "Seconds between samples; repeats until `samples` or cancellation, with $/progress per sample",
        "samples": "How many samples to take with interval",
        "historical_data": "Include the earlier samples as `history`",
        "alerts": "More alert thresholds, merged over metrics_config.alert_thresholds",
    ]

    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        let target = try await MonitoringSession.target(params.target, databaseName: params.request.databaseName, state)
        let repeating = params.request.interval != nil || (params.request.samples ?? 1) > 1
        if repeating { context.progress.begin(title: "monitor_database", message: "sampling", cancellable: true) }
        let workspace = params.request.workspaceDir ?? params.workspaceDir
        let result = try await MonitoringSession.withMonitor(target, workspaceDir: workspace, state) { monitor in
            try await monitor.monitorDatabase(params.request) { metrics, n in
                let qps = metrics.performance.queriesPerSecond.map { String(format: "%.1f", $0) } ?? "n/a"
                let total = params.request.samples.map { "/\($0)" } ?? ""
                let percentage = params.request.samples.map { n * 100 / max($0, 1) }
                context.progress.report(message: "sample \(n)\(total): \(metrics.healthStatus.rawValue), \(qps) queries/s, \(metrics.alerts.count) alert(s)",
                                        percentage: percentage)
            }
        }
        if repeating { context.progress.end(message: "done") }
        return result
    }
}

/// `optimize_database`: 000 `(database_name, workspace_dir)` and 001 `(connection_config,
/// optimization_type, analyze_only, apply_changes)`, plus `workload` to measure.
enum OptimizeDatabaseMethod: RPCMethod {
    struct Params: Decodable, Sendable {
        let request: OptimizeDatabaseRequest
        let databaseName: String?
        let target: DatabaseTarget
        let workspaceDir: String?
        enum CodingKeys: String, CodingKey { case database_name, workspace_dir }
        init(from decoder: any Decoder) throws {
            request = try OptimizeDatabaseRequest(from: decoder)
            target = try DatabaseTarget(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            databaseName = try c.decodeIfPresent(String.self, forKey: .database_name)
            workspaceDir = try c.decodeIfPresent(String.self, forKey: .workspace_dir)
        }
    }
    typealias Result = OptimizationResult
    static let name = "optimize_database"
    static let summary = "Finds what to optimize (file 003's rules and more: FK and missing indexes, duplicate, redundant and unused indexes, primary keys, statistics, bloat, sequences, partitioning) and, with apply_changes, applies it, measuring the workload before and after and recording each inverse for rollback."
    static let paramDescriptions = [
        "optimization_type": "performance | storage | query | maintenance (default performance)",
        "analyze_only": "Report only (the default unless apply_changes is true)",
        "apply_changes": "Apply the findings dbm can apply automatically",
        "workload": "Statements to find missing indexes in and to time before and after",
        "measure_runs": "Timed runs per workload statement (default 5)",
        "index_threshold": "Tables with fewer rows get no index advice (default 1000)",
        "database_name": "000 form: the database (a URL or a name on the target's server)",
        "workspace_dir": "Where applied changes are recorded for rollback",
    ]

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        let target = try await MonitoringSession.target(params.target, databaseName: params.databaseName, state)
        if params.request.applies && state.readOnly {
            throw OptimizationError(.readOnly, "apply_changes refused: the server is read-only")
        }
        return try await MonitoringSession.withMonitor(target, workspaceDir: params.workspaceDir, state) { try await $0.optimizeDatabase(params.request) }
    }
}
