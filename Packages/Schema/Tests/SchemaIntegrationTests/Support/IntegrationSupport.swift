import DriverTestSupport
import Drivers
import Foundation
import Schema
import XCTest

/// Scratch databases on the three engines, fixture loading through the engines' own clients, and schema
/// comparison with a readable failure.
enum SchemaTestSupport {
    /// Runs `body` with a connection to a new empty database on `dialect`'s test server; drops it afterwards.
    static func withScratch<T>(_ dialect: Dialect, _ body: (any DatabaseConnection, ConnectionConfiguration) async throws -> T) async throws -> T {
        let driver = Database.driver(for: dialect)
        let server = try TestDatabases.server(dialect)
        let config = try await TestDatabases.scratchDatabase(using: driver, on: server, prefix: "dbm_schema")
        let connection = try await driver.connect(config)
        do {
            let result = try await body(connection, config)
            await connection.close()
            await TestDatabases.dropScratchDatabase(using: driver, config)
            return result
        } catch {
            await connection.close()
            await TestDatabases.dropScratchDatabase(using: driver, config)
            throw error
        }
    }

    /// Fails with the differences when `actual` does not equal `expected` for `dialect`.
    static func assertSameSchema(_ actual: SchemaDefinition, _ expected: SchemaDefinition, _ dialect: Dialect, _ message: String = "",
                                 file: StaticString = #filePath, line: UInt = #line) {
        let differences = SchemaDiffer(from: expected, to: actual, dialect: dialect).changes().map(\.description)
        XCTAssertEqual(differences, [], "\(message) expected → actual on \(dialect.rawValue)", file: file, line: line)
    }

    /// Runs a SQL file with the engine's command-line client (`psql`, `mariadb`), which understands the
    /// dump formats (`COPY ... FROM stdin`, `DELIMITER`).
    static func runClient(_ sql: String, on config: ConnectionConfiguration) throws {
        let process = Process()
        var environment = ProcessInfo.processInfo.environment
        switch config.dialect {
        case .postgresql:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", config.host ?? "127.0.0.1", "-p", String(config.effectivePort ?? 5432),
                                 "-U", config.username ?? "postgres", "-d", config.database]
            environment["PGPASSWORD"] = config.password ?? ""
        case .mysql:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["mariadb", "--protocol=TCP", "-h", config.host ?? "127.0.0.1", "-P", String(config.effectivePort ?? 3306),
                                 "-u", config.username ?? "root", "--default-character-set=utf8mb4", config.database]
            environment["MYSQL_PWD"] = config.password ?? ""
        case .sqlite:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["sqlite3", "-bail", config.database]
        }
        process.environment = environment
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(sql.utf8))
        try input.fileHandleForWriting.close()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SchemaError(.databaseFailure, "the \(config.dialect.rawValue) client failed: " + String(decoding: stderr.prefix(2000), as: UTF8.self))
        }
    }

    /// A view definition in the form the engine prints it back, so round trips compare equal.
    static func viewSQL(_ dialect: Dialect, table: String, columns: [String], where condition: String? = nil) -> String {
        switch dialect {
        case .postgresql:
            return "SELECT " + columns.map { "\(table).\($0)" }.joined(separator: ", ") + " FROM \(table)" + (condition.map { " WHERE \($0)" } ?? "")
        case .mysql:
            return "select " + columns.map { "`\(table)`.`\($0)` AS `\($0)`" }.joined(separator: ",") + " from `\(table)`" + (condition.map { " where \($0)" } ?? "")
        case .sqlite:
            return "SELECT " + columns.joined(separator: ", ") + " FROM \(table)" + (condition.map { " WHERE \($0)" } ?? "")
        }
    }
}
