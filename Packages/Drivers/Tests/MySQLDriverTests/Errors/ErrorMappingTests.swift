import DriverTestSupport
import MySQLDriver
import XCTest

/// Each class of failure comes back as its own `DatabaseError.Code`, with the errno, message, SQL and engine.
final class ErrorMappingTests: MySQLTestCase {
    func testClosedPortIsConnectionRefused() async throws {
        var configuration = try serverConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 1
        let error = await assertThrows(.connectionRefused) { _ = try await MySQLConnection.connect(configuration) }
        XCTAssertEqual(error?.engineCode, "2002")
        XCTAssertEqual(error?.engine, "mysql")
    }

    func testWrongPasswordIsAuthenticationFailedAndNeverEchoed() async throws {
        var configuration = try serverConfiguration()
        configuration.password = "not-the-password-Zq9"
        let error = await assertThrows(.authenticationFailed) { _ = try await MySQLConnection.connect(configuration) }
        XCTAssertEqual(error?.engineCode, "1045")
        XCTAssertFalse(String(describing: error).contains("Zq9"))
        XCTAssertFalse(String(reflecting: error as Any).contains("Zq9"))
    }

    func testMissingDatabaseIsUnknownDatabase() async throws {
        let configuration = try serverConfiguration().with(database: "dbm_no_such_database_here")
        let error = await assertThrows(.unknownDatabase) { _ = try await MySQLConnection.connect(configuration) }
        XCTAssertEqual(error?.engineCode, "1049")
    }

    func testStatementErrorsCarryCodeNumberAndSQL() async throws {
        try await withScratchConnection { connection in
            let syntax = await assertThrows(.syntaxError) { _ = try await connection.execute("SELEC 1") }
            XCTAssertEqual(syntax?.engineCode, "1064")
            XCTAssertEqual(syntax?.sql, "SELEC 1")
            XCTAssertEqual(syntax?.engine, "mysql")
            XCTAssertFalse(syntax?.message.isEmpty ?? true)

            let table = await assertThrows(.undefinedObject) { _ = try await connection.query("SELECT * FROM nowhere") }
            XCTAssertEqual(table?.engineCode, "1146")
            _ = try await connection.execute("CREATE TABLE t (id INT PRIMARY KEY)")
            let column = await assertThrows(.undefinedObject) { _ = try await connection.query("SELECT nope FROM t WHERE id = ?", [1]) }
            XCTAssertEqual(column?.engineCode, "1054")
            let duplicate = await assertThrows(.duplicateObject) { _ = try await connection.execute("CREATE TABLE t (id INT)") }
            XCTAssertEqual(duplicate?.engineCode, "1050")
        }
    }

    func testConstraintViolationsAreToldApart() async throws {
        try await withScratchConnection { connection in
            try await connection.executeScript("""
                CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB;
                CREATE TABLE child (
                  id INT PRIMARY KEY,
                  parent_id INT NOT NULL,
                  email VARCHAR(50) UNIQUE,
                  age INT CHECK (age >= 0),
                  FOREIGN KEY (parent_id) REFERENCES parent (id)
                ) ENGINE=InnoDB;
                INSERT INTO parent VALUES (1);
                INSERT INTO child VALUES (1, 1, 'taken@example.com', 30);
                """)
            let insert = "INSERT INTO child VALUES (?, ?, ?, ?)"
            let unique = await assertThrows(.uniqueViolation) {
                _ = try await connection.execute(insert, [2, 1, "taken@example.com", 1])
            }
            XCTAssertEqual(unique?.engineCode, "1062")
            XCTAssertTrue(unique?.isConstraintViolation ?? false)
            XCTAssertFalse(unique?.message.contains("taken@example.com") ?? true, "bound values never reach the message")
            XCTAssertTrue(unique?.message.contains("email") ?? false, unique?.message ?? "")

            let foreign = await assertThrows(.foreignKeyViolation) { _ = try await connection.execute(insert, [3, 99, "a@b", 1]) }
            XCTAssertEqual(foreign?.engineCode, "1452")
            let parentDelete = await assertThrows(.foreignKeyViolation) { _ = try await connection.execute("DELETE FROM parent") }
            XCTAssertEqual(parentDelete?.engineCode, "1451")

            let notNull = await assertThrows(.notNullViolation) { _ = try await connection.execute(insert, [4, .null, "c@d", 1]) }
            XCTAssertEqual(notNull?.engineCode, "1048")
            let missing = await assertThrows(.notNullViolation) {
                _ = try await connection.execute("INSERT INTO child (id) VALUES (5)")
            }
            XCTAssertEqual(missing?.engineCode, "1364")

            let check = await assertThrows(.checkViolation) { _ = try await connection.execute(insert, [6, 1, "e@f", -1]) }
            XCTAssertEqual(check?.engineCode, "4025")
        }
    }

    func testEchoedValuesAreRedactedFromMessages() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE n (v INT, d DATE)")
            let integer = await assertThrows(.invalidValue) {
                _ = try await connection.execute("INSERT INTO n (v) VALUES (?)", [.text("secret-token")])
            }
            XCTAssertEqual(integer?.engineCode, "1366")
            XCTAssertFalse(String(describing: integer).contains("secret-token"), integer?.message ?? "")
            let date = await assertThrows(.invalidValue) {
                _ = try await connection.execute("INSERT INTO n (d) VALUES (?)", [.text("s3cr3t-date")])
            }
            XCTAssertFalse(date?.message.contains("s3cr3t") ?? true, date?.message ?? "")
        }
    }

    func testErrorAmongRowsThatExecuteDiscardsIsStillRaised() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let sql = "SELECT seq, IF(seq = 500, (SELECT 1 UNION SELECT 2), seq) FROM seq_1_to_1000"
        let text = await assertThrows(.other) { _ = try await connection.execute(sql) }
        XCTAssertEqual(text?.engineCode, "1242")
        let prepared = await assertThrows(.other) { _ = try await connection.execute(sql + " WHERE seq > ?", [0]) }
        XCTAssertEqual(prepared?.engineCode, "1242")
        let after = try await connection.scalar("SELECT 1")
        XCTAssertEqual(after, .integer(1))
        await connection.close()
    }

    func testKilledSessionIsConnectionLost() async throws {
        let configuration = try serverConfiguration()
        let victim = try await MySQLConnection.connect(configuration)
        let killer = try await MySQLConnection.connect(configuration)
        let id = try await victim.scalar("SELECT CONNECTION_ID()")
        guard case .integer(let thread) = id else { return XCTFail("CONNECTION_ID() should be an integer") }
        _ = try await killer.execute("KILL CONNECTION \(thread)")
        let error = await assertThrows(.connectionLost) { _ = try await victim.scalar("SELECT 1") }
        XCTAssertTrue(["2006", "2013"].contains(error?.engineCode ?? ""), String(reflecting: error))
        let alive = await victim.isAlive()
        XCTAssertFalse(alive)
        await victim.close()
        await killer.close()
    }

    func testErrorsCanBeMatchedByPattern() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        do {
            _ = try await connection.execute("SELECT * FROM")
            XCTFail("expected a syntax error")
        } catch DatabaseError.syntaxError {
        } catch {
            XCTFail("unexpected \(error)")
        }
        await connection.close()
    }
}
