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
