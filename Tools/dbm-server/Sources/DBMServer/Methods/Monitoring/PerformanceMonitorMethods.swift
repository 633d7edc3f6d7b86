import Foundation
import Drivers
import JSONRPC
import Monitoring

// `PerformanceMonitor(database_url)`: the constructor's argument is the params' `database_url` (or any
// other target); every method also takes `workspace_dir`.

enum PerformanceMonitorCollectMetrics: RPCMethod {
    typealias Params = MonitoringParams<CollectMetricsRequest>
    typealias Result = DatabaseMetrics
    static let name = "PerformanceMonitor.collect_metrics"
    static let summary = "One metrics sample (DatabaseMetrics, both spec shapes, with skipped checks and their reasons), stored in the workspace history."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await MonitoringSession.withMonitor(params.target, workspaceDir: params.workspaceDir, state) { try await $0.collectMetrics(params.request) }
    }
}

enum PerformanceMonitorAnalyzePerformance: RPCMethod {
    typealias Params = MonitoringParams<SuggestOptimizationsRequest>
    typealias Result = PerformanceAnalysis
    static let name = "PerformanceMonitor.analyze_performance"
    static let summary = "A fresh sample, the slowest statements, every optimization finding and the optimization score 0-100 with its penalties."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await MonitoringSession.withMonitor(params.target, workspaceDir: params.workspaceDir, state) { try await $0.analyzePerformance(params.request) }
    }
}

enum PerformanceMonitorGetSlowQueries: RPCMethod {
    typealias Params = MonitoringParams<SlowQueriesRequest>
    typealias Result = [SlowQuery]
    static let name = "PerformanceMonitor.get_slow_queries"
    static let summary = "The slowest statements by mean time from pg_stat_statements, MariaDB's statement digests, or (SQLite, and whenever the engine keeps none) the server's own record of the statements it ran (source \"server\")."
    static let paramDescriptions = ["limit": "How many (default 10)", "threshold_ms": "Only statements with at least this mean time"]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await MonitoringSession.withMonitor(params.target, workspaceDir: params.workspaceDir, state) { try await $0.getSlowQueries(params.request) }
    }
}

enum PerformanceMonitorSuggestOptimizations: RPCMethod {
    typealias Params = MonitoringParams<SuggestOptimizationsRequest>
    typealias Result = [String]
    static let name = "PerformanceMonitor.suggest_optimizations"
    static let summary = "One sentence per optimization finding, most severe first."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await MonitoringSession.withMonitor(params.target, workspaceDir: params.workspaceDir, state) { try await $0.suggestOptimizations(params.request) }
    }
}

enum PerformanceMonitorMonitorQueryPerformance: RPCMethod {
    typealias Params = MonitoringParams<QueryPerformanceRequest>
    typealias Result = QueryPerformance
    static let name = "PerformanceMonitor.monitor_query_performance"
    static let summary = "A statement's plan as a tree (estimated and, when safe, actual rows and time) and its timing over repeated runs; writes run in transactions that are rolled back, DDL is refused."
    static let paramDescriptions = ["query": "The statement", "runs": "Timed runs after one warm-up (default 5)", "analyze": "Ask for actual rows and times (default true)"]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await MonitoringSession.withMonitor(params.target, workspaceDir: params.workspaceDir, state) { try await $0.monitorQueryPerformance(params.request) }
    }
}

enum PerformanceMonitorGenerateReport: RPCMethod {
    typealias Params = MonitoringParams<PerformanceReportRequest>
    typealias Result = PerformanceReport
    static let name = "PerformanceMonitor.generate_performance_report"
    static let summary = "A performance report as Markdown, or as one self-contained HTML page with SVG charts of the metric history and the findings."
    static let paramDescriptions = ["format": "markdown | html", "output_path": "Also write it to this file (relative to workspace_dir)"]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        var request = params.request
        if let output = request.outputPath, !output.isEmpty {
            // Relative to the workspace, as the Monitoring package reads it; checked before anything is written.
            let workspace = params.workspaceDir.flatMap { $0.isEmpty ? nil : $0 }.map { ($0 as NSString).expandingTildeInPath }
                ?? MonitoringWorkspace.default.directory.path
            let absolute = output.hasPrefix("/") || output.hasPrefix("~") ? output : (workspace as NSString).appendingPathComponent(output)
            request.outputPath = try state.policy.paths.resolve(absolute, parameter: "output_path")
        }
        return try await MonitoringSession.withMonitor(params.target, workspaceDir: params.workspaceDir, state) { [request] in
            try await $0.generatePerformanceReport(request)
        }
    }
}

/// Beyond the spec: undoes the changes `optimize_database(apply_changes: true)` applied.
enum PerformanceMonitorRollbackOptimization: RPCMethod {
    typealias Params = MonitoringParams<RollbackOptimizationRequest>
    typealias Result = RollbackResult
    static let name = "PerformanceMonitor.rollback_optimization"
    static let summary = "Beyond the spec: runs the recorded inverse DDL of one applied change (change_id) or of every change of one optimize_database call (optimization_id)."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        if state.readOnly { throw OptimizationError(.readOnly, "rollback_optimization refused: the server is read-only") }
        return try await MonitoringSession.withMonitor(params.target, workspaceDir: params.workspaceDir, state) { try await $0.rollbackOptimization(params.request) }
    }
}

// `DatabaseMetrics.*`: the object travels as `metrics`; without it the latest stored sample of the target's
// database is used.

enum DatabaseMetricsToDict: RPCMethod {
    typealias Params = MonitoringParams<MetricsSampleRequest>
    typealias Result = DatabaseMetrics
    static let name = "DatabaseMetrics.to_dict"
    static let summary = "The DatabaseMetrics object as a dict: the given `metrics`, or the latest stored sample."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await MonitoringSession.withMonitor(params.target, workspaceDir: params.workspaceDir, state) { try await $0.metricsDictionary(params.request) }
    }
}

enum DatabaseMetricsGetSummary: RPCMethod {
    typealias Params = MonitoringParams<MetricsSampleRequest>
    typealias Result = MetricsSummary
    static let name = "DatabaseMetrics.get_summary"
    static let summary = "Statistics of every metric over the stored samples, health counts, growth and anomalies."
    static let paramDescriptions = ["metrics": "A DatabaseMetrics object (default: the latest stored sample)", "limit": "Earlier samples to consider (default 100)", "window_hours": "Only samples this recent"]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await MonitoringSession.withMonitor(params.target, workspaceDir: params.workspaceDir, state) { try await $0.getSummary(params.request) }
    }
}

enum DatabaseMetricsDetectAnomalies: RPCMethod {
    typealias Params = MonitoringParams<MetricsSampleRequest>
    typealias Result = [String]
    static let name = "DatabaseMetrics.detect_anomalies"
    static let summary = "The sample's anomalous values against the stored history (robust z-score over the previous samples, |z| > 3.5)."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await MonitoringSession.withMonitor(params.target, workspaceDir: params.workspaceDir, state) { try await $0.detectAnomalies(params.request) }
    }
}
