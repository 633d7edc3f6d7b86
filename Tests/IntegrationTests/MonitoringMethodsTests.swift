import DBMServer
import DriverTestSupport
import Drivers
import Foundation
import JSONRPC
import XCTest

/// The Monitoring package's methods through the protocol, against real databases on each engine.
final class MonitoringMethodsTests: XCTestCase {
    func testMonitorOptimizeRollbackAndReportOnEachEngine() async throws {
        let server = InProcessServer()
        try server.initialize()
        let workspace = JSONValue.string(TestDatabases.temporaryDirectory().path)
        for dialect in Dialect.allCases {
            let driver = Database.driver(for: dialect)
            let scratch = try await TestDatabases.scratchDatabase(using: driver, on: try TestDatabases.server(dialect), prefix: "it_mon")
            let connection = try await Database.connect(scratch)
            let rows = 20_000
            switch dialect {
            case .postgresql:
                try await connection.executeScript("""
                    CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL, amount numeric(10,2));
                    INSERT INTO orders SELECT g, g % 1000, g % 97 FROM generate_series(1, \(rows)) g; ANALYZE orders;
                    """)
            case .mysql:
                try await connection.executeScript("""
                    CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, amount decimal(10,2)) ENGINE=InnoDB;
                    INSERT INTO orders SELECT seq, seq % 1000, seq % 97 FROM seq_1_to_\(rows); ANALYZE TABLE orders;
                    """)
            case .sqlite:
                try await connection.executeScript("""
                    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, amount NUMERIC);
                    WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < \(rows)) INSERT INTO orders SELECT n, n % 1000, n % 97 FROM g;
                    """)
            }
            await connection.close()
            do {
                try checkMethods(server, url: .string(scratch.url), workspace: workspace, dialect: dialect)
            } catch {
                await TestDatabases.dropScratchDatabase(using: driver, scratch)
                throw error
            }
            await TestDatabases.dropScratchDatabase(using: driver, scratch)
        }
        _ = try await server.shutdown()
    }

    /// Every monitoring method once, against a database with 20,000 orders and no index on customer_id.
    private func checkMethods(_ server: InProcessServer, url: JSONValue, workspace: JSONValue, dialect: Dialect) throws {
        // 000's form: database_name as a URL; 001's form: the target plus metrics_config.
        let first = try server.call("monitor_database", ["database_name": url, "workspace_dir": workspace])
        XCTAssertEqual(first["engine"]?.stringValue, dialect.rawValue)
        XCTAssertEqual(first["performance"]?["queries_per_second"], .null, "\(dialect): no previous sample")
        XCTAssertNotNil(first["connections_active"], "000's flat fields are present")
        let second = try server.call("monitor_database", ["database_url": url, "workspace_dir": workspace,
            "metrics_config": ["alert_thresholds": ["used_size_mb": 0.0001, "cpu": 80]], "historical_data": true])
        XCTAssertNotEqual(second["sample_interval_seconds"], .null)
        XCTAssertEqual(second["health_status"], "critical", "\(dialect): used_size_mb far above its threshold")
        XCTAssertEqual(second["history"]?.arrayValue?.count, 1)
        let skipped = (second["checks"]?.arrayValue ?? []).filter { $0["status"] == "skipped" }.compactMap { $0["name"]?.stringValue }
        XCTAssertTrue(skipped.contains("alert_threshold.cpu"), "\(dialect): \(skipped)")

        let query = "SELECT id, amount FROM orders WHERE customer_id = 42"
        let timed = try server.call("PerformanceMonitor.monitor_query_performance", ["database_url": url, "workspace_dir": workspace, "query": .string(query), "runs": 2])
        XCTAssertEqual(timed["full_scans"], ["orders"], "\(dialect)")
        XCTAssertEqual(timed["timing"]?["runs"], 2)

        let optimized = try server.call("optimize_database", ["database_url": url, "workspace_dir": workspace, "optimization_type": "query",
                                                              "apply_changes": true, "workload": [.string(query)]])
        XCTAssertEqual(optimized["indexes_created"], 1, "\(dialect): \(optimized["findings"] ?? .null)")
        XCTAssertEqual(optimized["rollback_available"], true)
        XCTAssertNotNil(optimized["performance_improvement"]?.doubleValue, "\(dialect): measured, so a number (not null)")
        let id = try XCTUnwrap(optimized["optimization_id"]?.stringValue)
        let undone = try server.call("PerformanceMonitor.rollback_optimization", ["database_url": url, "workspace_dir": workspace, "optimization_id": .string(id)])
        XCTAssertEqual(undone["rolled_back"]?.arrayValue?.count, 1)

        let summary = try server.call("DatabaseMetrics.get_summary", ["database_url": url, "workspace_dir": workspace])
        XCTAssertGreaterThanOrEqual(summary["samples"]?.integerValue ?? 0, 2)
        XCTAssertEqual(try server.call("DatabaseMetrics.detect_anomalies", ["database_url": url, "workspace_dir": workspace]).arrayValue?.count, 0)
        let latest = try server.call("DatabaseMetrics.to_dict", ["database_url": url, "workspace_dir": workspace])
        XCTAssertEqual(latest["timestamp"], second["timestamp"])

        XCTAssertNotNil(try server.call("PerformanceMonitor.get_slow_queries", ["database_url": url, "workspace_dir": workspace, "limit": 3]).arrayValue)
        let suggestions = try server.call("PerformanceMonitor.suggest_optimizations", ["database_url": url, "workspace_dir": workspace])
        XCTAssertNotNil(suggestions.arrayValue)
        let report = try server.call("PerformanceMonitor.generate_performance_report", ["database_url": url, "workspace_dir": workspace, "format": "markdown"])
        XCTAssertTrue(report["content"]?.stringValue?.hasPrefix("# Performance report") == true)
    }

