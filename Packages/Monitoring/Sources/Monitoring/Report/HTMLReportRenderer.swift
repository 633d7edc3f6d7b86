/// Renders a report as one self-contained HTML page: inline CSS, inline SVG charts, and a few lines of
/// inline script that mark the page once the charts have laid out (`data-charts-rendered` on `<body>`,
/// used by the headless-browser test). No external asset is referenced.
enum HTMLReportRenderer {
    static func render(_ data: ReportData) -> (String, Int) {
        let m = data.metrics
        var charts: [String] = []
        for (key, title) in ReportData.chartedMetrics {
            let points = data.series(key)
            if points.count >= 2 { charts.append(SVGLineChart(title: title, points: points).render()) }
        }
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Performance report: \(escape(m.databaseName))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2330;max-width:1200px}
            h1{font-size:1.5rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d5dd}
            .badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;color:#fff;font-weight:600}
            .healthy{background:#2e7d32}.warning{background:#ed6c02}.critical{background:#c62828}.info{background:#0277bd}
            table{border-collapse:collapse;width:100%;font-size:.9rem} td,th{border:1px solid #d0d5dd;padding:.3rem .5rem;text-align:left;vertical-align:top}
            code{font-size:.85rem} .charts{display:flex;flex-wrap:wrap;gap:1rem}
            svg.chart{background:#fafbfc;border:1px solid #e4e7ec} .axis{stroke:#98a2b3} .series{fill:none;stroke:#1565c0;stroke-width:2}
            .point{fill:#1565c0} .label{font-size:10px;fill:#475467} .chart-title{font-size:12px;font-weight:600;fill:#1d2330}
            </style></head>
            <body>
            <h1>Performance report: \(escape(m.databaseName))</h1>
            <p>Generated \(escape(data.generatedAt)) · engine \(escape(m.engine)) · health <span class="badge \(m.healthStatus.rawValue)">\(m.healthStatus.rawValue)</span>
            · optimization score <strong>\(data.analysis.optimizationScore)/100</strong> · \(data.history.count + 1) samples</p>

            """
        html += "<h2>History</h2>\n"
        html += charts.isEmpty ? "<p>Charts need at least two stored samples; run <code>monitor_database</code> with an interval first.</p>\n"
                               : "<div class=\"charts\">\n" + charts.joined(separator: "\n") + "\n</div>\n"
        html += "<h2>Current metrics</h2>\n<table><tr><th>metric</th><th>value</th></tr>\n"
        for key in MetricsHistoryKeys.all {
            if let v = m.numericValues[key] { html += "<tr><td>\(key)</td><td>\(MarkdownReportRenderer.fmt(v))</td></tr>\n" }
        }
        html += "<tr><td>growth_rate_mb_per_day</td><td>\(m.storage.growthRateMBPerDay.map(MarkdownReportRenderer.fmt) ?? "n/a")</td></tr></table>\n"
        html += "<h2>Alerts</h2>\n" + list(m.alerts.map { "<span class=\"badge \($0.severity.rawValue)\">\($0.severity.rawValue)</span> " + escape($0.message) }, empty: "None.")
        html += "<h2>Anomalies</h2>\n" + list(data.anomalies.map { escape($0.message) }, empty: "None against the stored history.")
        html += "<h2>Slowest statements</h2>\n"
        if data.analysis.slowQueries.isEmpty {
            html += "<p>No statement statistics recorded.</p>\n"
        } else {
            html += "<table><tr><th>mean ms</th><th>calls</th><th>total ms</th><th>statement</th></tr>\n"
            for q in data.analysis.slowQueries {
                html += "<tr><td>\(MarkdownReportRenderer.fmt(q.meanTimeMS))</td><td>\(q.calls)</td><td>\(MarkdownReportRenderer.fmt(q.totalTimeMS))</td><td><code>\(escape(String(q.query.prefix(300))))</code></td></tr>\n"
            }
            html += "</table>\n"
        }
        html += "<h2>Findings</h2>\n"
        if data.analysis.findings.isEmpty {
            html += "<p>No findings.</p>\n"
        } else {
            html += "<table><tr><th>severity</th><th>rule</th><th>table</th><th>finding</th><th>recommendation</th></tr>\n"
            for f in data.analysis.findings {
                html += "<tr><td><span class=\"badge \(f.severity.rawValue)\">\(f.severity.rawValue)</span></td><td>\(f.rule)</td><td>\(escape(f.table ?? ""))</td><td>\(escape(f.description))</td><td>\(escape(f.recommendation))</td></tr>\n"
            }
            html += "</table>\n"
        }
        let skipped = (m.checks + data.analysis.notes).filter { $0.status != .ok }
        html += "<h2>Checks not run</h2>\n" + list(skipped.map { "<code>\(escape($0.name))</code> \($0.status.rawValue): \(escape($0.reason ?? ""))" }, empty: "Every check ran.")
        html += """
            <script>
            (function () {
              var rendered = 0;
              document.querySelectorAll('svg.chart polyline.series').forEach(function (line) {
                var box = line.getBBox();
                if (box.width > 0 && line.getTotalLength() > 0) { rendered += 1; }
              });
              document.body.setAttribute('data-charts-rendered', String(rendered));
            })();
            </script>
            </body></html>

            """
        return (html, charts.count)
    }

    static func list(_ items: [String], empty: String) -> String {
        items.isEmpty ? "<p>\(escape(empty))</p>\n" : "<ul>\n" + items.map { "<li>\($0)</li>\n" }.joined() + "</ul>\n"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
