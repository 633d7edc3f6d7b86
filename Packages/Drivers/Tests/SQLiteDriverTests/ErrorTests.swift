import Foundation
import SQLiteDriver
import XCTest

/// Each kind of failure comes back with its own code, SQLite's extended code and message, and the SQL.
final class ErrorTests: XCTestCase {
    private func openWithSchema() async throws -> SQLiteConnection {
        let connection = try await SQLiteTest.open()
        try await connection.executeScript("""
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (
                id INTEGER PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                price REAL CHECK (price > 0),
                parent_id INTEGER REFERENCES parent(id)
            );
            INSERT INTO parent VALUES (1);
            INSERT INTO child VALUES (1, 'a@example.com', 1.0, 1);
            """)
        return connection
    }

    func testSyntaxError() async throws {
        let connection = try await SQLiteTest.open()
        let error = await assertThrowsDatabaseError(.syntaxError) { _ = try await connection.execute("SELEC 1") }
        XCTAssertEqual(error?.engineCode, "1")
        XCTAssertEqual(error?.engine, "sqlite")
        XCTAssertEqual(error?.sql, "SELEC 1")
        XCTAssertTrue(error?.message.contains("syntax error") ?? false)
        await assertThrowsDatabaseError(.syntaxError) { _ = try await connection.execute("SELECT (1") }
    }

    func testUndefinedTableAndColumn() async throws {
        let connection = try await openWithSchema()
        let table = await assertThrowsDatabaseError(.undefinedObject) { _ = try await connection.query("SELECT * FROM missing") }
        XCTAssertEqual(table?.message, "no such table: missing")
        let column = await assertThrowsDatabaseError(.undefinedObject) { _ = try await connection.query("SELECT nope FROM child") }
        XCTAssertEqual(column?.message, "no such column: nope")
    }

    func testDuplicateObject() async throws {
        let connection = try await openWithSchema()
        await assertThrowsDatabaseError(.duplicateObject) { _ = try await connection.execute("CREATE TABLE parent (x)") }
    }

    func testConstraintViolationsAreToldApartWithoutRepeatingBoundValues() async throws {
        let connection = try await openWithSchema()
        let secret = "secret-value-4711@example.com"
        let insert = "INSERT INTO child (email, price, parent_id) VALUES (?, ?, ?)"
        let cases: [(DatabaseError.Code, String, StatementArguments)] = [
            (.uniqueViolation, "2067", [.text("a@example.com"), 1.0, 1]),
            (.foreignKeyViolation, "787", [.text(secret), 1.0, 99]),
            (.notNullViolation, "1299", [.null, 1.0, 1]),
            (.checkViolation, "275", [.text(secret), -5.0, 1]),
        ]
        for (code, engineCode, arguments) in cases {
            let error = await assertThrowsDatabaseError(code) { _ = try await connection.execute(insert, arguments) }
            XCTAssertEqual(error?.engineCode, engineCode)
            XCTAssertEqual(error?.sql, insert)
            XCTAssertTrue(error?.isConstraintViolation ?? false)
            XCTAssertFalse(error.map { String(describing: $0) + $0.message + ($0.sql ?? "") }?.contains(secret) ?? true)
        }
        let primaryKey = await assertThrowsDatabaseError(.uniqueViolation) { _ = try await connection.execute("INSERT INTO parent VALUES (1)") }
        XCTAssertEqual(primaryKey?.engineCode, "1555")
    }

    func testMissingFileForReadOnlyOrReadWriteOpenIsUnknownDatabase() async throws {
        var configuration = SQLiteTest.configuration("missing.db", readOnly: true)
        await assertThrowsDatabaseError(.unknownDatabase) { _ = try await SQLiteConnection.open(configuration) }
        configuration.readOnly = false
        configuration.options["mode"] = "rw"
        let error = await assertThrowsDatabaseError(.unknownDatabase) { _ = try await SQLiteConnection.open(configuration) }
        XCTAssertEqual(error?.engineCode, "14", "SQLITE_CANTOPEN")
        XCTAssertFalse(FileManager.default.fileExists(atPath: configuration.database), "mode=rw never creates the file")
        let noDirectory = ConnectionConfiguration(dialect: .sqlite, database: configuration.database + ".d/inner/x.db")
        await assertThrowsDatabaseError(.unknownDatabase) { _ = try await SQLiteConnection.open(noDirectory) }
    }

    func testAFileThatIsNotADatabaseIsUnknownDatabase() async throws {
        let configuration = SQLiteTest.configuration("notes.db")
        try Data("just some text, not a database file at all".utf8).write(to: URL(fileURLWithPath: configuration.database))
        let error = await assertThrowsDatabaseError(.unknownDatabase) { _ = try await SQLiteConnection.open(configuration) }
        XCTAssertEqual(error?.engineCode, "26", "SQLITE_NOTADB")
    }

    func testADirectoryPathIsConnectionRefused() async throws {
        let directory = SQLiteTest.configuration().database + ".dir"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let error = await assertThrowsDatabaseError(.connectionRefused) {
            _ = try await SQLiteConnection.open(ConnectionConfiguration(dialect: .sqlite, database: directory))
        }
        XCTAssertEqual(error?.engineCode, "14")
    }

    func testAPasswordIsAnAuthenticationFailureAndIsNeverRepeated() async throws {
        var configuration = SQLiteTest.configuration()
        configuration.password = "hunter2-very-secret"
        let error = await assertThrowsDatabaseError(.authenticationFailed) { _ = try await SQLiteConnection.open(configuration) }
        XCTAssertFalse(String(describing: error).contains("hunter2"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: configuration.database), "nothing was opened")
    }

    func testSQLWithANulByteIsRefused() async throws {
        let connection = try await SQLiteTest.open()
        await assertThrowsDatabaseError(.invalidValue) { _ = try await connection.execute("SELECT 1;\u{0} DROP TABLE x") }
    }
}
