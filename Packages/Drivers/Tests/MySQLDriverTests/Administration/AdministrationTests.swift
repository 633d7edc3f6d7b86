import DriverTestSupport
import MySQLDriver
import XCTest

final class AdministrationTests: MySQLTestCase {
    func testCreateListAndDropDatabase() async throws {
        let server = try serverConfiguration()
        let name = TestDatabases.uniqueName("dbm_admin")
        try await driver.createDatabase(name, options: CreateDatabaseOptions(), on: server)
        var names = try await driver.listDatabases(server)
        XCTAssertTrue(names.contains(name))
        XCTAssertFalse(names.contains("mysql"))
        XCTAssertFalse(names.contains("information_schema"))
        XCTAssertEqual(names, names.sorted())
        await assertThrows(.duplicateObject) { try await driver.createDatabase(name, options: CreateDatabaseOptions(), on: server) }
        try await driver.createDatabase(name, options: CreateDatabaseOptions(ifNotExists: true), on: server)
        try await driver.dropDatabase(name, ifExists: false, on: server)
        names = try await driver.listDatabases(server)
        XCTAssertFalse(names.contains(name))
        let missing = await assertThrows(.unknownDatabase) { try await driver.dropDatabase(name, ifExists: false, on: server) }
        XCTAssertEqual(missing?.engineCode, "1008")
        try await driver.dropDatabase(name, ifExists: true, on: server)
    }

    func testEncodingAndCollationAreApplied() async throws {
        let server = try serverConfiguration()
        let name = TestDatabases.uniqueName("dbm_admin")
        try await driver.createDatabase(name, options: CreateDatabaseOptions(encoding: "latin1", collation: "latin1_general_ci"), on: server)
        let connection = try await MySQLConnection.connect(server)
        let row = try await connection.query(
            "SELECT default_character_set_name, default_collation_name FROM information_schema.schemata WHERE schema_name = ?",
            [.text(name)]).rows.first
        XCTAssertEqual(row?.values, [.text("latin1"), .text("latin1_general_ci")])
        await connection.close()
        try await driver.dropDatabase(name, ifExists: false, on: server)
    }

    func testInvalidOptionsAndNamesAreRefused() async throws {
        let server = try serverConfiguration()
        await assertThrows(.invalidValue) {
            try await driver.createDatabase("x", options: CreateDatabaseOptions(encoding: "utf8mb4; DROP DATABASE dbm_test"), on: server)
        }
        await assertThrows(.invalidValue) {
            try await driver.createDatabase("x", options: CreateDatabaseOptions(collation: "utf8mb4_bin COLLATE x"), on: server)
        }
        await assertThrows(.invalidValue) { try await driver.createDatabase("", options: CreateDatabaseOptions(), on: server) }
        await assertThrows(.invalidValue) { try await driver.createDatabase("a\u{0}b", options: CreateDatabaseOptions(), on: server) }
        await assertThrows(.invalidValue) {
            try await driver.createDatabase(String(repeating: "d", count: 65), options: CreateDatabaseOptions(), on: server)
        }
    }

    func testHostileNameIsALiteralNameAndNothingElseRuns() async throws {
        let server = try serverConfiguration()
        let bystander = TestDatabases.uniqueName("dbm_bystander")
        try await driver.createDatabase(bystander, options: CreateDatabaseOptions(), on: server)
        let hostile = "x\"; DROP DATABASE \(bystander); --`"
        try await driver.createDatabase(hostile, options: CreateDatabaseOptions(), on: server)
        var names = try await driver.listDatabases(server)
        XCTAssertTrue(names.contains(hostile), "the hostile text is the database's literal name")
        XCTAssertTrue(names.contains(bystander), "the DROP inside the name never ran")
        try await driver.dropDatabase(hostile, ifExists: false, on: server)
        try await driver.dropDatabase(bystander, ifExists: false, on: server)
        names = try await driver.listDatabases(server)
        XCTAssertFalse(names.contains(hostile))
        XCTAssertFalse(names.contains(bystander))
    }

    func testReadOnlyConfigurationCannotCreateDatabases() async throws {
        var server = try serverConfiguration()
        server.readOnly = true
        await assertThrows(.permissionDenied) {
            try await driver.createDatabase(TestDatabases.uniqueName("dbm_ro"), options: CreateDatabaseOptions(), on: server)
        }
    }

    func testDriverRefusesOtherDialects() async throws {
        let sqlite = ConnectionConfiguration(dialect: .sqlite, database: ":memory:")
        await assertThrows(.invalidConfiguration) { _ = try await driver.connect(sqlite) }
        XCTAssertEqual(driver.dialect, .mysql)
    }
}
