import ArgumentParser
import Foundation
import JSONRPC

/// Options the monitoring commands share: where the history lives.
struct WorkspaceOption: ParsableArguments {
    @Option(name: .long, help: "The monitoring workspace (history database, reports); default $DBM_WORKSPACE_DIR or ~/.local/share/dbm/monitoring. The server's statement record stays in the server's default workspace.")
    var workspace: String?

    /// Adds `workspace_dir` to params when given.
    func add(to params: inout JSONObject) {
        if let workspace { params["workspace_dir"] = .string(SchemaCommand.absolute(workspace)) }
    }
}

/// `dbm-client monitor ...`: metrics samples, slow statements, query plans, summaries and anomalies.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Collect metrics (once or at an interval), list slow statements, time a query with its plan, summarise the history.",
        discussion: """
            Every sample is stored in the workspace history, so rates, growth, summaries and anomalies come from real samples.
            Examples:
              dbm-client monitor --url sqlite:///shop.db
              dbm-client monitor --url postgresql://app@localhost/shop --interval 5 --samples 12 --threshold cache_hit_ratio=0.95
              dbm-client monitor slow --url postgresql://app@localhost/shop --limit 5
              dbm-client monitor query "SELECT * FROM orders WHERE customer_id = 42" --url sqlite:///shop.db --runs 10
              dbm-client monitor summary --url sqlite:///shop.db
              dbm-client monitor anomalies --url sqlite:///shop.db
            """,
        subcommands: [Sample.self, Slow.self, Query.self, Summary.self, Anomalies.self],
        defaultSubcommand: Sample.self)

    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sample", abstract: "Collect one sample, or one every --interval seconds (Ctrl-C stops).",
            discussion: "Example: dbm-client monitor --url sqlite:///shop.db --interval 1 --samples 5 --threshold used_size_mb=500")
        @Option(help: "Seconds between samples; without --samples, runs until interrupted.") var interval: Double?
        @Option(help: "How many samples to take.") var samples: Int?
        @Option(help: "An alert threshold metric=limit (repeatable), e.g. cache_hit_ratio=0.95 or connections_total=80.") var threshold: [String] = []
        @Flag(help: "Include the earlier samples in the output (with --json).") var history = false
        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var options: ClientOptions

        func validate() throws {
            if let interval, interval <= 0 { throw ValidationError("--interval must be a positive number of seconds.") }
            if let samples, samples < 1 { throw ValidationError("--samples must be at least 1.") }
        }

        func run() throws {
            var params = try options.requiredTarget()
            try MonitorCommand.addThresholds(threshold, to: &params)
            if let interval { params["interval"] = .double(interval) }
            if let samples { params["samples"] = .integer(Int64(samples)) }
            if history { params["historical_data"] = true }
            workspace.add(to: &params)
            let metrics = try options.withServer { try $0.request("monitor_database", params: .object(params)) }
            if options.json { print(JSONPrinter.pretty(metrics)); return }
            MonitorCommand.printMetrics(metrics)
        }
    }

    struct Slow: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The slowest statements by mean time (pg_stat_statements, MariaDB digests, or the server's own record of the statements it ran: source \"server\").",
            discussion: "Example: dbm-client monitor slow --url postgresql://app@localhost/shop --limit 5 --threshold-ms 50")
        @Option(help: "How many statements.") var limit = 10
        @Option(help: "Only statements with at least this mean time in ms.") var thresholdMs: Double = 0
        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var options: ClientOptions
        func run() throws {
            var params = try options.requiredTarget()
            params["limit"] = .integer(Int64(limit))
            params["threshold_ms"] = .double(thresholdMs)
            workspace.add(to: &params)
            options.print(try options.withServer { try $0.request("PerformanceMonitor.get_slow_queries", params: .object(params)) })
        }
    }

    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time a statement over repeated runs and show its plan (writes are rolled back; DDL is refused).",
            discussion: "Example: dbm-client monitor query \"SELECT * FROM orders WHERE customer_id = 42\" --url sqlite:///shop.db --runs 10")
        @Argument(help: "The statement.") var sql: String
        @Option(help: "Timed runs after one warm-up.") var runs = 5
        @Flag(help: "Do not run EXPLAIN ANALYZE.") var noAnalyze = false
        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var options: ClientOptions
        func run() throws {
            var params = try options.requiredTarget()
            params["query"] = .string(sql)
            params["runs"] = .integer(Int64(runs))
            params["analyze"] = .bool(!noAnalyze)
            workspace.add(to: &params)
            let result = try options.withServer { try $0.request("PerformanceMonitor.monitor_query_performance", params: .object(params)) }
            if options.json { print(JSONPrinter.pretty(result)); return }
            let t = result["timing"]
            print("runs \(t?["runs"]?.integerValue ?? 0): median \(MonitorCommand.fmt(t?["median_ms"])) ms, p95 \(MonitorCommand.fmt(t?["p95_ms"])) ms, min \(MonitorCommand.fmt(t?["min_ms"])) ms, max \(MonitorCommand.fmt(t?["max_ms"])) ms; \(result["rows"]?.integerValue ?? 0) rows")
            print("plan:")
            MonitorCommand.printPlan(result["plan"]?["root"], depth: 1)
            for line in (result["recommendations"]?.arrayValue ?? []) + (result["notes"]?.arrayValue ?? []) { print("- " + (line.stringValue ?? "")) }
        }
    }

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Statistics of each metric over the stored samples, with anomalies.",
            discussion: "Example: dbm-client monitor summary --url sqlite:///shop.db --window-hours 24")
        @Option(help: "Only samples from the last this many hours.") var windowHours: Double?
        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var options: ClientOptions
        func run() throws {
            var params = try options.requiredTarget()
            if let windowHours { params["window_hours"] = .double(windowHours) }
            workspace.add(to: &params)
            let summary = try options.withServer { try $0.request("DatabaseMetrics.get_summary", params: .object(params)) }
            if options.json { print(JSONPrinter.pretty(summary)); return }
            print("\(summary["samples"]?.integerValue ?? 0) samples from \(summary["first_timestamp"]?.stringValue ?? "?") to \(summary["last_timestamp"]?.stringValue ?? "?"), health \(summary["health_status"]?.stringValue ?? "?")")
            var rows: [JSONValue] = []
            for (name, stats) in (summary["metrics"]?.objectValue ?? JSONObject()).sorted(by: { $0.key < $1.key }) {
                rows.append(["metric": .string(name), "latest": stats["latest"] ?? .null, "min": stats["min"] ?? .null,
                             "median": stats["median"] ?? .null, "max": stats["max"] ?? .null])
            }
            print(TableFormatter.table(rows))
            for anomaly in summary["anomalies"]?.arrayValue ?? [] { print("anomaly: " + (anomaly["message"]?.stringValue ?? "")) }
        }
    }

    struct Anomalies: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Anomalous values of the latest sample against the history (robust z-score).",
            discussion: "Example: dbm-client monitor anomalies --url postgresql://app@localhost/shop")
        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var options: ClientOptions
        func run() throws {
            var params = try options.requiredTarget()
            workspace.add(to: &params)
            let list = try options.withServer { try $0.request("DatabaseMetrics.detect_anomalies", params: .object(params)) }
            if options.json { print(JSONPrinter.pretty(list)); return }
            let lines = list.arrayValue ?? []
            if lines.isEmpty { print("no anomalies") }
            for line in lines { print(line.stringValue ?? "") }
        }
    }

    /// Adds `metrics_config.alert_thresholds` from `--threshold metric=limit` options.
    static func addThresholds(_ items: [String], to params: inout JSONObject) throws {
        var thresholds = JSONObject()
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let limit = Double(parts[1]) else { throw ValidationError("--threshold takes metric=number, not \(item).") }
            thresholds[parts[0]] = .double(limit)
        }
        if !thresholds.isEmpty { params["metrics_config"] = ["alert_thresholds": .object(thresholds)] }
    }

    static func fmt(_ value: JSONValue?) -> String {
        guard let value else { return "n/a" }
        if let d = value.doubleValue { return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(format: "%.3f", d) }
        if let i = value.integerValue { return String(i) }
        return "n/a"
    }

    static func printMetrics(_ m: JSONValue) {
        let c = m["connections"], p = m["performance"], s = m["storage"]
        print("\(m["database_name"]?.stringValue ?? "") (\(m["engine"]?.stringValue ?? "")) at \(m["timestamp"]?.stringValue ?? ""): \(m["health_status"]?.stringValue ?? "")")
        print("connections   active \(fmt(c?["active"])), idle \(fmt(c?["idle"])), total \(fmt(c?["total"])), waiting \(fmt(c?["waiting"]))")
        print("performance   \(fmt(p?["queries_per_second"])) queries/s, avg \(fmt(p?["avg_query_time_ms"])) ms, slow \(fmt(p?["slow_queries_count"])), cache hit \(fmt(p?["cache_hit_ratio"]))")
        print("storage       total \(fmt(s?["total_size_mb"])) MiB, used \(fmt(s?["used_size_mb"])) MiB, free \(fmt(s?["free_size_mb"])) MiB, growth \(fmt(s?["growth_rate_mb_per_day"])) MiB/day")
        print("locks waiting \(fmt(m["lock_waits"])); \(m["table_sizes"]?.objectValue?.count ?? 0) tables")
        for alert in m["alerts"]?.arrayValue ?? [] { print("alert (\(alert["severity"]?.stringValue ?? "")): \(alert["message"]?.stringValue ?? "")") }
        for check in m["checks"]?.arrayValue ?? [] where check["status"]?.stringValue != "ok" {
            print("\(check["status"]?.stringValue ?? ""): \(check["name"]?.stringValue ?? "") — \(check["reason"]?.stringValue ?? "")")
        }
    }

    static func printPlan(_ node: JSONValue?, depth: Int) {
        guard let node else { return }
        var line = String(repeating: "  ", count: depth) + (node["node_type"]?.stringValue ?? "?")
        if let relation = node["relation"]?.stringValue { line += " on \(relation)" }
        if let index = node["index"]?.stringValue { line += " using \(index)" }
        if let rows = node["estimated_rows"], rows != .null { line += " est. rows \(fmt(rows))" }
        if let rows = node["actual_rows"], rows != .null { line += " actual rows \(fmt(rows))" }
        if let time = node["actual_time_ms"], time != .null { line += " \(fmt(time)) ms" }
        if let condition = node["condition"]?.stringValue { line += " [\(condition)]" }
        print(line)
        for child in node["children"]?.arrayValue ?? [] { printPlan(child, depth: depth + 1) }
    }
}

