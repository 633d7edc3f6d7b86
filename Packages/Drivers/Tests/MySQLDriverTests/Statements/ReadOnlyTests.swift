import DriverTestSupport
import MySQLDriver
import XCTest

final class ReadOnlyTests: MySQLTestCase {
    private func readOnly(_ configuration: ConnectionConfiguration) async throws -> MySQLConnection {
        var configuration = configuration
        configuration.readOnly = true
        return try await MySQLConnection.connect(configuration)
    }

    func testWritesAreRefusedBeforeTheyRun() async throws {
        try await withScratchDatabase { writer, scratch in
            _ = try await writer.execute("CREATE TABLE t (v INT)")
            _ = try await writer.execute("INSERT INTO t VALUES (1)")
            let reader = try await readOnly(scratch)
            let refused = [
                "INSERT INTO t VALUES (2)",
                "  -- comment first\n/* and another */ UPDATE t SET v = 3",
                "DROP TABLE t",
                "CREATE TABLE u (v INT)",
                "/*!50000 DELETE FROM t */",
                "SELECT 1; DELETE FROM t",
                "SET SESSION TRANSACTION READ WRITE",
                "SELECT * FROM t INTO OUTFILE '/tmp/dbm-should-not-exist'",
            ]
            for sql in refused {
                let error = await assertThrows(.permissionDenied) { _ = try await reader.execute(sql) }
                XCTAssertNil(error?.engineCode, "refused by the driver, not the server: \(sql)")
            }
            await assertThrows(.permissionDenied) { _ = try await reader.execute("DELETE FROM t WHERE v = ?", [1]) }
            await assertThrows(.permissionDenied) { try await reader.executeScript("SELECT 1; TRUNCATE t;") }
            await assertThrows(.permissionDenied) { _ = try await reader.query("UPDATE t SET v = 9") }
            let count = try await writer.scalar("SELECT COUNT(*) FROM t")
            XCTAssertEqual(count, .integer(1))
            await reader.close()
        }
    }

    func testReadsStillWork() async throws {
        try await withScratchDatabase { writer, scratch in
            _ = try await writer.execute("CREATE TABLE t (v INT)")
            _ = try await writer.execute("INSERT INTO t VALUES (5)")
            let reader = try await readOnly(scratch)
            let v = try await reader.scalar("/* hi */ SELECT v FROM t WHERE v = ?", [5])
            XCTAssertEqual(v, .integer(5))
            let shown = try await reader.query("SHOW TABLES")
            XCTAssertEqual(shown.rows.count, 1)
            let cte = try await reader.scalar("WITH x AS (SELECT v FROM t) SELECT COUNT(*) FROM x")
            XCTAssertEqual(cte, .integer(1))
            _ = try await reader.query("EXPLAIN SELECT * FROM t")
            _ = try await reader.query("(SELECT 1) UNION (SELECT 2)")
            try await reader.begin()
            _ = try await reader.scalar("SELECT COUNT(*) FROM t")
            try await reader.commit()
            await reader.close()
        }
    }

    func testSessionIsReadOnlyOnTheServerToo() async throws {
        try await withScratchDatabase { writer, scratch in
            _ = try await writer.execute("CREATE TABLE t (v INT)")
            _ = try await writer.execute("""
                CREATE FUNCTION sneaky() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO t VALUES (1); RETURN 1; END
                """)
            let reader = try await readOnly(scratch)
            let error = await assertThrows(.permissionDenied) { _ = try await reader.scalar("SELECT sneaky()") }
            XCTAssertEqual(error?.engineCode, "1792", "the READ ONLY transaction stops writes the keyword check cannot see")
            let count = try await writer.scalar("SELECT COUNT(*) FROM t")
            XCTAssertEqual(count, .integer(0))
            await reader.close()
        }
    }
}
