// MonitoringBench: the figures `make bench` records for the Monitoring package.
//
//   swift run -c release --package-path Packages/Monitoring MonitoringBench
//
// Needs DBM_TEST_POSTGRES_URL (a PostgreSQL superuser URL; `make servers-start` and
// `source .tmp/test-env.sh` provide one). Creates and drops its own scratch database. Prints:
//   1. collect_metrics on a database of 1,000 tables (target: under 200 ms)
//   2. the CPU cost of monitoring at a 1-second interval, in % of one core (target: under 2%)
//   3. the measured speed-up of the missing-index case (target: at least 10x)
//   4. the cost of the server's statement record on the hot path (StatementRecorder.record) and of a flush
import Drivers
import Foundation
import Monitoring

@main
struct MonitoringBench {
    static func main() async throws {
        guard let url = ProcessInfo.processInfo.environment["DBM_TEST_POSTGRES_URL"], !url.isEmpty else {
            FileHandle.standardError.write(Data("MonitoringBench: set DBM_TEST_POSTGRES_URL (make servers-start; source .tmp/test-env.sh)\n".utf8))
            exit(2)
        }
        let server = try ConnectionConfiguration(url: url)
        let driver = Database.driver(for: .postgresql)
        let name = "dbm_bench_monitoring_\(ProcessInfo.processInfo.processIdentifier)"
        try await driver.createDatabase(name, options: .init(), on: server)
        let workspace = MonitoringWorkspace(directory: FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true))
        do {
            try await run(server.with(database: name), workspace: workspace)
        } catch {
            print("MonitoringBench failed: \(error)")
        }
        try? FileManager.default.removeItem(at: workspace.directory)
        try await driver.dropDatabase(name, ifExists: true, on: server.with(database: "postgres"))
    }

    static func run(_ configuration: ConnectionConfiguration, workspace: MonitoringWorkspace) async throws {
        let connection = try await Database.connect(configuration)
        defer { Task { await connection.close() } }
        // Plain statements rather than a PL/pgSQL loop: the schema must not depend on plpgsql being loadable.
        var script = "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\n"
        for i in 1...1000 {
            script += "CREATE TABLE t\(i) (id serial PRIMARY KEY, v integer, created_at timestamptz DEFAULT now());\n"
            script += "CREATE INDEX ON t\(i) (v);\n"
        }
        try await connection.executeScript(script + "ANALYZE;")
        let monitor = PerformanceMonitor(connection: connection, history: try await MetricsHistory.open(workspace))

        // 1. collect_metrics on 1,000 tables, every size read afresh (size_refresh_seconds 0).
        let fresh = CollectMetricsRequest(metricsConfig: MetricsConfig(sizeRefreshSeconds: 0))
        for _ in 0..<3 { _ = try await monitor.collectMetrics(fresh) }
        var times: [Double] = []
        for _ in 0..<20 {
            let start = ContinuousClock.now
            let metrics = try await monitor.collectMetrics(fresh)
            times.append(milliseconds(ContinuousClock.now - start))
            precondition(metrics.tableSizes.count >= 1000, "expected 1,000 tables in the sample")
        }
        let median = times.sorted()[times.count / 2]
        print(String(format: "collect_metrics, 1,000 tables (PostgreSQL): median %.1f ms, max %.1f ms over 20 samples (target < 200 ms): %@",
                     median, times.max() ?? 0, median < 200 ? "PASS" : "FAIL"))

        // 2. Monitoring at a 1-second interval with the default configuration (sizes re-read every 60 s):
        //    CPU of this process and of the PostgreSQL backend serving it.
        let backend = try await connection.scalar("SELECT pg_backend_pid()")?.textRepresentation.flatMap { Int32($0) }
        let samples = 20
        let cpuBefore = processCPUSeconds(), backendBefore = backend.flatMap(backendCPUSeconds)
        let wallStart = ContinuousClock.now
        _ = try await monitor.monitorDatabase(.init(interval: 1, samples: samples))
        let wall = milliseconds(ContinuousClock.now - wallStart) / 1000
        let client = (processCPUSeconds() - cpuBefore) / wall * 100
        let serverShare = backend.flatMap(backendCPUSeconds).flatMap { after in backendBefore.map { (after - $0) / wall * 100 } }
        print(String(format: "monitoring at a 1 s interval, 1,000 tables, %d samples over %.1f s: client %.2f%% of one core, PostgreSQL backend %@, total %@ (target < 2%%): %@",
                     samples, wall, client, serverShare.map { String(format: "%.2f%%", $0) } ?? "n/a",
                     String(format: "%.2f%%", client + (serverShare ?? 0)), client + (serverShare ?? 0) < 2 ? "PASS" : "FAIL"))

        // 3. The missing-index case: 500,000 orders, a lookup by customer.
        try await connection.executeScript("""
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL, amount numeric(10,2), note text);
            INSERT INTO orders SELECT g, g % 5000, (g % 97) * 1.5, 'order ' || g FROM generate_series(1, 500000) AS g;
            ANALYZE orders;
            CREATE EXTENSION IF NOT EXISTS hypopg;
            """)
        let query = "SELECT id, amount FROM orders WHERE customer_id = 4242"
        let result = try await monitor.optimizeDatabase(.init(optimizationType: .query, applyChanges: true, workload: [query], measureRuns: 9))
        if let m = result.measurements.first(where: { $0.query == query }) {
            print(String(format: "missing index (500,000 rows): %.2f ms -> %.3f ms, %.0fx faster, plan cost %.0f -> %.0f (target >= 10x): %@",
                         m.beforeMS, m.afterMS, m.speedup, m.planCostBefore ?? 0, m.planCostAfter ?? 0, m.speedup >= 10 ? "PASS" : "FAIL"))
        } else {
            print("missing index: no measurement (findings: \(result.findings.map(\.rule)))")
        }
        if let id = result.optimizationID { _ = try await monitor.rollbackOptimization(.init(optimizationID: id)) }
        await monitor.close()
        try await recorderCost(workspace: workspace)
    }

    /// What `DatabaseManager.execute_query` adds per statement: normalising the text and adding it to the
    /// in-memory aggregate; and what one batched flush of 1,000 distinct statements costs.
    static func recorderCost(workspace: MonitoringWorkspace) async throws {
        let recorder = StatementRecorder(workspace: workspace, capacity: 10_000, flushInterval: .seconds(3600))
        let calls = 200_000
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for i in 0..<calls {
                recorder.record("SELECT o.id, o.amount, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.customer_id = \(i % 5000) AND o.note <> 'x'",
                                dialect: .postgresql, databaseKey: "postgresql://bench@localhost/shop", durationMS: 0.5, rows: 3)
            }
        }
        try await recorder.flush()
        for i in 0..<1000 {
            recorder.record("SELECT * FROM table_\(i) WHERE id = 1", dialect: .postgresql, databaseKey: "postgresql://bench@localhost/shop", durationMS: 0.5, rows: 1)
        }
        let flush = try await clock.measure { try await recorder.flush() }
        await recorder.close()
        print(String(format: "statement record: %.2f µs per recorded statement (%d calls, one fingerprint); flush of 1,000 distinct statements %.1f ms (one transaction)",
                     milliseconds(elapsed) * 1000 / Double(calls), calls, milliseconds(flush)))
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// User + system CPU seconds of this process.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// User + system CPU seconds of a local process from /proc (the PostgreSQL backend), or nil when not readable.
    static func backendCPUSeconds(_ pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