    func testMonitoringErrorsCarryTheirSpecClass() async throws {
        let server = InProcessServer()
        try server.initialize()
        let url = JSONValue.string(try TestDatabases.server(.sqlite).url)
        let workspace = JSONValue.string(TestDatabases.temporaryDirectory().path)
        XCTAssertThrowsError(try server.call("optimize_database", ["database_url": url, "workspace_dir": workspace, "optimization_type": "speed"])) { error in
            XCTAssertEqual((error as? RPCError)?.code, -32050)
            XCTAssertEqual((error as? RPCError)?.data?["type"], "OptimizationError")
            XCTAssertEqual((error as? RPCError)?.data?["kind"], "invalid_optimization_type")
        }
        XCTAssertThrowsError(try server.call("PerformanceMonitor.monitor_query_performance", ["database_url": url, "workspace_dir": workspace, "query": "DROP TABLE x"])) { error in
            XCTAssertEqual((error as? RPCError)?.code, -32040)
            XCTAssertEqual((error as? RPCError)?.data?["type"], "MonitoringError")
            XCTAssertEqual((error as? RPCError)?.data?["kind"], "unsafe_statement")
        }
        XCTAssertThrowsError(try server.call("DatabaseMetrics.get_summary", ["database_url": url, "workspace_dir": workspace])) { error in
            XCTAssertEqual((error as? RPCError)?.data?["kind"], "no_history")
        }
        _ = try await server.shutdown()
    }
}

