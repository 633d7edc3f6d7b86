@testable import Monitoring
import Drivers

import XCTest

final class QueryPerformanceTests: XCTestCase {
    func testPlanShowsFullScanThenIndexAndTimingsCoverEveryRun() async throws {
        try await forEachEngine { dialect in
            try await withScratch(dialect) { scratch in
                try await scratch.createOrders(rows: 5000)
                let query = "SELECT id, amount FROM orders WHERE customer_id = 42"
                let before = try await scratch.monitor.monitorQueryPerformance(.init(query: query, runs: 3))
                XCTAssertEqual(before.fullScans, ["orders"], "\(dialect): \(before.plan.raw)")
                XCTAssertEqual(before.timing.runs, 3)
                XCTAssertEqual(before.rows, 5, "\(dialect): ids 42, 1042, ... 4042")
                XCTAssertFalse(before.recommendations.isEmpty)
                if dialect != .sqlite {
                    XCTAssertTrue(before.plan.analyzed)
                    let scan = try XCTUnwrap(before.plan.fullScans.first)
                    XCTAssertNotNil(scan.estimatedRows, "\(dialect)")
                    XCTAssertNotNil(scan.actualRows, "\(dialect): \(before.plan.raw)")
                }
                _ = try await scratch.connection.execute("CREATE INDEX orders_customer ON orders (customer_id)")
                let after = try await scratch.monitor.monitorQueryPerformance(.init(query: query, runs: 3))
                XCTAssertEqual(after.fullScans, [], "\(dialect): \(after.plan.raw)")
                XCTAssertTrue(after.plan.nodes.contains { $0.index == "orders_customer" }, "\(dialect): \(after.plan.raw)")
            }
        }
    }

    func testWritesAreRolledBackAndDDLIsRefused() async throws {
        try await forEachEngine { dialect in
            try await withScratch(dialect) { scratch in
                try await scratch.createOrders(rows: 100)
                let result = try await scratch.monitor.monitorQueryPerformance(.init(query: "DELETE FROM orders WHERE id <= 10", runs: 2))
                XCTAssertTrue(result.rolledBack)
                XCTAssertEqual(result.rows, 10)
                let remaining = try await scratch.connection.scalar("SELECT count(*) FROM orders")?.int64Value
                XCTAssertEqual(remaining, 100, "\(dialect): the deletes were rolled back")
                do {
                    _ = try await scratch.monitor.monitorQueryPerformance(.init(query: "DROP TABLE orders"))
                    XCTFail("DDL must be refused")
                } catch let error as MonitoringError {
                    XCTAssertEqual(error.code, .unsafeStatement)
                }
                let stillThere = try await scratch.connection.scalar("SELECT count(*) FROM orders")?.int64Value
                XCTAssertEqual(stillThere, 100)
            }
        }
    }

    func testSlowQueriesComeFromTheEngineStatistics() async throws {
        try await forEachEngine { dialect in
            try await withScratch(dialect) { scratch in
                try await scratch.createOrders(rows: 3000)
                if dialect == .postgresql {
                    _ = try await scratch.connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                }
                for _ in 0..<3 { _ = try await scratch.monitor.runRecorded("SELECT sum(amount) FROM orders WHERE note LIKE '%7%'") }
                let slow = try await scratch.monitor.getSlowQueries(.init(limit: 50))
                XCTAssertLessThanOrEqual(slow.count, 50)
                let match = slow.first { $0.query.lowercased().contains("orders") && $0.query.lowercased().contains("like") }
                XCTAssertNotNil(match, "\(dialect): \(slow.map(\.query))")
                XCTAssertGreaterThanOrEqual(match?.calls ?? 0, 3, "\(dialect)")
                XCTAssertEqual(slow.map(\.meanTimeMS), slow.map(\.meanTimeMS).sorted(by: >), "slowest first")
            }
        }
    }
}
