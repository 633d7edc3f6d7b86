import DriverTestSupport
import MySQLDriver
import XCTest

final class TransactionTests: MySQLTestCase {
    private func count(_ connection: MySQLConnection) async throws -> DatabaseValue? {
        try await connection.scalar("SELECT COUNT(*) FROM t")
    }

    func testCommitKeepsAndRollbackDiscards() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (v INT) ENGINE=InnoDB")
            try await connection.begin()
            let open = await connection.inTransaction
            XCTAssertTrue(open)
            _ = try await connection.execute("INSERT INTO t VALUES (?)", [1])
            try await connection.commit()
            let closed = await connection.inTransaction
            XCTAssertFalse(closed)
            try await connection.begin()
            _ = try await connection.execute("INSERT INTO t VALUES (2)")
            try await connection.rollback()
            let after = try await count(connection)
            XCTAssertEqual(after, .integer(1))
        }
    }

    func testBeginInsideATransactionIsMisuse() async throws {
        try await withScratchConnection { connection in
            try await connection.begin()
            await assertThrows(.misuse) { try await connection.begin() }
            try await connection.rollback()
            try await connection.begin()
            try await connection.commit()
        }
    }

    func testSavepointsRollBackPartOfATransaction() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (v INT) ENGINE=InnoDB")
            try await connection.begin()
            _ = try await connection.execute("INSERT INTO t VALUES (1)")
            try await connection.savepoint("first step")
            _ = try await connection.execute("INSERT INTO t VALUES (2)")
            try await connection.savepoint("sp`; DROP TABLE t; --")
            _ = try await connection.execute("INSERT INTO t VALUES (3)")
            try await connection.rollbackToSavepoint("first step")
            let partial = try await count(connection)
            XCTAssertEqual(partial, .integer(1))
            try await connection.savepoint("again")
            try await connection.releaseSavepoint("again")
            try await connection.commit()
            let final = try await count(connection)
            XCTAssertEqual(final, .integer(1))
        }
    }

    func testSavepointNeedsATransactionAndAValidName() async throws {
        try await withScratchConnection { connection in
            await assertThrows(.misuse) { try await connection.savepoint("a") }
            try await connection.begin()
            await assertThrows(.invalidValue) { try await connection.savepoint("") }
            await assertThrows(.invalidValue) { try await connection.savepoint(String(repeating: "s", count: 65)) }
            await assertThrows(.undefinedObject) { try await connection.rollbackToSavepoint("never_set") }
            try await connection.rollback()
        }
    }

    func testTransactionHelperRollsBackWhenTheBodyThrows() async throws {
        struct Abort: Error {}
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (v INT) ENGINE=InnoDB")
            do {
                try await connection.transaction { c in
                    _ = try await c.execute("INSERT INTO t VALUES (1)")
                    throw Abort()
                }
                XCTFail("the body's error should propagate")
            } catch is Abort {}
            let rows = try await count(connection)
            XCTAssertEqual(rows, .integer(0))
            let open = await connection.inTransaction
            XCTAssertFalse(open)
        }
    }

    func testImplicitCommitByDDLEndsTheTransaction() async throws {
        try await withScratchConnection { connection in
            try await connection.begin()
            _ = try await connection.execute("CREATE TABLE t (v INT)")
            let open = await connection.inTransaction
            XCTAssertFalse(open, "MariaDB commits before DDL; inTransaction follows the server")
            try await connection.commit()
        }
    }
}
