import PostgreSQLDriver
import XCTest

final class TransactionTests: XCTestCase {
    private func count(_ connection: PostgreSQLConnection) async throws -> DatabaseValue? {
        try await connection.scalar("SELECT count(*) FROM t")
    }

    func testCommitKeepsAndRollbackDiscards() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int)")
            var open = await connection.inTransaction
            XCTAssertFalse(open)
            try await connection.begin()
            open = await connection.inTransaction
            XCTAssertTrue(open)
            _ = try await connection.execute("INSERT INTO t VALUES (1)")
            try await connection.commit()
            open = await connection.inTransaction
            XCTAssertFalse(open)

            try await connection.begin()
            _ = try await connection.execute("INSERT INTO t VALUES (2)")
            try await connection.rollback()
            let rows = try await count(connection)
            XCTAssertEqual(rows, .integer(1))
        }
    }

    func testBeginInsideATransactionIsMisuse() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            try await connection.begin()
            await assertThrowsDatabaseError(.misuse) { try await connection.begin() }
            let open = await connection.inTransaction
            XCTAssertTrue(open, "the first transaction stays open")
            try await connection.rollback()
            await assertThrowsDatabaseError(.misuse) { try await connection.commit() }
            await assertThrowsDatabaseError(.misuse) { try await connection.rollback() }
        }
    }

    func testSavepointsRollBackPartOfATransaction() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int)")
            try await connection.begin()
            _ = try await connection.execute("INSERT INTO t VALUES (1)")
            try await connection.savepoint("before two")
            _ = try await connection.execute("INSERT INTO t VALUES (2)")
            try await connection.rollbackToSavepoint("before two")
            try await connection.savepoint(#"we"ird"#)
            _ = try await connection.execute("INSERT INTO t VALUES (3)")
            try await connection.releaseSavepoint(#"we"ird"#)
            try await connection.commit()
            let values = try await connection.query("SELECT n FROM t ORDER BY n").rows.map { $0[0] }
            XCTAssertEqual(values, [.integer(1), .integer(3)])
            await assertThrowsDatabaseError(.invalidValue) { try await connection.savepoint("") }
            await assertThrowsDatabaseError(.misuse) { try await connection.savepoint("outside") }
        }
    }

    func testAFailedStatementLeavesTheTransactionToRollBack() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int PRIMARY KEY)")
            try await connection.begin()
            _ = try await connection.execute("INSERT INTO t VALUES (1)")
            await assertThrowsDatabaseError(.uniqueViolation) { _ = try await connection.execute("INSERT INTO t VALUES (1)") }
            await assertThrowsDatabaseError(.misuse) { _ = try await connection.execute("SELECT 1") }
            let error = await assertThrowsDatabaseError(.misuse) { try await connection.commit() }
            XCTAssertEqual(error?.engineCode, "25P02")
            let open = await connection.inTransaction
            XCTAssertFalse(open)
            let rows = try await count(connection)
            XCTAssertEqual(rows, .integer(0))
        }
    }

    func testTransactionHelperCommitsOrRollsBack() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int)")
            try await connection.transaction { connection in
                _ = try await connection.execute("INSERT INTO t VALUES (1)")
            }
            do {
                try await connection.transaction { connection in
                    _ = try await connection.execute("INSERT INTO t VALUES (2)")
                    _ = try await connection.execute("SELECT * FROM missing_table")
                }
                XCTFail("the transaction should have thrown")
            } catch DatabaseError.Code.undefinedObject {}
            let rows = try await count(connection)
            XCTAssertEqual(rows, .integer(1))
        }
    }
}
