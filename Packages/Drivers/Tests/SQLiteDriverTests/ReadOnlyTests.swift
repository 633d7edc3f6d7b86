import Foundation
import SQLiteDriver
import XCTest

final class ReadOnlyTests: XCTestCase {
    private func readOnlyCopy() async throws -> (SQLiteConnection, ConnectionConfiguration) {
        var configuration = SQLiteTest.configuration()
        let writer = try await SQLiteConnection.open(configuration)
        try await writer.executeScript("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
        await writer.close()
        configuration.readOnly = true
        return (try await SQLiteConnection.open(configuration), configuration)
    }

    func testWritesAreRefusedBeforeTheyRunWithPermissionDenied() async throws {
        let (connection, configuration) = try await readOnlyCopy()
        let before = try Data(contentsOf: URL(fileURLWithPath: configuration.database))
        let writes = [
            "INSERT INTO t VALUES (2)", "UPDATE t SET x = 3", "DELETE FROM t", "CREATE TABLE u (y)", "DROP TABLE t",
            "WITH n(v) AS (SELECT 5) INSERT INTO t SELECT v FROM n",
        ]
        for sql in writes {
            let error = await assertThrowsDatabaseError(.permissionDenied) { _ = try await connection.execute(sql) }
            XCTAssertNil(error?.engineCode, "refused by the driver, not by SQLite: \(sql)")
            XCTAssertEqual(error?.sql, sql)
        }
        await assertThrowsDatabaseError(.permissionDenied) { try await connection.executeScript("SELECT 1; INSERT INTO t VALUES (9);") }
        await assertThrowsDatabaseError(.permissionDenied) {
            _ = try await connection.withCursor("INSERT INTO t VALUES (4) RETURNING x", .none) { try $0.next() }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: configuration.database)), before)
    }

    func testReadsAndTransactionsWorkOnAReadOnlyConnection() async throws {
        let (connection, _) = try await readOnlyCopy()
        try await connection.begin()
        let actual1 = try await connection.scalar("SELECT x FROM t")
        XCTAssertEqual(actual1, .integer(1))
        try await connection.savepoint("s")
        try await connection.releaseSavepoint("s")
        try await connection.commit()
        let info = try await connection.databaseInfo()
        XCTAssertEqual(info.tableCount, 1)
    }

    func testReadOnlyURLOption() async throws {
        let (_, configuration) = try await readOnlyCopy()
        let fromURL = try ConnectionConfiguration(url: "sqlite:///" + configuration.database + "?read_only=true")
        let connection = try await SQLiteDriver().connect(fromURL)
        await assertThrowsDatabaseError(.permissionDenied) { _ = try await connection.execute("DELETE FROM t") }
    }
}
