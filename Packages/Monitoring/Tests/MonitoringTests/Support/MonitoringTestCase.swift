import DriverTestSupport
import Drivers
import Foundation
import Monitoring
import XCTest

/// A scratch database on one engine with a monitor over it and a temporary workspace; dropped afterwards.
final class ScratchMonitor: Sendable {
    let configuration: ConnectionConfiguration
    let connection: any DatabaseConnection
    let monitor: PerformanceMonitor
    let workspace: MonitoringWorkspace

    private init(configuration: ConnectionConfiguration, connection: any DatabaseConnection, monitor: PerformanceMonitor, workspace: MonitoringWorkspace) {
        self.configuration = configuration
        self.connection = connection
        self.monitor = monitor
        self.workspace = workspace
    }

    /// Creates the scratch database (skips when the engine's test server is not configured).
    static func make(_ dialect: Dialect, workspace: MonitoringWorkspace? = nil) async throws -> ScratchMonitor {
        let driver = Database.driver(for: dialect)
        let configuration = try await TestDatabases.scratchDatabase(using: driver, on: try TestDatabases.server(dialect), prefix: "dbm_mon")
        let connection = try await Database.connect(configuration)
        let workspace = workspace ?? MonitoringWorkspace(directory: TestDatabases.temporaryDirectory())
        let history = try await MetricsHistory.open(workspace)
        return ScratchMonitor(configuration: configuration, connection: connection,
                              monitor: PerformanceMonitor(connection: connection, history: history), workspace: workspace)
    }

    /// Closes everything and drops the scratch database.
    func drop() async {
        await monitor.close()
        await connection.close()
        await TestDatabases.dropScratchDatabase(using: Database.driver(for: configuration.dialect), configuration)
        try? FileManager.default.removeItem(at: workspace.directory)
    }

    /// Creates `name` with `rows` rows (`id`, `customer_id` = id % 1000, `amount`, `note`), no secondary index.
    func createOrders(_ name: String = "orders", rows: Int) async throws {
        let d = configuration.dialect
        let t = d.quote(name)
        switch d {
        case .postgresql:
            try await connection.executeScript("""
                CREATE TABLE \(t) (id bigint PRIMARY KEY, customer_id integer NOT NULL, amount numeric(10,2), note text);
                INSERT INTO \(t) SELECT g, g % 1000, (g % 97) * 1.5, 'order ' || g FROM generate_series(1, \(rows)) AS g;
                ANALYZE \(t);
                """)
        case .mysql:
            try await connection.executeScript("""
                CREATE TABLE \(t) (id bigint PRIMARY KEY, customer_id int NOT NULL, amount decimal(10,2), note varchar(100)) ENGINE=InnoDB;
                INSERT INTO \(t) SELECT seq, seq % 1000, (seq % 97) * 1.5, CONCAT('order ', seq) FROM seq_1_to_\(rows);
                ANALYZE TABLE \(t);
                """)
        case .sqlite:
            try await connection.executeScript("""
                CREATE TABLE \(t) (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, amount NUMERIC, note TEXT);
                WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < \(rows))
                INSERT INTO \(t) SELECT n, n % 1000, (n % 97) * 1.5, 'order ' || n FROM g;
                """)
        }
    }
}

extension ScratchMonitor {
    /// True when the catalog lists an index named `name` in the scratch database.
    func indexExists(_ name: String) async throws -> Bool {
        let sql = switch configuration.dialect {
        case .sqlite: "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?"
        case .postgresql: "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1"
        case .mysql: "SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = ?"
        }
        return try await connection.scalar(sql, [.text(name)]) != nil
    }
}

/// Runs `body` with a scratch monitor on `dialect`, dropping the database whatever happens.
func withScratch(_ dialect: Dialect, _ body: (ScratchMonitor) async throws -> Void) async throws {
    let scratch = try await ScratchMonitor.make(dialect)
    do {
        try await body(scratch)
    } catch {
        await scratch.drop()
        throw error
    }
    await scratch.drop()
}

/// Runs `body` once per engine; an engine whose server is not configured is skipped (XCTSkip), the others run.
func forEachEngine(_ body: (Dialect) async throws -> Void) async throws {
    var skipped: [String] = []
    for dialect in [Dialect.sqlite, .postgresql, .mysql] {
        do {
            try await body(dialect)
        } catch let skip as XCTSkip {
            skipped.append("\(dialect.rawValue): \(skip.message ?? "")")
        }
    }
    if skipped.count == 3 { throw XCTSkip(skipped.joined(separator: "; ")) }
}
