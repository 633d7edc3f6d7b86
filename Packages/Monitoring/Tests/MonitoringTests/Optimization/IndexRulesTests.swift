@testable import Monitoring
import Drivers
import XCTest

final class IndexRulesTests: XCTestCase {
    func testDuplicateRedundantUnusedAndForeignKeyIndexesAreFound() async throws {
        try await forEachEngine { dialect in
            try await withScratch(dialect) { scratch in
                let d = dialect
                let engine = d == .mysql ? " ENGINE=InnoDB" : ""
                try await scratch.connection.executeScript("""
                    CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)\(engine);
                    CREATE TABLE items (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers (id), b INTEGER, c INTEGER, note VARCHAR(40))\(engine);
                    CREATE INDEX items_b_1 ON items (b);
                    CREATE INDEX items_b_2 ON items (b);
                    CREATE INDEX items_c ON items (c);
                    CREATE INDEX items_c_b ON items (c, b);
                    CREATE INDEX items_note ON items (note);
                    CREATE TABLE bare (x INTEGER, y INTEGER)\(engine);
                    """)
                let result = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .storage))
                let all = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .performance))
                let rules = Dictionary(grouping: result.findings + all.findings, by: \.rule).mapValues { Set($0.compactMap(\.index)) }
                XCTAssertEqual(rules["duplicate_index"], ["items_b_2"], "\(d)")
                XCTAssertEqual(rules["redundant_index"], ["items_c"], "\(d)")
                if d == .sqlite {
                    XCTAssertNil(rules["unused_index"], "SQLite keeps no index usage")
                    XCTAssertTrue(result.notes.contains { $0.name == "index_usage" && $0.status == .skipped })
                } else {
                    XCTAssertTrue(rules["unused_index"]?.contains("items_note") == true, "\(d): \(rules)")
                }
                if d == .mysql {
                    XCTAssertNil(rules["fk_without_index"], "InnoDB indexes every foreign key itself")
                } else {
                    XCTAssertEqual(rules["fk_without_index"]?.count, 1, "\(d): \(rules)")
                }
                let missingPK = all.findings.filter { $0.rule == "missing_primary_key" }.compactMap(\.table)
                XCTAssertEqual(missingPK, ["bare"])

                // Storage optimization drops the duplicate and the redundant index, and undoes it on request.
                let applied = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .storage, applyChanges: true))
                XCTAssertEqual(Set(applied.changes.map(\.rule)), ["duplicate_index", "redundant_index"], "\(d): unused indexes are advice only")
                XCTAssertNil(applied.performanceImprovement, "no workload was measured")
                XCTAssertNotNil(applied.storageSavedMB)
                let afterDrop = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .storage))
                XCTAssertFalse(afterDrop.findings.contains { $0.rule == "duplicate_index" || $0.rule == "redundant_index" })
                _ = try await scratch.monitor.rollbackOptimization(.init(optimizationID: applied.optimizationID))
                let restored = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .storage))
                XCTAssertEqual(Set(restored.findings.filter { $0.rule == "duplicate_index" || $0.rule == "redundant_index" }.compactMap(\.index)),
                               ["items_b_2", "items_c"], "\(d): the inverse DDL recreated both")
            }
        }
    }

    func testScoreFollowsTheDocumentedFormula() async throws {
        try await withScratch(.sqlite) { scratch in
            try await scratch.connection.executeScript("""
                CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
                CREATE TABLE log (line TEXT);
                """)
            let result = try await scratch.monitor.optimizeDatabase(.init())
            // log: no primary key (30 × 1/2), no audit field (10 × 1/2), no constraint (15 × 1/2); no FKs, no indexes to judge.
            XCTAssertEqual(result.scoreBreakdown["primary_keys"], 15)
            XCTAssertEqual(result.scoreBreakdown["audit_fields"], 5)
            XCTAssertEqual(result.scoreBreakdown["constraint_coverage"], 7.5)
            XCTAssertEqual(result.optimizationScore, 73, "100 − 27.5, rounded half away from zero")
        }
    }

    func testSQLiteFreelistIsVacuumedAndTheSavingMeasured() async throws {
        try await withScratch(.sqlite) { scratch in
            try await scratch.createOrders(rows: 20_000)
            _ = try await scratch.connection.execute("DELETE FROM orders WHERE id > 2000")
            let result = try await scratch.monitor.optimizeDatabase(.init(optimizationType: .storage, applyChanges: true))
            XCTAssertEqual(result.changes.map(\.sql), ["VACUUM"])
            XCTAssertGreaterThan(try XCTUnwrap(result.storageSavedMB), 0.1)
            XCTAssertFalse(result.rollbackAvailable, "VACUUM needs no undo")
            let free = try await scratch.connection.scalar("PRAGMA freelist_count")?.int64Value
            XCTAssertEqual(free, 0)
        }
    }

    func testInvalidOptimizationTypeIsRejected() async throws {
        try await withScratch(.sqlite) { scratch in
            let request = try JSONDecoder().decode(OptimizeDatabaseRequest.self, from: Data(#"{"optimization_type": "speed"}"#.utf8))
            do {
                _ = try await scratch.monitor.optimizeDatabase(request)
                XCTFail("speed is not an optimization type")
            } catch let error as OptimizationError {
                XCTAssertEqual(error.code, .invalidOptimizationType)
            }
        }
    }
}
