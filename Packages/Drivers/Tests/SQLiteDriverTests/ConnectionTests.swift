import CSQLite
import DriverTestSupport
import Foundation
import SQLiteDriver
import XCTest
#if canImport(CDispatch)
import CDispatch

/// The label of the dispatch queue running the caller.
private func currentQueueLabel() -> String { String(cString: dispatch_queue_get_label(nil)) }
#else
/// The label of the dispatch queue running the caller.
private func currentQueueLabel() -> String { String(cString: __dispatch_queue_get_label(nil)) }
#endif

final class ConnectionTests: XCTestCase {
    func testConnectCreatesTheFileAndReportsTheLibraryVersion() async throws {
        let configuration = SQLiteTest.configuration()
        XCTAssertFalse(FileManager.default.fileExists(atPath: configuration.database))
        let connection = try await SQLiteDriver().connect(configuration)
        XCTAssertTrue(FileManager.default.fileExists(atPath: configuration.database))
        let version = try await connection.serverVersion()
        XCTAssertEqual(version, String(cString: sqlite3_libversion()))
        let actual1 = try await connection.scalar("SELECT sqlite_version()")
        XCTAssertEqual(actual1, .text(version))
        XCTAssertEqual(connection.dialect, .sqlite)
        await connection.close()
    }

    func testDatabaseInfoCountsTablesViewsAndIndexes() async throws {
        let connection = try await SQLiteTest.open()
        try await connection.executeScript("""
            CREATE TABLE a (id INTEGER PRIMARY KEY, email TEXT UNIQUE);
            CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));
            CREATE INDEX b_a ON b(a_id);
            CREATE VIEW v AS SELECT * FROM a;
            CREATE VIEW w AS SELECT * FROM b;
            ANALYZE;
            """)
        let info = try await connection.databaseInfo()
        XCTAssertEqual(info.engine, "sqlite")
        XCTAssertEqual(info.serverVersion, String(cString: sqlite3_libversion()))
        XCTAssertEqual(info.databaseName, connection.configuration.database)
        XCTAssertEqual(info.encoding, "UTF-8")
        XCTAssertEqual(info.tableCount, 2, "sqlite_stat1 from ANALYZE is internal and not counted")
        XCTAssertEqual(info.viewCount, 2)
        XCTAssertEqual(info.indexCount, 2, "b_a and the UNIQUE constraint's automatic index")
        let fileSize = try FileManager.default.attributesOfItem(atPath: info.databaseName)[.size] as? Int
        XCTAssertEqual(info.sizeBytes, fileSize.map(Int64.init))
    }

    func testInMemoryDatabaseWorks() async throws {
        let connection = try await SQLiteConnection.open(ConnectionConfiguration(dialect: .sqlite, database: ":memory:"))
        _ = try await connection.execute("CREATE TABLE t (x)")
        let info = try await connection.databaseInfo()
        XCTAssertEqual(info.databaseName, ":memory:")
        XCTAssertEqual(info.tableCount, 1)
    }

    func testStatementsRunOnTheConnectionsOwnQueue() async throws {
        let connection = try await SQLiteTest.open()
        let label = try await connection.withCursor("SELECT 1", .none) { _ in
            currentQueueLabel()
        }
        XCTAssertTrue(label.hasPrefix("dbm.sqlite."), "ran on \(label)")
    }

    func testCloseIsIdempotentAndLaterCallsAreMisuse() async throws {
        let connection = try await SQLiteTest.open()
        let alive = await connection.isAlive()
        XCTAssertTrue(alive)
        await connection.close()
        await connection.close()
        let aliveAfterClose = await connection.isAlive()
        XCTAssertFalse(aliveAfterClose)
        await assertThrowsDatabaseError(.misuse) { _ = try await connection.execute("SELECT 1") }
        await assertThrowsDatabaseError(.misuse) { _ = try await connection.serverVersion() }
        await assertThrowsDatabaseError(.misuse) { try await connection.begin() }
        connection.cancel()  // must not crash on a closed connection
    }

    func testReleasingAnOpenConnectionClosesItsFile() async throws {
        let configuration = SQLiteTest.configuration()
        do {
            let connection = try await SQLiteConnection.open(configuration)
            try await connection.begin()
            _ = try await connection.execute("CREATE TABLE t (x)")
            // Released here with its transaction open and without close(): deinit closes the handle,
            // which rolls the transaction back and releases the write lock.
        }
        let other = try await SQLiteConnection.open(configuration)
        _ = try await other.execute("CREATE TABLE u (x)")
        let actual2 = try await other.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 't'")
        XCTAssertEqual(actual2, .integer(0))
    }

