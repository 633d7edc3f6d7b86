@testable import Monitoring
import Drivers
import XCTest

final class MaintenanceRulesTests: XCTestCase {
    func testSequencesNearExhaustionAreFound() async throws {
        try await withScratch(.postgresql) { scratch in
            try await scratch.connection.executeScript("""
                CREATE TABLE tickets (id serial PRIMARY KEY, note text);
                SELECT setval('tickets_id_seq', 2000000000);
                CREATE SEQUENCE spare AS bigint;
                SELECT nextval('spare');
                """)
            let result = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .maintenance))
            let findings = result.findings.filter { $0.rule == "sequence_exhaustion" }
            XCTAssertEqual(findings.count, 1, "only the serial sequence is near its end: \(findings)")
            XCTAssertEqual(findings.first?.severity, .critical, "93% of the int4 range")
            XCTAssertEqual(findings.first?.table, "tickets")
            XCTAssertFalse(findings.first?.automatic ?? true)
        }
        try await withScratch(.mysql) { scratch in
            try await scratch.connection.executeScript("""
                CREATE TABLE flags (id TINYINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(10)) ENGINE=InnoDB AUTO_INCREMENT=110;
                INSERT INTO flags (name) VALUES ('a');
                """)
            let result = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .maintenance))
            let finding = try XCTUnwrap(result.findings.first { $0.rule == "sequence_exhaustion" }, "\(result.findings)")
            XCTAssertEqual(finding.table, "flags")
            XCTAssertEqual(finding.evidence["max_value"], 127)
        }
    }

    func testNeverAnalyzedTablesAreAnalyzedByMaintenance() async throws {
        try await withScratch(.sqlite) { scratch in
            try await scratch.createOrders(rows: 3000)
            _ = try await scratch.connection.execute("CREATE INDEX orders_customer ON orders (customer_id)")
            let before = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .maintenance))
            XCTAssertEqual(before.findings.filter { $0.rule == "stale_statistics" }.compactMap(\.table), ["orders"])
            let applied = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .maintenance, applyChanges: true))
            XCTAssertEqual(applied.changes.map(\.sql), ["ANALYZE \"orders\""])
            XCTAssertFalse(applied.rollbackAvailable, "ANALYZE needs no undo")
            let after = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .maintenance))
            XCTAssertFalse(after.findings.contains { $0.rule == "stale_statistics" })
            let undo = try await scratch.monitor.rollbackOptimization(.init(optimizationID: applied.optimizationID))
            XCTAssertEqual(undo.nothingToUndo, applied.changes.map(\.changeID))
        }
    }
}
