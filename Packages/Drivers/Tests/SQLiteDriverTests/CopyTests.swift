import DriverTestSupport
import Foundation
import SQLiteDriver
import XCTest

/// The online-backup copy a SQLite image backup is taken with, and the row encoding its checksums use.
final class CopyTests: XCTestCase {
    /// A copy taken inside a read transaction holds that snapshot, not rows another connection commits
    /// while the copy is taken; the file is private to its owner; an existing file is never overwritten.
    func testCopyHoldsTheTransactionsSnapshot() async throws {
        let configuration = SQLiteTest.configuration("source.db")
        let writer = try await SQLiteConnection.open(configuration)
        _ = try await writer.execute("PRAGMA journal_mode = WAL")
        _ = try await writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        _ = try await writer.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t (v) SELECT 'row ' || i FROM n")
        let reader = try await SQLiteConnection.open(configuration)
        try await reader.begin()
        _ = try await reader.scalar("SELECT count(*) FROM t")
        _ = try await writer.execute("INSERT INTO t (v) VALUES ('after the snapshot')")
        let copy = URL(fileURLWithPath: configuration.database).deletingLastPathComponent().appendingPathComponent("copy.db").path
        try await reader.copyDatabase(to: copy)
        try await reader.commit()

        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? NSNumber)
        XCTAssertEqual(mode.intValue & 0o777, 0o600)
        let copied = try await SQLiteConnection.open(ConnectionConfiguration(dialect: .sqlite, database: copy))
        let rows = try await copied.scalar("SELECT count(*) FROM t")
        XCTAssertEqual(rows, .integer(5000), "the copy holds the reader's snapshot")
        await copied.close()
        do {
            try await reader.copyDatabase(to: copy)
            XCTFail("an existing file was overwritten")
        } catch let error as DatabaseError {
            XCTAssertEqual(error.code, .permissionDenied)
        }
        await reader.close()
        await writer.close()
    }

    /// `replaceDatabase` puts another file's content into an open database.
    func testReplaceDatabaseLoadsAnotherFile() async throws {
        let file = SQLiteTest.configuration("a.db")
        let source = try await SQLiteConnection.open(file)
        _ = try await source.execute("CREATE TABLE t (x)")
        _ = try await source.execute("INSERT INTO t VALUES (1), (2)")
        await source.close()
        let target = try await SQLiteConnection.open(ConnectionConfiguration(dialect: .sqlite, database: ":memory:"))
        try await target.replaceDatabase(from: file.database)
        let sum = try await target.scalar("SELECT sum(x) FROM t")
        XCTAssertEqual(sum, .integer(3))
        await target.close()
    }

    /// Each stored value is encoded exactly, with its storage class: 1, 1.0, '1' and x'31' all differ.
    func testEncodedRowsKeepTypesAndBytes() async throws {
        let connection = try await SQLiteConnection.open(ConnectionConfiguration(dialect: .sqlite, database: ":memory:"))
        let rows = try await connection.reduceEncodedRows(
            "SELECT 1, NULL UNION ALL SELECT 1.0, 'é' UNION ALL SELECT '1', x'31'", into: [[UInt8]]()) { rows, row in rows.append(Array(row)) }
        await connection.close()
        func le<I: FixedWidthInteger>(_ v: I) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        XCTAssertEqual(rows, [
            [0x69] + le(Int64(1)) + [0x6E],
            [0x72] + le((1.0 as Double).bitPattern) + [0x74] + le(UInt32(2)) + [0xC3, 0xA9],
            [0x74] + le(UInt32(1)) + [0x31] + [0x62] + le(UInt32(1)) + [0x31],
        ])
    }
}
