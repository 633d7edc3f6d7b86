@testable import PostgreSQLDriver
import XCTest

final class StatementSafetyTests: XCTestCase {
    func testReadOnlyGuardRefusesOnlyReadOnlyEscapes() {
        let refused = [
            "set default_transaction_read_only = off", "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
            "begin read\n write", "RESET transaction_read_only", "select pg_catalog.set_config('default_transaction_read_only','off',false)",
        ]
        for sql in refused {
            XCTAssertThrowsError(try ReadOnlyGuard.check(sql), sql) { error in
                XCTAssertEqual((error as? DatabaseError)?.code, .permissionDenied)
            }
        }
        let allowed = [
            "SELECT * FROM t", "SHOW default_transaction_read_only", "SELECT current_setting('transaction_read_only')",
            "BEGIN READ ONLY", "SET search_path = public", "SELECT 'read', 'writer'",
        ]
        for sql in allowed {
            XCTAssertNoThrow(try ReadOnlyGuard.check(sql), sql)
        }
    }

    func testCreateDatabaseStatementQuotesEverything() throws {
        let plain = try CreateDatabaseStatement(name: "shop", options: CreateDatabaseOptions())
        XCTAssertEqual(plain.sql, #"CREATE DATABASE "shop""#)
        let full = try CreateDatabaseStatement(name: #"a"b"#, options: CreateDatabaseOptions(
            encoding: "UTF8", collation: "en_US.UTF-8", owner: "o\"wner"))
        XCTAssertEqual(full.sql, #"CREATE DATABASE "a""b" OWNER "o""wner" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'en_US.UTF-8'"#)
        let templated = try CreateDatabaseStatement(name: "x", options: CreateDatabaseOptions(template: "tmpl"))
        XCTAssertEqual(templated.sql, #"CREATE DATABASE "x" TEMPLATE "tmpl""#)
        XCTAssertThrowsError(try CreateDatabaseStatement(name: "x", options: CreateDatabaseOptions(encoding: "UTF8' x")))
        XCTAssertThrowsError(try CreateDatabaseStatement(name: "x\u{0}", options: CreateDatabaseOptions()))
    }

    func testParametersBindTypedKindsAndRefuseNUL() throws {
        let parameters = try BoundParameters([
            .integer(1), .integer(1 << 40), .text("t"), .null, .blob([1, 2, 3]), .time("10:00:00"), .time("10:00:00+02"),
            .json("{}"), .uuid("00000000-0000-0000-0000-000000000000"),
        ])
        XCTAssertEqual(parameters.types, [23, 20, 0, 0, 17, 1083, 1266, 0, 2950])
        XCTAssertEqual(parameters.formats, [0, 0, 0, 0, 1, 0, 0, 0, 0])
        XCTAssertEqual(parameters.lengths[4], 3)
        XCTAssertThrowsError(try BoundParameters([.text("a\u{0}b")])) { error in
            XCTAssertEqual((error as? DatabaseError)?.code, .invalidValue)
            XCTAssertFalse(String(describing: error).contains("a\u{0}b"))
        }
    }

    func testSQLStatesMapToCodes() {
        XCTAssertEqual(SQLState.code(for: "42601"), .syntaxError)
        XCTAssertEqual(SQLState.code(for: "42P01"), .undefinedObject)
        XCTAssertEqual(SQLState.code(for: "23505"), .uniqueViolation)
        XCTAssertEqual(SQLState.code(for: "23P01"), .constraintViolation)
        XCTAssertEqual(SQLState.code(for: "57014"), .cancelled)
        XCTAssertEqual(SQLState.code(for: "57P01"), .connectionLost)
        XCTAssertEqual(SQLState.code(for: "25006"), .permissionDenied)
        XCTAssertEqual(SQLState.code(for: "22P02"), .invalidValue)
        XCTAssertEqual(SQLState.code(for: "40P01"), .transactionConflict)
        XCTAssertEqual(SQLState.code(for: "XX000"), .other)
    }

    func testConnectFailuresAreClassifiedFromTheMessage() {
        let cases: [(String, DatabaseError.Code)] = [
            ("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server running?", .connectionRefused),
            ("connection to server at \"10.0.0.1\", port 5432 failed: timeout expired", .connectionRefused),
            ("connection to server failed: FATAL:  password authentication failed for user \"postgres\"", .authenticationFailed),
            ("connection to server failed: FATAL:  database \"nope\" does not exist", .unknownDatabase),
            ("connection to server failed: FATAL:  role \"nobody\" does not exist", .authenticationFailed),
            ("invalid sslmode value: \"sometimes\"", .invalidConfiguration),
        ]
        for (message, code) in cases {
            XCTAssertEqual(PostgreSQLErrors.connectFailure(message).code, code, message)
        }
    }

    func testDataExceptionMessagesHideQuotedInput() {
        XCTAssertEqual(PostgreSQLErrors.redactQuoted(#"invalid input syntax for type integer: "secret""#),
                       #"invalid input syntax for type integer: "***""#)
        XCTAssertEqual(PostgreSQLErrors.redactQuoted(#"value "123" is out of range"#), #"value "***" is out of range"#)
    }
}
