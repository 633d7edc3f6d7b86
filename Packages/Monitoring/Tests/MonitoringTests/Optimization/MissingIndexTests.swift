@testable import Monitoring
import Drivers
import XCTest

final class MissingIndexTests: XCTestCase {
    /// The acceptance case: a workload with a known missing index is found, fixed, measured faster,
    /// and rolled back, on every engine.
    func testMissingIndexIsFoundAppliedMeasuredAndRolledBack() async throws {
        try await forEachEngine { dialect in
            try await withScratch(dialect) { scratch in
                try await scratch.createOrders(rows: 30_000)
                if dialect == .postgresql { _ = try await scratch.connection.execute("CREATE EXTENSION IF NOT EXISTS hypopg") }
                let query = "SELECT id, amount FROM orders WHERE customer_id = 42"

                let analysis = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .query, workload: [query]))
                XCTAssertTrue(analysis.analyzeOnly)
                XCTAssertEqual(analysis.recommendationsApplied, 0)
                XCTAssertNil(analysis.performanceImprovement, "nothing applied, nothing measured")
                let finding = try XCTUnwrap(analysis.findings.first { $0.rule == "missing_index" }, "\(dialect): \(analysis.findings) \(analysis.notes)")
                XCTAssertEqual(finding.table, "orders")
                XCTAssertTrue(finding.sql?.contains("customer_id") == true)
                if dialect == .postgresql {
                    let before = try XCTUnwrap(finding.evidence["plan_cost"]), hypothetical = try XCTUnwrap(finding.evidence["hypothetical_cost"])
                    XCTAssertLessThan(hypothetical, before / 2, "hypopg confirmed the index")
                }

                let applied = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .query, applyChanges: true, workload: [query]))
                XCTAssertEqual(applied.indexesCreated, 1, "\(dialect): \(applied.configurationChanges)")
                XCTAssertTrue(applied.rollbackAvailable)
                let measurement = try XCTUnwrap(applied.measurements.first { $0.query == query })
                // The issue asks for the fix to be measured faster; a full scan of 30,000 rows against an
                // index lookup of 30 rows is far beyond timing noise.
                XCTAssertLessThan(measurement.afterMS, measurement.beforeMS, "\(dialect): \(measurement)")
                XCTAssertGreaterThan(try XCTUnwrap(applied.performanceImprovement), 0)
                XCTAssertEqual(applied.queriesOptimized, 1)
                if dialect == .postgresql { XCTAssertLessThan(measurement.planCostAfter ?? .infinity, measurement.planCostBefore ?? 0) }
                let plan = try await scratch.monitor.monitorQueryPerformance(.init(query: query, runs: 1))
                XCTAssertEqual(plan.fullScans, [], "\(dialect): the index is used")

                let rollback = try await scratch.monitor.rollbackOptimization(.init(optimizationID: applied.optimizationID))
                XCTAssertEqual(rollback.rolledBack, applied.changes.map(\.changeID).reversed())
                let after = try await scratch.monitor.monitorQueryPerformance(.init(query: query, runs: 1))
                XCTAssertEqual(after.fullScans, ["orders"], "\(dialect): the index is gone again")
                do {
                    _ = try await scratch.monitor.rollbackOptimization(.init(optimizationID: applied.optimizationID))
                    XCTFail("a second rollback has nothing to undo")
                } catch let error as OptimizationError {
                    XCTAssertEqual(error.code, .unknownChange)
                }
            }
        }
    }

    func testSmallTablesGetNoIndexAdvice() async throws {
        try await withScratch(.sqlite) { scratch in
            try await scratch.createOrders(rows: 200)
            let result = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .query, workload: ["SELECT * FROM orders WHERE customer_id = 1"]))
            XCTAssertFalse(result.findings.contains { $0.rule == "missing_index" }, "below index_threshold (1000 rows)")
        }
    }

    func testPredicateColumnsReadEachEnginesConditionText() {
        let columns: Set<String> = ["customer_id", "created_at", "note"]
        XCTAssertEqual(PredicateColumns.candidates(in: "(customer_id = 42)", columns: columns).equality, ["customer_id"])
        XCTAssertEqual(PredicateColumns.candidates(in: "`db`.`orders`.`customer_id` = 42 and `db`.`orders`.`created_at` > '2020-01-01'", columns: columns).range, ["created_at"])
        XCTAssertEqual(PredicateColumns.candidates(in: "((note)::text ~~ '%x%'::text)", columns: columns).range, [], "a leading wildcard cannot use an index")
        XCTAssertEqual(PredicateColumns.candidates(in: " 7 = customer_id", columns: columns).equality, ["customer_id"])
        XCTAssertEqual(PredicateColumns.whereClause(of: "SELECT * FROM t WHERE a = 1 ORDER BY b"), " a = 1")
    }
}
