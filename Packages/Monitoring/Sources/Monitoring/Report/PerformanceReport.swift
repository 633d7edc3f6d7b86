import Foundation

/// Input of `generate_performance_report(format)`.
public struct PerformanceReportRequest: Sendable, Hashable, Codable {
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable { case markdown, html }

    /// `markdown` (or `md`) or `html`, checked by `generatePerformanceReport`.
    public var format: String
    /// Write the report to this file as well (relative paths are under the workspace directory).
    public var outputPath: String?
    /// How many stored samples the charts and summary cover (default 200).
    public var historyLimit: Int
    public var workload: [String]

    public init(format: Format = .markdown, outputPath: String? = nil, historyLimit: Int = 200, workload: [String] = []) {
        self.format = format.rawValue
        self.outputPath = outputPath
        self.historyLimit = historyLimit
        self.workload = workload
    }

    enum CodingKeys: String, CodingKey {
        case format, workload
        case outputPath = "output_path"
        case historyLimit = "history_limit"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decodeIfPresent(String.self, forKey: .format) ?? "markdown"
        outputPath = try c.decodeIfPresent(String.self, forKey: .outputPath)
        historyLimit = try c.decodeIfPresent(Int.self, forKey: .historyLimit) ?? 200
        workload = try c.decodeIfPresent([String].self, forKey: .workload) ?? []
    }
}

/// Result of `generate_performance_report`: the document, and where it was written.
public struct PerformanceReport: Sendable, Hashable, Codable {
    public var format: String
    public var content: String
    /// The file written, when `output_path` was given.
    public var path: String?
    public var generatedAt: String
    /// Charts in the HTML report (one per metric with at least two samples).
    public var charts: Int

    enum CodingKeys: String, CodingKey {
        case format, content, path, charts
        case generatedAt = "generated_at"
    }
}

/// Everything a report shows, gathered once and rendered as Markdown or HTML.
struct ReportData: Sendable {
    var metrics: DatabaseMetrics
    var history: [MetricsHistory.Sample]
    var analysis: PerformanceAnalysis
    var anomalies: [AnomalyDetector.Anomaly]
    var generatedAt: String

    /// Charted metrics, in display order, with their titles.
    static let chartedMetrics: [(String, String)] = [
        ("queries_per_second", "Queries per second"), ("avg_query_time_ms", "Average query time (ms)"),
        ("cache_hit_ratio", "Cache hit ratio"), ("connections_total", "Connections"),
        ("used_size_mb", "Used storage (MiB)"), ("lock_waits", "Lock waits"),
    ]

    /// The (time, value) series of a metric across the history and the current sample.
    func series(_ key: String) -> [(Double, Double)] {
        var points = history.compactMap { s in s.metrics.numericValues[key].map { (s.takenAt, $0) } }
        if let now = metrics.numericValues[key], let t = Clock.parse(metrics.timestamp), points.last?.0 != t { points.append((t, now)) }
        return points
    }
}

extension PerformanceMonitor {
    /// `PerformanceMonitor.generate_performance_report(format)`: a fresh sample, the stored history, the
    /// slowest statements, anomalies and the optimization findings, as Markdown or as one self-contained
    /// HTML page with inline SVG charts of the history (no external assets).
    public func generatePerformanceReport(_ request: PerformanceReportRequest = .init()) async throws -> PerformanceReport {
        let name = request.format.lowercased()
        guard let format = PerformanceReportRequest.Format(rawValue: name == "md" ? "markdown" : name) else {
            throw MonitoringError(.invalidParameter, "format must be markdown or html")
        }
        let analysis = try await analyzePerformance(.init(workload: request.workload))
        let stored = try await history.samples(databaseKey: databaseKey, limit: request.historyLimit)
        let previous = stored.filter { $0.metrics.timestamp != analysis.metrics.timestamp }
        let anomalies = AnomalyDetector.detect(latest: analysis.metrics.numericValues, timestamp: analysis.metrics.timestamp,
                                               previous: previous.map(\.metrics.numericValues))
        let data = ReportData(metrics: analysis.metrics, history: previous, analysis: analysis, anomalies: anomalies, generatedAt: Clock.iso8601(Clock.now()))
        let content: String
        let charts: Int
        switch format {
        case .markdown:
            content = MarkdownReportRenderer.render(data)
            charts = 0
        case .html:
            (content, charts) = HTMLReportRenderer.render(data)
        }
        var path: String?
        if let output = request.outputPath, !output.isEmpty {
            let url = output.hasPrefix("/") ? URL(fileURLWithPath: output) : history.workspace.directory.appendingPathComponent(output)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(content.utf8).write(to: url, options: .atomic)
            } catch {
                throw MonitoringError(.reportFailed, "cannot write the report to \(url.path): \(error.localizedDescription)")
            }
            path = url.path
        }
        return PerformanceReport(format: format.rawValue, content: content, path: path, generatedAt: data.generatedAt, charts: charts)
    }
}
