@testable import Monitoring
import Drivers
import Foundation
import XCTest

final class PerformanceReportTests: XCTestCase {
    func testMarkdownReportHasEverySection() async throws {
        try await forEachEngine { dialect in
            try await withScratch(dialect) { scratch in
                try await scratch.createOrders(rows: 2000)
                _ = try await scratch.monitor.collectMetrics()
                let report = try await scratch.monitor.generatePerformanceReport(.init(format: .markdown))
                for heading in ["# Performance report", "## Current metrics", "## Alerts", "## Anomalies", "## Slowest statements", "## Findings", "## Checks not run"] {
                    XCTAssertTrue(report.content.contains(heading), "\(dialect): \(heading)")
                }
                XCTAssertTrue(report.content.contains("optimization score"))
                XCTAssertTrue(report.content.contains("used_size_mb"))
            }
        }
    }

    func testHTMLReportIsSelfContainedAndWritten() async throws {
        try await withScratch(.sqlite) { scratch in
            try await scratch.createOrders(rows: 1500)
            _ = try await scratch.monitor.monitorDatabase(.init(interval: 0.05, samples: 4))
            _ = try await scratch.connection.execute("CREATE TABLE \"<script>x\" (a INTEGER)")
            let report = try await scratch.monitor.generatePerformanceReport(.init(format: .html, outputPath: "reports/r.html"))
            XCTAssertGreaterThanOrEqual(report.charts, 1)
            XCTAssertEqual(report.content.components(separatedBy: "<svg class=\"chart\"").count - 1, report.charts)
            for external in ["src=", "href=", "http://", "https://", "@import", "url("] {
                XCTAssertFalse(report.content.contains(external), "self-contained: no \(external)")
            }
            XCTAssertFalse(report.content.contains("<script>x"), "names are escaped")
            let path = try XCTUnwrap(report.path)
            XCTAssertTrue(path.hasPrefix(scratch.workspace.directory.path))
            XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), report.content)
        }
    }

    /// Opens the HTML report in headless Chromium and checks that the browser laid the SVG charts out
    /// (the page's inline script counts chart lines with a non-empty bounding box).
    func testChartsRenderInAHeadlessBrowser() async throws {
        let browser = try Self.chromium()
        try await withScratch(.sqlite) { scratch in
            try await scratch.createOrders(rows: 1200)
            _ = try await scratch.monitor.monitorDatabase(.init(interval: 0.05, samples: 5))
            let report = try await scratch.monitor.generatePerformanceReport(.init(format: .html, outputPath: "report.html"))
            XCTAssertGreaterThanOrEqual(report.charts, 2)
            let dom = try Self.run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", URL(fileURLWithPath: try XCTUnwrap(report.path)).absoluteString])
            let marker = try XCTUnwrap(dom.range(of: #"data-charts-rendered="(\d+)""#, options: .regularExpression), "the page's script ran")
            let count = Int(dom[marker].filter(\.isNumber))
            XCTAssertEqual(count, report.charts, "every chart was laid out with a visible line")
        }
    }

    /// The Chromium binary; skips when it is not installed (fails under CI=true when the dependency script installs it).
    static func chromium() throws -> String {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        var url = URL(fileURLWithPath: #filePath)
        var installsIt = false
        for _ in 0..<8 {
            url.deleteLastPathComponent()
            if let script = try? String(contentsOf: url.appendingPathComponent("scripts/install-deps.sh"), encoding: .utf8) {
                installsIt = script.contains("chromium")
                break
            }
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" && installsIt {
            XCTFail("chromium is not installed although scripts/install-deps.sh installs it")
        }
        throw XCTSkip("chromium is not installed (apt-get install -y chromium): the headless-browser check of the HTML report cannot run")
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
