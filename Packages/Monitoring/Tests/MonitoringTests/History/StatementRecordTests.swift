import DatabaseDriver
import DriverTestSupport
import Drivers
@testable import Monitoring
import XCTest

/// The server's statement record: counts, normalised text, errors, batched flushes that survive a restart,
/// and its use by get_slow_queries and collect_metrics where the engine keeps no statement statistics.
final class StatementRecordTests: XCTestCase {
    func testRecordedStatementsAreCountedNormalisedAndSurviveAFlush() async throws {
        let scratch = try await ScratchMonitor.make(.sqlite)
        do {
            try await scratch.createOrders(rows: 500)
            for customer in 0..<5 { _ = try await scratch.monitor.runRecorded("SELECT count(*) FROM orders WHERE customer_id = \(customer)") }
            _ = try await scratch.monitor.runRecorded("SELECT * FROM orders WHERE note = ?", [.text("order 7")])
            do {
                _ = try await scratch.monitor.runRecorded("SELECT missing_column FROM orders WHERE id = 1")
                XCTFail("the column does not exist")
            } catch is DatabaseError {}

            let slow = try await scratch.monitor.getSlowQueries(.init(limit: 10))
            let count = try XCTUnwrap(slow.first { $0.query == "SELECT count(*) FROM orders WHERE customer_id = ?" }, "\(slow.map(\.query))")
            XCTAssertEqual(count.calls, 5)
            XCTAssertEqual(count.rows, 5, "one row each")
            XCTAssertEqual(count.source, "server")
            XCTAssertEqual(count.fingerprint?.count, 16)
            XCTAssertEqual(count.totalTimeMS, count.meanTimeMS * 5, accuracy: 1e-9)
            XCTAssertTrue(slow.contains { $0.query == "SELECT * FROM orders WHERE note = ?" && $0.calls == 1 })
            XCTAssertFalse(slow.contains { $0.query.contains("order 7") }, "bound values are never recorded")
            XCTAssertFalse(slow.contains { $0.query.contains("missing_column") }, "a statement that only failed has no completed calls")

            // A second history and recorder on the same workspace (another server process) reads what was flushed.
            let reopened = try await MetricsHistory.open(scratch.workspace)
            let totals = try await reopened.statementTotals(databaseKey: scratch.monitor.databaseKey)
            await reopened.close()
            XCTAssertEqual(totals.calls, 6)
            XCTAssertEqual(totals.errors, 1)
            XCTAssertEqual(totals.slowest.first { $0.query.hasPrefix("SELECT count(*)") }?.calls, 5)
        } catch {
            await scratch.drop()
            throw error
        }
        await scratch.drop()
    }

    func testRecorderIsBoundedInMemoryAndInTheHistoryWhileTotalsStayExact() async throws {
        let workspace = MonitoringWorkspace(directory: TestDatabases.temporaryDirectory())
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        let recorder = StatementRecorder(workspace: workspace, capacity: 2, retained: 3, flushInterval: .seconds(3600))
        let key = "sqlite:///bounded.db"
        // Three distinct statements before a flush: the third goes to the "other statements" entry.
        recorder.record("SELECT 1 FROM a", dialect: .sqlite, databaseKey: key, durationMS: 5, rows: 1)
        recorder.record("SELECT 1 FROM b", dialect: .sqlite, databaseKey: key, durationMS: 1, rows: 1)
        recorder.record("SELECT 1 FROM c", dialect: .sqlite, databaseKey: key, durationMS: 3, rows: 1)
        var totals = try await recorder.statementTotals(databaseKey: key)
        XCTAssertEqual(totals.calls, 3)
        XCTAssertEqual(totals.totalMS, 9, accuracy: 1e-9)
        XCTAssertEqual(Set(totals.slowest.map(\.query)), ["SELECT ? FROM a", "SELECT ? FROM b", StatementAggregate.otherText],
                       "c arrived when two statements were pending; it was counted under 'other'")
        // After the flush, new statements are itemised again; the history keeps the three with the most total time.
        recorder.record("SELECT 1 FROM c", dialect: .sqlite, databaseKey: key, durationMS: 10, rows: 1)
        totals = try await recorder.statementTotals(databaseKey: key)
        XCTAssertEqual(totals.calls, 4)
        XCTAssertEqual(totals.totalMS, 19, accuracy: 1e-9)
        XCTAssertEqual(Set(totals.slowest.map(\.query)), ["SELECT ? FROM c", "SELECT ? FROM a", StatementAggregate.otherText], "b had the least total time")
        await recorder.close()
    }

    func testCollectMetricsOnSQLiteReadsSlowStatementsAndMeanTimeFromTheRecord() async throws {
        try await withScratch(.sqlite) { scratch in
            try await scratch.createOrders(rows: 500)
            let first = try await scratch.monitor.collectMetrics()
            XCTAssertEqual(first.checks.first { $0.name == "server_statement_record" }?.status, .skipped, "nothing recorded yet")
            for i in 0..<4 { _ = try await scratch.monitor.runRecorded("SELECT sum(amount) FROM orders WHERE customer_id = \(i)") }
            let config = MetricsConfig(slowQueryThresholdMS: 0)
            let second = try await scratch.monitor.collectMetrics(.init(metricsConfig: config))
            XCTAssertEqual(second.checks.first { $0.name == "server_statement_record" }?.status, .ok, "\(second.checks)")
            let slow = try XCTUnwrap(second.slowQueries.first { $0.query == "SELECT sum(amount) FROM orders WHERE customer_id = ?" }, "\(second.slowQueries)")
            XCTAssertEqual(slow.calls, 4)
            XCTAssertEqual(slow.source, "server")
            XCTAssertEqual(second.queryCount, 4)
            XCTAssertNotNil(second.performance.avgQueryTimeMS, "four statements ran in the interval: \(second.checks)")
        }
    }

    func testPostgreSQLWithoutPgStatStatementsFallsBackToTheRecord() async throws {
        try await withScratch(.postgresql) { scratch in
            try await scratch.createOrders(rows: 500)
            _ = try await scratch.connection.execute("DROP EXTENSION IF EXISTS pg_stat_statements")
            _ = try await scratch.monitor.collectMetrics()
            for i in 0..<3 { _ = try await scratch.monitor.runRecorded("SELECT count(*) FROM orders WHERE amount > \(i)") }
            let metrics = try await scratch.monitor.collectMetrics(.init(metricsConfig: MetricsConfig(slowQueryThresholdMS: 0)))
            XCTAssertEqual(metrics.checks.first { $0.name == "pg_stat_statements" }?.status, .skipped)
            XCTAssertEqual(metrics.checks.first { $0.name == "server_statement_record" }?.status, .ok, "\(metrics.checks)")
            XCTAssertEqual(metrics.slowQueries.first { $0.query == "SELECT count(*) FROM orders WHERE amount > ?" }?.calls, 3, "\(metrics.slowQueries)")
            XCTAssertNotNil(metrics.performance.avgQueryTimeMS, "\(metrics.checks)")
            XCTAssertNil(metrics.queryCount, "query_count stays the engine's figure")
            let slow = try await scratch.monitor.getSlowQueries(.init(limit: 5))
            XCTAssertEqual(slow.first { $0.query.hasPrefix("SELECT count(*) FROM orders") }?.source, "server")
        }
    }
}
