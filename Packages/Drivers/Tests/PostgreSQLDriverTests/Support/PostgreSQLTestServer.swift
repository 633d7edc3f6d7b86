import DriverTestSupport
import Foundation
import PostgreSQLDriver
import XCTest

/// The test server, scratch databases on it, and the assertions the PostgreSQL tests share.
enum PostgreSQLTestServer {
    static let driver = PostgreSQLDriver()

    /// The server's configuration (its `postgres` database); skips the test when no server is configured.
    static func configuration() throws -> ConnectionConfiguration {
        try TestDatabases.postgres()
    }

    /// Runs `body` with a fresh empty database, dropped afterwards whatever happens.
    static func withScratchDatabase<T>(_ body: (ConnectionConfiguration) async throws -> T) async throws -> T {
        let scratch = try await TestDatabases.scratchDatabase(using: driver, on: configuration(), prefix: "dbm_pg")
        do {
            let value = try await body(scratch)
            await TestDatabases.dropScratchDatabase(using: driver, scratch)
            return value
        } catch {
            await TestDatabases.dropScratchDatabase(using: driver, scratch)
            throw error
        }
    }

    /// Runs `body` with a connection to a fresh empty database; closes and drops both afterwards.
    static func withScratchConnection<T>(
        readOnly: Bool = false, _ body: (PostgreSQLConnection) async throws -> T
    ) async throws -> T {
        try await withScratchDatabase { scratch in
            var configuration = scratch
            configuration.readOnly = readOnly
            let connection = try await PostgreSQLConnection.open(configuration)
            do {
                let value = try await body(connection)
                await connection.close()
                return value
            } catch {
                await connection.close()
                throw error
            }
        }
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
        XCTFail("expected a DatabaseError with code \(code), but nothing was thrown", file: file, line: line)
        return nil
    } catch let error as DatabaseError {
        XCTAssertEqual(error.code, code, "unexpected error: \(String(reflecting: error))", file: file, line: line)
        return error
    } catch {
        XCTFail("expected a DatabaseError with code \(code), got \(error)", file: file, line: line)
        return nil
    }
}
