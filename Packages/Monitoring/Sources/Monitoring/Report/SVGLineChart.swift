import Foundation

/// An inline SVG line chart of one metric over time: axes, min/max labels, the line and its points.
struct SVGLineChart {
    var title: String
    var points: [(Double, Double)]
    var width = 560.0
    var height = 200.0

    func render() -> String {
        let left = 56.0, right = 12.0, top = 28.0, bottom = 30.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xs = points.map(\.0), ys = points.map(\.1)
        let x0 = xs.min() ?? 0, x1 = max(xs.max() ?? 1, x0 + 1e-9)
        var y0 = ys.min() ?? 0, y1 = ys.max() ?? 1
        if y1 - y0 < 1e-12 { y0 -= 1; y1 += 1 }
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - y0) / (y1 - y0) * plotH }
        let coordinates = points.map { String(format: "%.1f,%.1f", px($0.0), py($0.1)) }.joined(separator: " ")
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"\(HTMLReportRenderer.escape(title))\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        svg += "<title>\(HTMLReportRenderer.escape(title))</title>"
        svg += "<text x=\"\(Int(left))\" y=\"18\" class=\"chart-title\">\(HTMLReportRenderer.escape(title))</text>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" class=\"axis\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" class=\"axis\"/>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + 4)\" text-anchor=\"end\" class=\"label\">\(label(y1))</text>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + plotH)\" text-anchor=\"end\" class=\"label\">\(label(y0))</text>"
        svg += "<text x=\"\(left)\" y=\"\(height - 8)\" class=\"label\">\(time(x0))</text>"
        svg += "<text x=\"\(left + plotW)\" y=\"\(height - 8)\" text-anchor=\"end\" class=\"label\">\(time(x1))</text>"
        svg += "<polyline class=\"series\" points=\"\(coordinates)\"/>"
        for p in points { svg += String(format: "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>", px(p.0), py(p.1)) }
        return svg + "</svg>"
    }

    private func label(_ v: Double) -> String { AlertEvaluator.format(v.rounded(to: 3)) }

    private func time(_ t: Double) -> String {
        let iso = Clock.iso8601(t)
        return String(iso.dropFirst(11).prefix(8)) + " UTC"
    }
}
