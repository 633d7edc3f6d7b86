import DriverTestSupport
import Foundation
import MySQLDriver
import XCTest

/// Shared setup for tests against the throwaway MariaDB server (`DBM_TEST_MYSQL_URL`): a scratch
/// database per test and connections to it (fixtures load through `TestDatabases.runClient`).
class MySQLTestCase: XCTestCase {
    let driver = MySQLDriver()

    /// The server configuration (database `dbm_test`); skips the test when the server is not configured.
    func serverConfiguration() throws -> ConnectionConfiguration {
        try TestDatabases.mysql()
    }

    /// Creates a scratch database, connects to it, runs `body`, then closes and drops it.
    func withScratchDatabase(
        _ body: (MySQLConnection, ConnectionConfiguration) async throws -> Void
    ) async throws {
        let scratch = try await TestDatabases.scratchDatabase(using: driver, on: try serverConfiguration(), prefix: "dbm_my")
        do {
            let connection = try await MySQLConnection.connect(scratch)
            do {
                try await body(connection, scratch)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        } catch {
            await TestDatabases.dropScratchDatabase(using: driver, scratch)
            throw error
        }
        await TestDatabases.dropScratchDatabase(using: driver, scratch)
    }

    /// Same as `withScratchDatabase`, for tests that only need the connection.
    func withScratchConnection(_ body: (MySQLConnection) async throws -> Void) async throws {
        try await withScratchDatabase { connection, _ in try await body(connection) }
    }

    /// Asserts that `operation` throws a `DatabaseError` with `code`, and returns it for more checks.
    @discardableResult
    func assertThrows(
        _ code: DatabaseError.Code, file: StaticString = #filePath, line: UInt = #line,
        _ operation: () async throws -> Void
    ) async -> DatabaseError? {
        do {
            try await operation()
            XCTFail("expected DatabaseError \(code), but nothing was thrown", file: file, line: line)
            return nil
        } catch let error as DatabaseError {
            XCTAssertEqual(error.code, code, "unexpected error: \(String(reflecting: error))", file: file, line: line)
            return error
        } catch {
            XCTFail("expected DatabaseError \(code), got \(error)", file: file, line: line)
            return nil
        }
    }
}

