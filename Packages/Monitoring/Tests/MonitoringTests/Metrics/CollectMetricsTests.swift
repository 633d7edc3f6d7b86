import DriverTestSupport
import Drivers
import Monitoring
import XCTest

final class CollectMetricsTests: XCTestCase {
    func testFirstSampleHasNoRatesAndSecondSampleHasDeltas() async throws {
        try await forEachEngine { dialect in
            let scratch = try await ScratchMonitor.make(dialect)
            do {
                try await scratch.createOrders(rows: 2000)
                if dialect == .postgresql { _ = try await scratch.connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements") }
                let first = try await scratch.monitor.collectMetrics()
                XCTAssertNil(first.performance.queriesPerSecond, "\(dialect): a first sample has no rate")
                XCTAssertNil(first.sampleIntervalSeconds)
                XCTAssertTrue(first.checks.contains { $0.name == "rates" && $0.status == .skipped }, "\(dialect)")
                XCTAssertNotNil(first.tableSizes["orders"], "\(dialect): \(first.tableSizes) \(first.checks)")
                XCTAssertGreaterThan(first.storage.usedSizeMB ?? 0, 0, "\(dialect)")

                for i in 0..<20 { _ = try await scratch.monitor.runRecorded("SELECT count(*) FROM orders WHERE customer_id = \(i)") }
                try await Task.sleep(for: .milliseconds(1100))
                let second = try await scratch.monitor.collectMetrics(.init(historicalData: true))
                XCTAssertNotNil(second.sampleIntervalSeconds, "\(dialect)")
                let qps = try XCTUnwrap(second.performance.queriesPerSecond, "\(dialect): \(second.checks)")
                XCTAssertGreaterThan(qps, 0, "\(dialect): the 20 queries ran in the interval")
                XCTAssertEqual(second.history?.count, 1, "\(dialect): one earlier sample")
                XCTAssertNotNil(second.storage.growthRateMBPerDay, "\(dialect): two samples a second apart give a growth rate")
                if dialect == .sqlite {
                    XCTAssertNil(second.connections.active)
                    XCTAssertTrue(second.checks.contains { $0.name == "connections" && $0.status == .skipped })
                } else {
                    XCTAssertNotNil(second.connections.total, "\(dialect)")
                    XCTAssertNotNil(second.lockWaits, "\(dialect)")
                    XCTAssertNotNil(second.performance.cacheHitRatio, "\(dialect)")
                }
                XCTAssertFalse(second.checks.contains { $0.status == .failed }, "\(dialect): \(second.checks.filter { $0.status == .failed })")
            } catch {
                await scratch.drop()
                throw error
            }
            await scratch.drop()
        }
    }

    func testMissingStatementStatisticsAreSkippedWithAReason() async throws {
        var collected: DatabaseMetrics?
        try await withScratch(.postgresql) { collected = try await $0.monitor.collectMetrics() }
        let metrics = try XCTUnwrap(collected)
        let check = try XCTUnwrap(metrics.checks.first { $0.name == "pg_stat_statements" })
        XCTAssertEqual(check.status, .skipped)
        XCTAssertTrue(check.reason?.contains("not installed") == true, check.reason ?? "")
        XCTAssertNil(metrics.queryCount)
    }

    func testAlertThresholdsRaiseAlertsAndUnknownMetricsAreSkipped() async throws {
        let scratch = try await ScratchMonitor.make(.sqlite)
        try await scratch.createOrders(rows: 100)
        let config = MetricsConfig(alertThresholds: ["used_size_mb": 0.001, "cpu": 80])
        let metrics = try await scratch.monitor.collectMetrics(.init(metricsConfig: config))
        await scratch.drop()
        let alert = try XCTUnwrap(metrics.alerts.first { $0.metric == "used_size_mb" })
        XCTAssertEqual(alert.severity, .critical, "far more than twice the limit")
        XCTAssertEqual(metrics.healthStatus, .critical)
        XCTAssertEqual(metrics.checks.first { $0.name == "alert_threshold.cpu" }?.status, .skipped)
    }

    func testEncodedMetricsCarryBothDocumentsFields() async throws {
        let scratch = try await ScratchMonitor.make(.sqlite)
        let metrics = try await scratch.monitor.collectMetrics()
        await scratch.drop()
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(metrics)) as! [String: Any]
        for key in ["connections_active", "connections_idle", "query_count", "slow_queries", "table_sizes", "index_usage",
                    "cache_hit_ratio", "lock_waits", "timestamp", "database_name", "connections", "performance", "storage",
                    "health_status", "alerts", "checks"] {
            XCTAssertNotNil(json[key], key)
        }
        let storage = try XCTUnwrap(json["storage"] as? [String: Any])
        XCTAssertEqual(Set(storage.keys), ["total_size_mb", "used_size_mb", "free_size_mb", "growth_rate_mb_per_day"])
        let decoded = try JSONDecoder().decode(DatabaseMetrics.self, from: JSONEncoder().encode(metrics))
        XCTAssertEqual(decoded, metrics)
    }
}

final class PrivilegeChecksTests: XCTestCase {
    /// A role without pg_read_all_stats cannot see other roles' sessions: reported as skipped, not as ok.
    func testHiddenSessionsOfOtherRolesAreReportedAsSkipped() async throws {
        try await withScratch(.postgresql) { scratch in
            let role = TestDatabases.uniqueName("dbm_mon_role")
            let password = "pw" + String(UInt32.random(in: 0...UInt32.max))
            _ = try await scratch.connection.execute("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'")
            _ = try await scratch.connection.execute("GRANT CONNECT ON DATABASE \(Dialect.postgresql.quote(scratch.configuration.database)) TO \(role)")
            var limited = scratch.configuration
            limited.username = role
            limited.password = password
            let other = try await Database.connect(scratch.configuration)  // a superuser session the role cannot inspect
            let connection = try await Database.connect(limited)
            let monitor = PerformanceMonitor(connection: connection, history: await scratch.monitor.history)
            let metrics = try await monitor.collectMetrics()
            await connection.close()
            await other.close()
            _ = try await scratch.connection.execute("REVOKE CONNECT ON DATABASE \(Dialect.postgresql.quote(scratch.configuration.database)) FROM \(role)")
            _ = try await scratch.connection.execute("DROP ROLE \(role)")
            let check = try XCTUnwrap(metrics.checks.first { $0.name == "pg_stat_activity.other_roles" }, "\(metrics.checks)")
            XCTAssertEqual(check.status, .skipped)
            XCTAssertGreaterThanOrEqual(metrics.connections.total ?? 0, 2)
        }
    }
}
