import DriverTestSupport
import PostgreSQLDriver
import XCTest

final class ErrorClassificationTests: XCTestCase {
    func testClosedPortIsConnectionRefused() async throws {
        var configuration = try PostgreSQLTestServer.configuration()
        configuration.host = "127.0.0.1"
        configuration.port = 1
        let error = await assertThrowsDatabaseError(.connectionRefused) { _ = try await PostgreSQLConnection.open(configuration) }
        XCTAssertEqual(error?.engine, "postgresql")
    }

    func testWrongPasswordIsAuthenticationFailedWithoutThePassword() async throws {
        var configuration = try PostgreSQLTestServer.configuration()
        configuration.password = "wrong-Secret-\(UInt32.random(in: 0...UInt32.max))"
        let error = await assertThrowsDatabaseError(.authenticationFailed) { _ = try await PostgreSQLConnection.open(configuration) }
        XCTAssertEqual(error?.engineCode, "28P01")
        let text = error.map { String(describing: $0) + String(reflecting: $0) } ?? ""
        XCTAssertFalse(text.contains(configuration.password!), "the password leaked into the error")
    }

    func testMissingDatabaseIsUnknownDatabase() async throws {
        let configuration = try PostgreSQLTestServer.configuration().with(database: TestDatabases.uniqueName("dbm_pg_missing"))
        let error = await assertThrowsDatabaseError(.unknownDatabase) { _ = try await PostgreSQLConnection.open(configuration) }
        XCTAssertEqual(error?.engineCode, "3D000")
    }

    func testStatementErrorsAreClassifiedWithTheirSQLState() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            try await connection.executeScript("""
                CREATE TABLE parent (id int PRIMARY KEY);
                CREATE TABLE child (
                    id int PRIMARY KEY,
                    parent_id int REFERENCES parent (id),
                    name text NOT NULL,
                    age int CHECK (age >= 0)
                );
                INSERT INTO parent VALUES (1);
                INSERT INTO child VALUES (1, 1, 'a', 1);
                """)
            let expectations: [(String, DatabaseError.Code, String)] = [
                ("SELEC 1", .syntaxError, "42601"),
                ("SELECT * FROM no_such_table", .undefinedObject, "42P01"),
                ("SELECT no_such_column FROM child", .undefinedObject, "42703"),
                ("INSERT INTO child VALUES (1, 1, 'b', 2)", .uniqueViolation, "23505"),
                ("INSERT INTO child VALUES (2, 99, 'b', 2)", .foreignKeyViolation, "23503"),
                ("INSERT INTO child VALUES (3, 1, NULL, 2)", .notNullViolation, "23502"),
                ("INSERT INTO child VALUES (4, 1, 'b', -1)", .checkViolation, "23514"),
                ("CREATE TABLE parent (id int)", .duplicateObject, "42P07"),
                ("SELECT 1 / 0", .invalidValue, "22012"),
            ]
            for (sql, code, sqlState) in expectations {
                do {
                    _ = try await connection.execute(sql)
                    XCTFail("\(sql) should have failed")
                } catch let error as DatabaseError {
                    XCTAssertEqual(error.code, code, sql)
                    XCTAssertEqual(error.engineCode, sqlState, sql)
                    XCTAssertEqual(error.sql, sql)
                    XCTAssertEqual(error.engine, "postgresql")
                    XCTAssertFalse(error.message.isEmpty)
                }
            }
            do {
                _ = try await connection.execute("INSERT INTO child VALUES (1, 1, 'b', 2)")
            } catch DatabaseError.uniqueViolation {
                // The static pattern matches too.
            }
        }
    }

    func testBoundValuesDoNotAppearInErrorMessages() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (email text UNIQUE, n int)")
            _ = try await connection.execute("INSERT INTO t VALUES ($1, 1)", [.text("secret@example.com")])
            let unique = await assertThrowsDatabaseError(.uniqueViolation) {
                _ = try await connection.execute("INSERT INTO t VALUES ($1, 2)", [.text("secret@example.com")])
            }
            let invalid = await assertThrowsDatabaseError(.invalidValue) {
                _ = try await connection.execute("INSERT INTO t (n) VALUES ($1)", [.text("secret-number")])
            }
            for error in [unique, invalid].compactMap({ $0 }) {
                XCTAssertFalse(String(describing: error).contains("secret"), String(describing: error))
                XCTAssertFalse(error.message.contains("secret"), error.message)
            }
        }
    }

    func testTerminatedBackendIsConnectionLost() async throws {
        try await PostgreSQLTestServer.withScratchDatabase { scratch in
            let victim = try await PostgreSQLConnection.open(scratch)
            let admin = try await PostgreSQLConnection.open(scratch)
            guard case .integer(let pid) = try await victim.scalar("SELECT pg_backend_pid()") else {
                return XCTFail("no backend pid")
            }
            let terminated = try await admin.scalar("SELECT pg_terminate_backend($1::int)", [.integer(pid)])
            XCTAssertEqual(terminated, .bool(true))
            try await Task.sleep(for: .milliseconds(200))
            await assertThrowsDatabaseError(.connectionLost) { _ = try await victim.execute("SELECT 1") }
            let alive = await victim.isAlive()
            XCTAssertFalse(alive)
            await assertThrowsDatabaseError(.connectionLost) { _ = try await victim.execute("SELECT 1") }
            await victim.close()
            await admin.close()
        }
    }
}
