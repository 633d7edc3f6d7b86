@testable import Migrations
import XCTest

final class OrderingTests: XCTestCase {
    private func m(_ revision: String, _ dependencies: [String] = []) -> Migration {
        Migration(revision: revision, description: revision, upgradeSQL: "SELECT 1;", dependencies: dependencies)
    }

    func testVersionsCompareNumericallyPerPart() {
        XCTAssertTrue(VersionOrder.less("1.12.2", "1.12.10"))
        XCTAssertTrue(VersionOrder.less("0009", "0010"))
        XCTAssertTrue(VersionOrder.less("9", "0010"))
        XCTAssertFalse(VersionOrder.less("1.2", "1.2"))
        XCTAssertTrue(VersionOrder.less("1.2", "1.2.1"))
        XCTAssertEqual(VersionOrder.flywayKey("1.0"), "1")
        XCTAssertEqual(VersionOrder.flywayKey("1_01_0"), "1.1")
    }

    func testBranchesAndMergeResolveInAStableTopologicalOrder() throws {
        // 0001 <- 0002a (branch a), 0001 <- 0003b (branch b), 0004 merges both; 0002a also needs 0005 (merged late).
        let input = [m("0001"), m("0002", ["0001", "0005"]), m("0003", ["0001"]), m("0004", ["0002", "0003"]), m("0005")]
        let ordered = try DependencyResolver.order(input).map(\.revision)
        XCTAssertEqual(ordered, ["0001", "0003", "0005", "0002", "0004"])
        XCTAssertEqual(try DependencyResolver.order(input).map(\.revision), ordered, "deterministic")
    }

    func testWithoutDependenciesTheDirectoryOrderIsKept() throws {
        XCTAssertEqual(try DependencyResolver.order([m("2"), m("1")]).map(\.revision), ["2", "1"])
    }

    func testCycleIsAClearError() {
        XCTAssertThrowsError(try DependencyResolver.order([m("1", ["3"]), m("2", ["1"]), m("3", ["2"])])) { error in
            let error = error as? MigrationError
            XCTAssertEqual(error?.code, .dependencyCycle)
            XCTAssertTrue(error?.message.contains("1 -> 3 -> 2 -> 1") == true, error?.message ?? "")
        }
        XCTAssertThrowsError(try DependencyResolver.order([m("1", ["1"])])) { error in
            XCTAssertEqual((error as? MigrationError)?.code, .dependencyCycle)
        }
    }

    func testMissingDependencyNamesBothRevisions() {
        XCTAssertThrowsError(try DependencyResolver.order([m("1"), m("2", ["9"])])) { error in
            let error = error as? MigrationError
            XCTAssertEqual(error?.code, .missingDependency)
            XCTAssertEqual(error?.revision, "2")
            XCTAssertTrue(error?.message.contains("9") == true)
        }
    }

    func testTransactionControlStatementsAreRecognised() {
        XCTAssertTrue(ExecutionMode.controlsTransaction("BEGIN"))
        XCTAssertTrue(ExecutionMode.controlsTransaction("-- x\nbegin transaction"))
        XCTAssertTrue(ExecutionMode.controlsTransaction("COMMIT"))
        XCTAssertTrue(ExecutionMode.controlsTransaction("START TRANSACTION"))
        XCTAssertFalse(ExecutionMode.controlsTransaction("ROLLBACK TO SAVEPOINT a"))
        XCTAssertFalse(ExecutionMode.controlsTransaction("BEGIN ATOMIC SELECT 1; END"))
        XCTAssertFalse(ExecutionMode.controlsTransaction("CREATE TABLE begin_x (id int)"))
        let statements = [SQLStatement(text: "BEGIN", line: 1), SQLStatement(text: "COMMIT", line: 2)]
        XCTAssertEqual(ExecutionMode.choose(statements: statements, transactional: true, dialect: .postgresql), .statementByStatement)
        XCTAssertEqual(ExecutionMode.choose(statements: [], transactional: true, dialect: .postgresql), .transactional)
        XCTAssertEqual(ExecutionMode.choose(statements: [], transactional: true, dialect: .mysql), .statementByStatement)
        XCTAssertEqual(ExecutionMode.choose(statements: [], transactional: false, dialect: .sqlite), .statementByStatement)
    }
}