/// `dbm-client optimize`: findings, measured changes, rollback.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Find what to optimize and, with --apply, apply it with measured before/after timings; --rollback undoes an applied optimization.",
        discussion: """
            Examples:
              dbm-client optimize --url sqlite:///shop.db
              dbm-client optimize --url postgresql://app@localhost/shop --type query --workload "SELECT * FROM orders WHERE customer_id = 42" --apply
              dbm-client optimize --url sqlite:///shop.db --type storage --apply
              dbm-client optimize --url sqlite:///shop.db --rollback opt-1a2b3c4d
            """)
    @Option(name: .customLong("type"), help: "performance, storage, query or maintenance.") var optimizationType = "performance"
    @Flag(help: "Apply the changes dbm can apply automatically (default: report only).") var apply = false
    @Option(help: "A statement to look for missing indexes in and to time (repeatable).") var workload: [String] = []
    @Option(help: "Undo an applied optimization (its optimization_id) or one change (its change_id).") var rollback: String?
    @OptionGroup var workspace: WorkspaceOption
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard ["performance", "storage", "query", "maintenance"].contains(optimizationType) else {
            throw ValidationError("--type must be performance, storage, query or maintenance.")
        }
    }

    func run() throws {
        var params = try options.requiredTarget()
        workspace.add(to: &params)
        if let rollback {
            params[rollback.filter { $0 == "-" }.count > 1 ? "change_id" : "optimization_id"] = .string(rollback)
            let result = try options.withServer { try $0.request("PerformanceMonitor.rollback_optimization", params: .object(params)) }
            if options.json { print(JSONPrinter.pretty(result)); return }
            for statement in result["statements"]?.arrayValue ?? [] { print("undone: " + (statement.stringValue ?? "")) }
            return
        }
        params["optimization_type"] = .string(optimizationType)
        params["apply_changes"] = .bool(apply)
        if !workload.isEmpty { params["workload"] = .array(workload.map { .string($0) }) }
        let result = try options.withServer { try $0.request("optimize_database", params: .object(params)) }
        if options.json { print(JSONPrinter.pretty(result)); return }
        print("optimization score \(result["optimization_score"]?.integerValue ?? 0)/100 (\(optimizationType))")
        for finding in result["findings"]?.arrayValue ?? [] {
            print("[\(finding["severity"]?.stringValue ?? "")] \(finding["rule"]?.stringValue ?? ""): \(finding["description"]?.stringValue ?? "")")
            print("    \(finding["recommendation"]?.stringValue ?? "")")
        }
        if apply {
            for change in result["changes"]?.arrayValue ?? [] { print("applied \(change["change_id"]?.stringValue ?? ""): \(change["sql"]?.stringValue ?? "")") }
            for m in result["measurements"]?.arrayValue ?? [] {
                print("measured: \(MonitorCommand.fmt(m["before_ms"])) ms -> \(MonitorCommand.fmt(m["after_ms"])) ms (\(MonitorCommand.fmt(m["speedup"]))x) \(m["query"]?.stringValue ?? "")")
            }
            print("performance_improvement \(MonitorCommand.fmt(result["performance_improvement"]))%, storage_saved_mb \(MonitorCommand.fmt(result["storage_saved_mb"]))")
            if let id = result["optimization_id"]?.stringValue { print("undo with: dbm-client optimize --rollback \(id)") }
        }
    }
}

/// `dbm-client report`: the performance report as Markdown or self-contained HTML.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a performance report: Markdown, or one self-contained HTML page with SVG charts of the history.",
        discussion: """
            Examples:
              dbm-client report --url sqlite:///shop.db > report.md
              dbm-client report --url postgresql://app@localhost/shop --format html --output report.html
            """)
    @Option(help: "markdown or html.") var format = "markdown"
    @Option(help: "Write the report to this file instead of standard output.") var output: String?
    @OptionGroup var workspace: WorkspaceOption
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard ["markdown", "md", "html"].contains(format) else { throw ValidationError("--format must be markdown or html.") }
    }

    func run() throws {
        var params = try options.requiredTarget()
        params["format"] = .string(format)
        if let output { params["output_path"] = .string(SchemaCommand.absolute(output)) }
        workspace.add(to: &params)
        let report = try options.withServer { try $0.request("PerformanceMonitor.generate_performance_report", params: .object(params)) }
        if options.json { print(JSONPrinter.pretty(report)); return }
        if let path = report["path"]?.stringValue { print("wrote \(path)") } else { print(report["content"]?.stringValue ?? "") }
    }
}
