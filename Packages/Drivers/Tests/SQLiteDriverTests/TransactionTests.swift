import SQLiteDriver
import XCTest

final class TransactionTests: XCTestCase {
    private func openWithTable() async throws -> SQLiteConnection {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (x INTEGER)")
        return connection
    }

    private func values(_ connection: SQLiteConnection) async throws -> [DatabaseValue] {
        try await connection.query("SELECT x FROM t ORDER BY x").rows.map { $0[0] }
    }

    func testCommitKeepsAndRollbackDiscardsChanges() async throws {
        let connection = try await openWithTable()
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
        let actual1 = try await values(connection)
        XCTAssertEqual(actual1, [.integer(1)])
    }

    func testBeginInsideATransactionIsMisuse() async throws {
        let connection = try await openWithTable()
        try await connection.begin()
        await assertThrowsDatabaseError(.misuse) { try await connection.begin() }
        let open = await connection.inTransaction
        XCTAssertTrue(open, "the first transaction is still open")
        try await connection.rollback()
    }

    func testCommitOrRollbackWithoutATransactionIsMisuse() async throws {
        let connection = try await openWithTable()
        await assertThrowsDatabaseError(.misuse) { try await connection.commit() }
        await assertThrowsDatabaseError(.misuse) { try await connection.rollback() }
    }

    func testSavepointsRollBackPartOfATransaction() async throws {
        let connection = try await openWithTable()
        let name = #"sp "quoted"; ROLLBACK; --"#
        try await connection.begin()
        _ = try await connection.execute("INSERT INTO t VALUES (1)")
        try await connection.savepoint(name)
        _ = try await connection.execute("INSERT INTO t VALUES (2)")
        try await connection.savepoint("inner")
        _ = try await connection.execute("INSERT INTO t VALUES (3)")
        try await connection.releaseSavepoint("inner")
        try await connection.rollbackToSavepoint(name)
        _ = try await connection.execute("INSERT INTO t VALUES (4)")
        try await connection.releaseSavepoint(name)
        let open = await connection.inTransaction
        XCTAssertTrue(open, "releasing the savepoint keeps the outer transaction open")
        try await connection.commit()
        let actual2 = try await values(connection)
        XCTAssertEqual(actual2, [.integer(1), .integer(4)])
    }

    func testUnknownOrInvalidSavepointNames() async throws {
        let connection = try await openWithTable()
        try await connection.begin()
        await assertThrowsDatabaseError(.undefinedObject) { try await connection.rollbackToSavepoint("never_set") }
        await assertThrowsDatabaseError(.invalidValue) { try await connection.savepoint("") }
        await assertThrowsDatabaseError(.invalidValue) { try await connection.savepoint("a\u{0}b") }
        try await connection.rollback()
    }

    func testTransactionHelperRollsBackWhenTheBodyThrows() async throws {
        let connection = try await openWithTable()
        struct Abort: Error {}
        do {
            try await connection.transaction { connection in
                _ = try await connection.execute("INSERT INTO t VALUES (7)")
                throw Abort()
            }
            XCTFail("the body's error must propagate")
        } catch is Abort {}
        let actual3 = try await values(connection)
        XCTAssertEqual(actual3, [])
        try await connection.transaction { connection in
            _ = try await connection.execute("INSERT INTO t VALUES (8)")
        }
        let actual4 = try await values(connection)
        XCTAssertEqual(actual4, [.integer(8)])
    }
}

/// `executeInTransaction` and `perform` as every engine without a pipeline runs them.
final class BatchTransactionTests: XCTestCase {
    func testExecuteInTransactionCommitsOrRollsBackAsAWhole() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        let results = try await connection.executeInTransaction([
            BatchStatement("INSERT INTO t VALUES (?)", [.integer(1)]),
            BatchStatement("INSERT INTO t VALUES (?), (?)", [.integer(2), .integer(3)]),
        ])
        XCTAssertEqual(results.map(\.rowsAffected), [1, 2])
        let error = await assertThrowsDatabaseError(.uniqueViolation) {
            _ = try await connection.executeInTransaction([
                BatchStatement("INSERT INTO t VALUES (?)", [.integer(4)]),
                BatchStatement("INSERT INTO t VALUES (?)", [.integer(1)]),
            ])
        }
        XCTAssertNotNil(error)
        let open = await connection.inTransaction
        XCTAssertFalse(open)
        let values = try await connection.query("SELECT x FROM t ORDER BY x").rows.map { $0[0] }
        XCTAssertEqual(values, [.integer(1), .integer(2), .integer(3)], "the failed transaction left nothing")
        let sum = try await connection.perform { isolated in try await isolated.scalar("SELECT sum(x) FROM t") }
        XCTAssertEqual(sum, .integer(6))
        await connection.close()
    }
}
