import DriverTestSupport
import Foundation
import SQLiteDriver
import XCTest

final class AdministrationTests: XCTestCase {
    private let driver = SQLiteDriver()

    /// A configuration whose database lives in a fresh directory; administration works in that directory.
    private func base() -> (ConnectionConfiguration, URL) {
        let configuration = SQLiteTest.configuration("main.db")
        return (configuration, URL(fileURLWithPath: configuration.database).deletingLastPathComponent())
    }

    func testCreateListAndDropDatabases() async throws {
        let (configuration, directory) = base()
        try await driver.createDatabase("sales.db", options: CreateDatabaseOptions(), on: configuration)
        try await driver.createDatabase("archive.sqlite3", options: CreateDatabaseOptions(), on: configuration)
        try Data("x".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let path = directory.appendingPathComponent("sales.db").path
        XCTAssertTrue(DatabaseFilesProbe.isSQLite(path), "the new file starts with SQLite's header")

        let actual1 = try await driver.listDatabases(configuration)
        XCTAssertEqual(actual1, ["archive.sqlite3", "sales.db"])

        let connection = try await driver.connect(configuration.with(database: path))
        _ = try await connection.execute("CREATE TABLE t (x)")
        await connection.close()

        try await driver.dropDatabase("sales.db", ifExists: false, on: configuration)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let actual2 = try await driver.listDatabases(configuration)
        XCTAssertEqual(actual2, ["archive.sqlite3"])
    }

    func testCreatingAnExistingDatabaseIsDuplicateUnlessIfNotExists() async throws {
        let (configuration, directory) = base()
        try await driver.createDatabase("a.db", options: CreateDatabaseOptions(), on: configuration)
        let connection = try await driver.connect(configuration.with(database: directory.appendingPathComponent("a.db").path))
        _ = try await connection.execute("CREATE TABLE keep (x)")
        await connection.close()

        await assertThrowsDatabaseError(.duplicateObject) {
            try await self.driver.createDatabase("a.db", options: CreateDatabaseOptions(), on: configuration)
        }
        try await driver.createDatabase("a.db", options: CreateDatabaseOptions(ifNotExists: true), on: configuration)
        let reopened = try await driver.connect(configuration.with(database: directory.appendingPathComponent("a.db").path))
        let actual3 = try await reopened.scalar("SELECT count(*) FROM keep")
        XCTAssertEqual(actual3, .integer(0), "the existing file was kept")
    }

    func testHostileNameIsALiteralFileName() async throws {
        let (configuration, directory) = base()
        let name = #"x"; DROP DATABASE y; --"#
        try await driver.createDatabase(name, options: CreateDatabaseOptions(), on: configuration)
        let path = directory.appendingPathComponent(name).path
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        let connection = try await driver.connect(configuration.with(database: path))
        let actual4 = try await connection.scalar("SELECT count(*) FROM sqlite_schema")
        XCTAssertEqual(actual4, .integer(0))
        await connection.close()
        try await driver.dropDatabase(name, ifExists: false, on: configuration)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testNamesWithNulOrEmptyAreRefused() async throws {
        let (configuration, _) = base()
        await assertThrowsDatabaseError(.invalidValue) {
            try await self.driver.createDatabase("a\u{0}.db", options: CreateDatabaseOptions(), on: configuration)
        }
        await assertThrowsDatabaseError(.invalidValue) {
            try await self.driver.createDatabase("", options: CreateDatabaseOptions(), on: configuration)
        }
        await assertThrowsDatabaseError(.invalidValue) {
            try await self.driver.dropDatabase("a\u{0}.db", ifExists: true, on: configuration)
        }
    }

    func testEncodingOptionIsHonouredAndOtherOptionsAreRefused() async throws {
        let (configuration, directory) = base()
        try await driver.createDatabase("utf16.db", options: CreateDatabaseOptions(encoding: "utf16le"), on: configuration)
        let connection = try await driver.connect(configuration.with(database: directory.appendingPathComponent("utf16.db").path))
        let actual5 = try await connection.scalar("PRAGMA encoding")
        XCTAssertEqual(actual5, .text("UTF-16le"))
        let actual6 = try await connection.databaseInfo().encoding
        XCTAssertEqual(actual6, "UTF-16le")
        let actual7 = try await connection.scalar("SELECT ?", ["ünïcødé"])
        XCTAssertEqual(actual7, .text("ünïcødé"))

        await assertThrowsDatabaseError(.invalidValue) {
            try await self.driver.createDatabase("b.db", options: CreateDatabaseOptions(encoding: "latin1"), on: configuration)
        }
        await assertThrowsDatabaseError(.invalidValue) {
            try await self.driver.createDatabase("c.db", options: CreateDatabaseOptions(collation: "NOCASE"), on: configuration)
        }
        let actual8 = try await driver.listDatabases(configuration)
        XCTAssertEqual(actual8, ["utf16.db"], "refused creations leave no file")
    }

    func testDropRemovesJournalFilesAndHonoursIfExists() async throws {
        let (configuration, directory) = base()
        try await driver.createDatabase("w.db", options: CreateDatabaseOptions(), on: configuration)
        let path = directory.appendingPathComponent("w.db").path
        for suffix in ["-wal", "-shm", "-journal"] {
            try Data().write(to: URL(fileURLWithPath: path + suffix))
        }
        try await driver.dropDatabase("w.db", ifExists: false, on: configuration)
        for suffix in ["", "-wal", "-shm", "-journal"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: path + suffix), "\(suffix) left behind")
        }
        await assertThrowsDatabaseError(.unknownDatabase) {
            try await self.driver.dropDatabase("w.db", ifExists: false, on: configuration)
        }
        try await driver.dropDatabase("w.db", ifExists: true, on: configuration)
    }

    func testDropRefusesAFileThatIsNotADatabase() async throws {
        let (configuration, directory) = base()
        let notes = directory.appendingPathComponent("notes.db")
        try Data("precious notes".utf8).write(to: notes)
        await assertThrowsDatabaseError(.invalidValue) {
            try await self.driver.dropDatabase("notes.db", ifExists: false, on: configuration)
        }
        XCTAssertEqual(try String(contentsOf: notes, encoding: .utf8), "precious notes")
    }

    func testRelativeConfigurationResolvesAgainstTheWorkingDirectory() async throws {
        let directory = TestDatabases.temporaryDirectory()
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(directory.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let memory = ConnectionConfiguration(dialect: .sqlite, database: ":memory:")
        try await driver.createDatabase("here.db", options: CreateDatabaseOptions(), on: memory)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("here.db").path))
        let actual9 = try await driver.listDatabases(memory)
        XCTAssertEqual(actual9, ["here.db"])
        let relative = ConnectionConfiguration(dialect: .sqlite, database: "sub/main.db")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try await driver.createDatabase("inner.db", options: CreateDatabaseOptions(), on: relative)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("sub/inner.db").path))
    }
}

/// Reads a file's first bytes, independently of the driver's own check.
enum DatabaseFilesProbe {
    static func isSQLite(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return data.starts(with: Data("SQLite format 3\0".utf8))
    }
}
