import DriverTestSupport
import Foundation
import MySQLDriver
import XCTest

/// Shared setup for tests against the throwaway MariaDB server (`DBM_TEST_MYSQL_URL`): a scratch
/// database per test, connections to it, and the `mariadb` command-line client for loading fixtures.
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

/// Runs the `mariadb` command-line client against a configuration (the password goes through the
/// environment, never the command line).
enum MariaDBCLI {
    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "mariadb exited with \(status): \(stderr)" }
    }

    /// Feeds `input` to `mariadb` connected to `configuration` (its database when `useDatabase`).
    static func run(_ input: Data, on configuration: ConnectionConfiguration, useDatabase: Bool = true) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["mariadb", "--no-defaults", "--batch", "--default-character-set=utf8mb4",
                         "-h", configuration.host ?? "127.0.0.1", "-P", String(configuration.effectivePort ?? 3306)]
        if let user = configuration.username { arguments += ["-u", user] }
        if useDatabase { arguments.append(configuration.database) }
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let password = configuration.password { environment["MYSQL_PWD"] = password }
        process.environment = environment
        // The input goes through a file: a pipe would need a writer thread for large fixtures.
        let inputFile = TestDatabases.temporaryDirectory().appendingPathComponent("input.sql")
        try input.write(to: inputFile)
        defer { try? FileManager.default.removeItem(at: inputFile.deletingLastPathComponent()) }
        let stdin = try FileHandle(forReadingFrom: inputFile)
        defer { try? stdin.close() }
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let errorOutput = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(status: process.terminationStatus, stderr: String(decoding: errorOutput, as: UTF8.self))
        }
    }
}