    func testExecuteReportsRowsAffectedAndLastInsertID() async throws {
        let connection = try await SQLiteTest.open()
        let create = try await connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        XCTAssertEqual(create, ExecutionResult(rowsAffected: 0, lastInsertID: nil))
        let insert = try await connection.execute("INSERT INTO t (v) VALUES (?), (?)", ["a", "b"])
        XCTAssertEqual(insert, ExecutionResult(rowsAffected: 2, lastInsertID: 2))
        let update = try await connection.execute("UPDATE t SET v = 'c'")
        XCTAssertEqual(update, ExecutionResult(rowsAffected: 2, lastInsertID: nil))
        _ = try await connection.execute("DELETE FROM t WHERE id = 2")
        let again = try await connection.execute("INSERT INTO t (id, v) VALUES (2, 'd')")
        XCTAssertEqual(again.lastInsertID, 2, "an insert reusing the previous rowid is still reported")
        let actual3 = try await connection.scalar("SELECT last_insert_rowid()")
        XCTAssertEqual(actual3, .integer(2))
        let select = try await connection.execute("SELECT * FROM t")
        XCTAssertEqual(select.rowsAffected, 0)
        let actual4 = try await connection.scalar("SELECT last_insert_rowid()")
        XCTAssertEqual(actual4, .integer(2),
                       "a statement that inserts nothing leaves last_insert_rowid() as it was")
    }

    func testExecuteRefusesSeveralStatements() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (x);  -- trailing comment\n")
        await assertThrowsDatabaseError(.misuse) {
            _ = try await connection.execute("INSERT INTO t VALUES (1); DROP TABLE t")
        }
        await assertThrowsDatabaseError(.misuse) {
            _ = try await connection.execute("CREATE TABLE u (y); INSERT INTO u VALUES (1)")
        }
        await assertThrowsDatabaseError(.misuse) { _ = try await connection.execute("SELECT 1; garbage") }
        let actual5 = try await connection.scalar("SELECT count(*) FROM t")
        XCTAssertEqual(actual5, .integer(0), "nothing ran")
        let actual6 = try await connection.execute("  -- only a comment")
        XCTAssertEqual(actual6, ExecutionResult(rowsAffected: 0))
    }

    func testExecuteScriptRunsStatementsInOrderAndStopsAtTheFirstError() async throws {
        let connection = try await SQLiteTest.open()
        try await connection.executeScript("""
            CREATE TABLE t (x INTEGER); -- comment with ; inside
            INSERT INTO t VALUES (1); /* block; comment */ INSERT INTO t VALUES (2);
            """)
        let actual7 = try await connection.scalar("SELECT sum(x) FROM t")
        XCTAssertEqual(actual7, .integer(3))
        let error = await assertThrowsDatabaseError(.undefinedObject) {
            try await connection.executeScript("INSERT INTO t VALUES (10); INSERT INTO missing VALUES (1); INSERT INTO t VALUES (100)")
        }
        XCTAssertEqual(error?.sql, "INSERT INTO missing VALUES (1);")
        let actual8 = try await connection.scalar("SELECT sum(x) FROM t")
        XCTAssertEqual(actual8, .integer(13))
    }

    func testBusyTimeoutOptionBoundsTheWaitForALockedFile() async throws {
        let configuration = SQLiteTest.configuration(options: ["busy_timeout": "100"])
        let writer = try await SQLiteConnection.open(configuration)
        _ = try await writer.execute("CREATE TABLE t (x)")
        _ = try await writer.execute("BEGIN IMMEDIATE")
        let other = try await SQLiteConnection.open(configuration)
        let error = await assertThrowsDatabaseError(.busy) { _ = try await other.execute("INSERT INTO t VALUES (1)") }
        XCTAssertEqual(error?.engineCode, "5")
        try await writer.rollback()
        _ = try await other.execute("INSERT INTO t VALUES (1)")
    }

    func testForeignKeysAreEnforcedByDefaultAndCanBeTurnedOff() async throws {
        let on = try await SQLiteTest.open()
        let actual9 = try await on.scalar("PRAGMA foreign_keys")
        XCTAssertEqual(actual9, .integer(1))
        let off = try await SQLiteTest.open(options: ["foreign_keys": "off"])
        let actual10 = try await off.scalar("PRAGMA foreign_keys")
        XCTAssertEqual(actual10, .integer(0))
    }

    func testJournalModeOption() async throws {
        let connection = try await SQLiteTest.open(options: ["journal_mode": "WAL"])
        let actual11 = try await connection.scalar("PRAGMA journal_mode")
        XCTAssertEqual(actual11, .text("wal"))
        await assertThrowsDatabaseError(.invalidConfiguration) {
            _ = try await SQLiteTest.open(options: ["journal_mode": "wal; DROP TABLE x"])
        }
    }

    func testInvalidOptionsAreRejected() async throws {
        await assertThrowsDatabaseError(.invalidConfiguration) { _ = try await SQLiteTest.open(options: ["busy_timeout": "soon"]) }
        await assertThrowsDatabaseError(.invalidConfiguration) { _ = try await SQLiteTest.open(options: ["mode": "x"]) }
        await assertThrowsDatabaseError(.invalidConfiguration) { _ = try await SQLiteTest.open(options: ["foreign_keys": "maybe"]) }
    }

    func testAConfigurationForAnotherEngineIsRefused() async throws {
        let postgres = ConnectionConfiguration(dialect: .postgresql, host: "127.0.0.1", port: 1, database: "x")
        await assertThrowsDatabaseError(.invalidConfiguration) { _ = try await SQLiteDriver().connect(postgres) }
    }

    func testURLConfigurationOpensTheFile() async throws {
        let path = SQLiteTest.configuration().database
        let connection = try await SQLiteDriver().connect(try ConnectionConfiguration(url: "sqlite:///" + path + "?busy_timeout=250"))
        _ = try await connection.execute("CREATE TABLE t (x)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
    }
}