/// The server's statement record and the health check, through the protocol.
final class StatementRecordMethodsTests: XCTestCase {
    func testExecuteQueryFeedsSlowQueriesAndCollectMetricsOnSQLite() async throws {
        let workspace = TestDatabases.temporaryDirectory().path
        let directory = TestDatabases.temporaryDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = JSONValue.string("sqlite:///" + directory.appendingPathComponent("record.db").path)  // sqlite:////abs/path
        let server = InProcessServer(state: ServerState(workspaceDir: workspace))
        try server.initialize()
        _ = try server.call("DatabaseManager.execute_query", ["database_url": url, "query": "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"])
        for i in 0..<3 {
            _ = try server.call("DatabaseManager.execute_query", ["database_url": url, "query": "INSERT INTO t (v) VALUES (?)", "params": [.string("value \(i)")]])
            _ = try server.call("DatabaseManager.execute_query", ["database_url": url, "query": .string("SELECT v FROM t WHERE id = \(i + 1)")])
        }
        let slow = try XCTUnwrap(server.call("PerformanceMonitor.get_slow_queries", ["database_url": url, "limit": 10]).arrayValue)
        let select = try XCTUnwrap(slow.first { $0["query"] == "SELECT v FROM t WHERE id = ?" }, "\(slow)")
        XCTAssertEqual(select["calls"], 3)
        XCTAssertEqual(select["rows"], 3)
        XCTAssertEqual(select["source"], "server")
        XCTAssertEqual(slow.first { $0["query"] == "INSERT INTO t (v) VALUES (?)" }?["calls"], 3)
        XCTAssertFalse(slow.contains { ($0["query"]?.stringValue ?? "").contains("value") }, "bound values stay out")

        let metrics = try server.call("PerformanceMonitor.collect_metrics", ["database_url": url, "metrics_config": ["slow_query_threshold_ms": 0]])
        XCTAssertEqual(metrics["query_count"], 7, "\(metrics["checks"] ?? .null)")
        XCTAssertTrue((metrics["slow_queries"]?.arrayValue ?? []).contains { $0["query"] == "SELECT v FROM t WHERE id = ?" && $0["calls"] == 3 })
        _ = try await server.shutdown()

        // The shutdown flushed the record: a new server on the same workspace reads it.
        let again = InProcessServer(state: ServerState(workspaceDir: workspace))
        try again.initialize()
        let reread = try XCTUnwrap(again.call("PerformanceMonitor.get_slow_queries", ["database_url": url, "limit": 10]).arrayValue)
        XCTAssertEqual(reread.first { $0["query"] == "SELECT v FROM t WHERE id = ?" }?["calls"], 3)
        _ = try await again.shutdown()
    }

    func testHealthCheckReportsCollectMetricsHealthOnEachEngine() async throws {
        let server = InProcessServer()
        try server.initialize()
        for dialect in Dialect.allCases {
            let driver = Database.driver(for: dialect)
            let scratch = try await TestDatabases.scratchDatabase(using: driver, on: try TestDatabases.server(dialect), prefix: "it_health")
            do {
                // One table, so every engine reports a size above the tight threshold below.
                let connection = try await Database.connect(scratch)
                _ = try await connection.execute("CREATE TABLE health_t (id INTEGER PRIMARY KEY)")
                await connection.close()
                let url = JSONValue.string(scratch.url)
                let health = try server.call("manage_databases", ["operation": "health_check", "database_url": url])
                XCTAssertEqual(health["success"], true, "\(dialect): \(health)")
                XCTAssertNotNil(health["details"]?["latency_ms"]?.doubleValue, "\(dialect)")
                XCTAssertNotNil(health["details"]?["server_version"]?.stringValue, "\(dialect)")
                XCTAssertNotNil(health["checks"]?.arrayValue, "\(dialect): collect_metrics' checks are reported")
                let critical = try server.call("manage_databases", ["operation": "health_check", "database_url": url,
                                                                    "metrics_config": ["alert_thresholds": ["used_size_mb": 0.000001]]])
                XCTAssertEqual(critical["health_status"], "critical", "\(dialect): \(critical)")
                XCTAssertEqual(critical["alerts"]?.arrayValue?.first { $0["metric"] == "used_size_mb" }?["severity"], "critical")
            } catch {
                await TestDatabases.dropScratchDatabase(using: driver, scratch)
                throw error
            }
            await TestDatabases.dropScratchDatabase(using: driver, scratch)
        }
        var unreachable = try TestDatabases.server(.postgresql)
        unreachable.port = 1
        let down = try server.call("manage_databases", ["operation": "health_check", "database_url": .string(unreachable.url)])
        XCTAssertEqual(down["success"], false)
        XCTAssertEqual(down["health_status"], "critical")
        XCTAssertNotNil(down["error_message"]?.stringValue)
        _ = try await server.shutdown()
    }
}
