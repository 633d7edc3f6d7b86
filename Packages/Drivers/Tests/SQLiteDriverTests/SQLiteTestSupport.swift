import DriverTestSupport
import Foundation
import SQLiteDriver
import XCTest

/// Opening scratch SQLite files for the tests; each test gets its own temporary directory.
enum SQLiteTest {
    /// A configuration for a new file `name` in a fresh temporary directory.
    static func configuration(_ name: String = "test.db", readOnly: Bool = false, options: [String: String] = [:]) -> ConnectionConfiguration {
        let path = TestDatabases.temporaryDirectory().appendingPathComponent(name).path
        return ConnectionConfiguration(dialect: .sqlite, database: path, readOnly: readOnly, options: options)
    }

    /// Opens a new scratch database file.
    static func open(_ name: String = "test.db", options: [String: String] = [:]) async throws -> SQLiteConnection {
        try await SQLiteConnection.open(configuration(name, options: options))
    }

    /// A copy of the Chinook fixture in a temporary directory (the fixture itself is never opened).
    static func chinookCopy() throws -> ConnectionConfiguration {
        let fixture = try TestDatabases.fixture("chinook/Chinook_Sqlite.sqlite")
        let copy = TestDatabases.temporaryDirectory().appendingPathComponent("chinook.db")
        try FileManager.default.copyItem(at: fixture, to: copy)
        return ConnectionConfiguration(dialect: .sqlite, database: copy.path)
    }
}

/// Asserts that `body` throws a `DatabaseError` with `code`, and returns it for further checks.
@discardableResult
func assertThrowsDatabaseError(
    _ code: DatabaseError.Code, file: StaticString = #filePath, line: UInt = #line,
    _ body: () async throws -> Void
) async -> DatabaseError? {
    do {
        try await body()
        XCTFail("expected a DatabaseError \(code), but nothing was thrown", file: file, line: line)
        return nil
    } catch let error as DatabaseError {
        XCTAssertEqual(error.code, code, "unexpected error: \(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected a DatabaseError \(code), got \(error)", file: file, line: line)
        return nil
    }
}
