@testable import Monitoring
import DriverTestSupport
import Drivers
import XCTest

final class HistoryAndAnomalyTests: XCTestCase {
    func testMonitorDatabaseSamplesAtAnIntervalWithProgressAndKeepsHistory() async throws {
        try await withScratch(.sqlite) { scratch in
            try await scratch.createOrders(rows: 500)
            let seen = Counter()
            let last = try await scratch.monitor.monitorDatabase(.init(interval: 0.6, samples: 3, historicalData: true)) { _, n in
                await seen.add(n)
            }
            let numbers = await seen.values
            XCTAssertEqual(numbers, [1, 2, 3])
            XCTAssertEqual(last.history?.count, 2, "the two samples before the last")
            XCTAssertEqual(try XCTUnwrap(last.sampleIntervalSeconds), 0.6, accuracy: 0.2)
            let summary = try await scratch.monitor.getSummary()
            XCTAssertEqual(summary.samples, 3)
            XCTAssertEqual(summary.metrics["used_size_mb"]?.samples, 3)
            XCTAssertNotNil(summary.growthRateMBPerDay)
            XCTAssertEqual(summary.lastTimestamp, last.timestamp)
        }
    }

    func testMonitoringStopsWhenCancelled() async throws {
        try await withScratch(.sqlite) { scratch in
            let monitor = scratch.monitor
            let task = Task { try await monitor.monitorDatabase(.init(interval: 0.05)) }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            do {
                _ = try await task.value
                XCTFail("an open-ended monitor runs until cancelled")
            } catch is CancellationError {
            } catch let error as DatabaseError where error.code == .cancelled {
            }
            let summary = try await monitor.getSummary()
            XCTAssertGreaterThan(summary.samples, 2)
        }
    }

    func testAnomalyIsDetectedFromRecordedSamples() async throws {
        try await withScratch(.postgresql) { scratch in
            let history = await scratch.monitor.history
            let key = scratch.monitor.databaseKey
            let start = Clock.now() - 3600
            for (i, qps) in [100.0, 104, 98, 101, 99, 103, 97, 102].enumerated() {
                var m = DatabaseMetrics(timestamp: Clock.iso8601(start + Double(i) * 60), databaseName: "db", engine: "postgresql")
                m.performance.queriesPerSecond = qps
                m.performance.cacheHitRatio = 0.99
                try await history.record(m, counters: .init(), takenAt: start + Double(i) * 60, databaseKey: key)
            }
            let quiet = try await scratch.monitor.detectAnomalies()
            XCTAssertEqual(quiet, [], "the last recorded sample is ordinary")

            var spike = DatabaseMetrics(timestamp: Clock.iso8601(Clock.now()), databaseName: "db", engine: "postgresql")
            spike.performance.queriesPerSecond = 450
            spike.performance.cacheHitRatio = 0.99
            let anomalies = try await scratch.monitor.anomalies(.init(metrics: spike))
            XCTAssertEqual(anomalies.map(\.metric), ["queries_per_second"])
            XCTAssertGreaterThan(try XCTUnwrap(anomalies.first?.zScore), 3.5)
            XCTAssertEqual(anomalies.first?.median, 100.5)

            let summary = try await scratch.monitor.getSummary(.init(metrics: spike))
            XCTAssertEqual(summary.samples, 9)
            XCTAssertEqual(summary.metrics["queries_per_second"]?.max, 450)
            XCTAssertEqual(summary.anomalies.count, 1)
        }
    }

    func testSummaryWithoutHistoryIsAnError() async throws {
        try await withScratch(.sqlite) { scratch in
            do {
                _ = try await scratch.monitor.getSummary()
                XCTFail("no sample yet")
            } catch let error as MonitoringError {
                XCTAssertEqual(error.code, .noHistory)
            }
        }
    }

    func testFlatHistoryFlagsAClearChangeOnly() {
        let flat = Array(repeating: ["lock_waits": 0.0, "cache_hit_ratio": 0.99], count: 6)
        XCTAssertEqual(AnomalyDetector.detect(latest: ["lock_waits": 0, "cache_hit_ratio": 0.985], timestamp: "t", previous: flat), [])
        XCTAssertEqual(AnomalyDetector.detect(latest: ["lock_waits": 4], timestamp: "t", previous: flat).map(\.metric), ["lock_waits"])
        XCTAssertEqual(AnomalyDetector.detect(latest: ["lock_waits": 4], timestamp: "t", previous: Array(flat.prefix(4))), [], "too few samples")
    }
}

/// Collects values from concurrent callbacks.
actor Counter {
    var values: [Int] = []
    func add(_ n: Int) { values.append(n) }
}

final class HistoryRetentionTests: XCTestCase {
    func testSamplesOlderThanTheRetentionAreDeletedOnOpen() async throws {
        let workspace = MonitoringWorkspace(directory: TestDatabases.temporaryDirectory())
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        let history = try await MetricsHistory.open(workspace)
        let old = DatabaseMetrics(timestamp: Clock.iso8601(Clock.now() - 100 * 86_400), databaseName: "db", engine: "sqlite")
        let recent = DatabaseMetrics(timestamp: Clock.iso8601(Clock.now() - 86_400), databaseName: "db", engine: "sqlite")
        try await history.record(old, counters: .init(), takenAt: Clock.now() - 100 * 86_400, databaseKey: "k")
        try await history.record(recent, counters: .init(), takenAt: Clock.now() - 86_400, databaseKey: "k")
        await history.close()
        let reopened = try await MetricsHistory.open(workspace)
        let kept = try await reopened.samples(databaseKey: "k")
        await reopened.close()
        XCTAssertEqual(kept.map(\.metrics.timestamp), [recent.timestamp])
    }
}
