/// Renders a report as GitHub-flavoured Markdown.
enum MarkdownReportRenderer {
    static func render(_ data: ReportData) -> String {
        let m = data.metrics
        var out = "# Performance report: \(cell(m.databaseName))\n\n"
        out += "Generated \(data.generatedAt) · engine \(m.engine) · health **\(m.healthStatus.rawValue)** · optimization score **\(data.analysis.optimizationScore)/100** · \(data.history.count + 1) samples\n\n"
        out += "## Current metrics\n\n| metric | value | history (min / median / max) |\n| --- | --- | --- |\n"
        for key in MetricsHistoryKeys.all {
            let values = data.series(key).map(\.1)
            let now = m.numericValues[key]
            guard now != nil || !values.isEmpty else { continue }
            let range = values.count > 1 ? "\(fmt(values.min()!)) / \(fmt(AnomalyDetector.median(values))) / \(fmt(values.max()!))" : "–"
            out += "| \(key) | \(now.map(fmt) ?? "n/a") | \(range) |\n"
        }
        out += "| growth_rate_mb_per_day | \(m.storage.growthRateMBPerDay.map(fmt) ?? "n/a") | |\n\n"
        out += "## Alerts\n\n"
        out += m.alerts.isEmpty ? "None.\n\n" : m.alerts.map { "- **\($0.severity.rawValue)**: \(cell($0.message))\n" }.joined() + "\n"
        out += "## Anomalies\n\n"
        out += data.anomalies.isEmpty ? "None against the stored history (robust z-score, |z| > 3.5).\n\n" : data.anomalies.map { "- \(cell($0.message))\n" }.joined() + "\n"
        out += "## Slowest statements\n\n"
        if data.analysis.slowQueries.isEmpty {
            out += "No statement statistics recorded.\n\n"
        } else {
            out += "| mean ms | calls | total ms | statement |\n| ---: | ---: | ---: | --- |\n"
            for q in data.analysis.slowQueries { out += "| \(fmt(q.meanTimeMS)) | \(q.calls) | \(fmt(q.totalTimeMS)) | `\(cell(String(q.query.prefix(200))))` |\n" }
            out += "\n"
        }
        out += "## Findings\n\n"
        if data.analysis.findings.isEmpty {
            out += "No findings.\n\n"
        } else {
            out += "| severity | rule | table | finding | recommendation |\n| --- | --- | --- | --- | --- |\n"
            for f in data.analysis.findings {
                out += "| \(f.severity.rawValue) | \(f.rule) | \(cell(f.table ?? "")) | \(cell(f.description)) | \(cell(f.recommendation)) |\n"
            }
            out += "\n"
        }
        out += "Score penalties: " + data.analysis.scoreBreakdown.sorted { $0.key < $1.key }.map { "\($0.key) −\(fmt($0.value))" }.joined(separator: ", ") + "\n\n"
        let skipped = (m.checks + data.analysis.notes).filter { $0.status != .ok }
        out += "## Checks not run\n\n"
        out += skipped.isEmpty ? "Every check ran.\n" : skipped.map { "- `\($0.name)` \($0.status.rawValue): \(cell($0.reason ?? ""))\n" }.joined()
        return out
    }

    static func fmt(_ v: Double) -> String { AlertEvaluator.format(v.rounded(to: 4)) }

    /// Text safe inside a table cell.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "`", with: "'")
    }
}
