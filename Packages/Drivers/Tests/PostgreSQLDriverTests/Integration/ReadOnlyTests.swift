import PostgreSQLDriver
import XCTest

final class ReadOnlyTests: XCTestCase {
    func testReadOnlyConnectionRefusesWritesButReads() async throws {
        try await PostgreSQLTestServer.withScratchDatabase { scratch in
            let writer = try await PostgreSQLConnection.open(scratch)
            _ = try await writer.execute("CREATE TABLE t (n int)")
            _ = try await writer.execute("INSERT INTO t VALUES (1)")
            await writer.close()

            var configuration = scratch
            configuration.readOnly = true
            let connection = try await PostgreSQLConnection.open(configuration)
            let count = try await connection.scalar("SELECT count(*) FROM t")
            XCTAssertEqual(count, .integer(1))

            let writes = [
                "INSERT INTO t VALUES (2)", "UPDATE t SET n = 3", "DELETE FROM t", "CREATE TABLE u (n int)",
                "DROP TABLE t", "TRUNCATE t",
            ]
            for sql in writes {
                let error = await assertThrowsDatabaseError(.permissionDenied) { _ = try await connection.execute(sql) }
                XCTAssertEqual(error?.engineCode, "25006", sql)
            }
            await assertThrowsDatabaseError(.permissionDenied) { try await connection.executeScript("SELECT 1; INSERT INTO t VALUES (5)") }

            let escapes = [
                "SET default_transaction_read_only = off", "SET SESSION default_transaction_read_only TO off",
                "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "SET transaction_read_only = off",
                "SELECT set_config('default_transaction_read_only', 'off', false)", "BEGIN READ WRITE",
                "START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE",
            ]
            for sql in escapes {
                await assertThrowsDatabaseError(.permissionDenied) { _ = try await connection.execute(sql) }
            }
            try await connection.begin()
            await assertThrowsDatabaseError(.permissionDenied) { _ = try await connection.execute("INSERT INTO t VALUES (6)") }
            try await connection.rollback()

            let after = try await connection.scalar("SELECT count(*) FROM t")
            XCTAssertEqual(after, .integer(1))
            let setting = try await connection.scalar("SHOW default_transaction_read_only")
            XCTAssertEqual(setting, .text("on"))
            await connection.close()
        }
    }
}
