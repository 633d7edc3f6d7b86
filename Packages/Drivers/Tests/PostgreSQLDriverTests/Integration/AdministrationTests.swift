import DriverTestSupport
import PostgreSQLDriver
import XCTest

final class AdministrationTests: XCTestCase {
    private let driver = PostgreSQLDriver()

    func testCreateListAndDropADatabase() async throws {
        let server = try PostgreSQLTestServer.configuration()
        let name = TestDatabases.uniqueName("dbm_pg_admin")
        try await driver.createDatabase(name, options: CreateDatabaseOptions(), on: server)
        var names = try await driver.listDatabases(server)
        XCTAssertTrue(names.contains(name))
        XCTAssertFalse(names.contains("template0"))
        XCTAssertFalse(names.contains("template1"))
        XCTAssertEqual(names, names.sorted())

        await assertThrowsDatabaseError(.duplicateObject) {
            try await self.driver.createDatabase(name, options: CreateDatabaseOptions(), on: server)
        }
        try await driver.createDatabase(name, options: CreateDatabaseOptions(ifNotExists: true), on: server)

        try await driver.dropDatabase(name, ifExists: false, on: server)
        names = try await driver.listDatabases(server)
        XCTAssertFalse(names.contains(name))
        await assertThrowsDatabaseError(.unknownDatabase) {
            try await self.driver.dropDatabase(name, ifExists: false, on: server)
        }
        try await driver.dropDatabase(name, ifExists: true, on: server)
    }

    func testHostileDatabaseNameIsALiteralName() async throws {
        let server = try PostgreSQLTestServer.configuration()
        let bystander = TestDatabases.uniqueName("dbm_pg_bystander")
        try await driver.createDatabase(bystander, options: CreateDatabaseOptions(), on: server)
        let hostile = "x\"; DROP DATABASE \(bystander); -- \(UInt16.random(in: 0...UInt16.max))"
        try await driver.createDatabase(hostile, options: CreateDatabaseOptions(), on: server)
        var names = try await driver.listDatabases(server)
        XCTAssertTrue(names.contains(hostile))
        XCTAssertTrue(names.contains(bystander), "the name was executed as SQL")

        // The database opens under its literal name.
        let connection = try await PostgreSQLConnection.open(server.with(database: hostile))
        let current = try await connection.scalar("SELECT current_database()")
        XCTAssertEqual(current, .text(hostile))
        await connection.close()

        try await driver.dropDatabase(hostile, ifExists: false, on: server)
        names = try await driver.listDatabases(server)
        XCTAssertFalse(names.contains(hostile))
        XCTAssertTrue(names.contains(bystander))
        try await driver.dropDatabase(bystander, ifExists: false, on: server)
    }

    func testCreateDatabaseHonoursEncodingLocaleAndTemplate() async throws {
        let server = try PostgreSQLTestServer.configuration()
        let name = TestDatabases.uniqueName("dbm_pg_opts")
        try await driver.createDatabase(name, options: CreateDatabaseOptions(encoding: "SQL_ASCII", collation: "C"), on: server)
        let connection = try await PostgreSQLConnection.open(server)
        let row = try await connection.query(
            "SELECT pg_encoding_to_char(encoding), datcollate FROM pg_database WHERE datname = $1", [.text(name)]).rows.first
        XCTAssertEqual(row?.values, [.text("SQL_ASCII"), .text("C")])
        await connection.close()
        try await driver.dropDatabase(name, ifExists: false, on: server)

        let copy = TestDatabases.uniqueName("dbm_pg_tmpl")
        try await driver.createDatabase(copy, options: CreateDatabaseOptions(template: "template0", owner: "postgres"), on: server)
        try await driver.dropDatabase(copy, ifExists: false, on: server)
    }

    func testInvalidNamesAndOptionsAreRefusedBeforeAnySQLRuns() async throws {
        let server = try PostgreSQLTestServer.configuration()
        await assertThrowsDatabaseError(.invalidValue) {
            try await self.driver.createDatabase("", options: CreateDatabaseOptions(), on: server)
        }
        await assertThrowsDatabaseError(.invalidValue) {
            try await self.driver.createDatabase(String(repeating: "n", count: 64), options: CreateDatabaseOptions(), on: server)
        }
        await assertThrowsDatabaseError(.invalidValue) {
            try await self.driver.createDatabase("dbm_pg_never", options: CreateDatabaseOptions(encoding: "UTF8'; DROP"), on: server)
        }
        await assertThrowsDatabaseError(.invalidValue) {
            try await self.driver.createDatabase("dbm_pg_never", options: CreateDatabaseOptions(collation: "en US"), on: server)
        }
        let names = try await driver.listDatabases(server)
        XCTAssertFalse(names.contains("dbm_pg_never"))
    }
}
