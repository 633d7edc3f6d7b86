import Backups
import DriverTestSupport
import Drivers
import Foundation
import XCTest

/// The plain SQL format loads with the engine's own client, with no dbm involved.
final class PlainSQLTests: XCTestCase {
    func testGzipSQLDumpOfChinookLoadsWithSqlite3() async throws {
        let source = try Fixtures.chinookSQLite()
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, format: "sql"))
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        XCTAssertTrue(record.filePath.hasSuffix(".sql.gz"))
        let mode = try FileManager.default.attributesOfItem(atPath: record.filePath)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)

        let target = TestDatabases.temporaryDirectory().appendingPathComponent("loaded.db").path
        try Fixtures.run("sh", ["-c", "gzip -dc '\(record.filePath)' | sqlite3 -bail '\(target)'"])
        let expected = try await Fixtures.allRows(source)
        let actual = try await Fixtures.allRows(ConnectionConfiguration(dialect: .sqlite, database: target))
        XCTAssertEqual(expected.keys.sorted(), actual.keys.sorted())
        XCTAssertTrue(expected == actual, "rows loaded by sqlite3 differ from the source")
    }

    func testBzip2SQLDumpOfSakilaLoadsWithTheMariaDBClient() async throws {
        let source = try await Fixtures.sakila()
        let target = try await TestDatabases.scratchDatabase(using: MySQLDriver(), on: TestDatabases.mysql(), prefix: "dbm_bk_sql")
        do {
            let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, compression: .bz2, format: "sql"))
            let record = try await manager.createBackup(of: source, params: CreateBackupParams())
            XCTAssertTrue(record.filePath.hasSuffix(".sql.bz2"))
            let plain = TestDatabases.temporaryDirectory().appendingPathComponent("dump.sql")
            try Fixtures.run("sh", ["-c", "bzip2 -dc '\(record.filePath)' > '\(plain.path)'"])
            try TestDatabases.runClient(.file(plain), on: target)
            let expected = try await Fixtures.allRows(source)
            let actual = try await Fixtures.allRows(target)
            XCTAssertTrue(expected == actual, "rows loaded by mariadb differ from the source")
            let expectedSchema = try await Fixtures.schemaFingerprint(source)
            let actualSchema = try await Fixtures.schemaFingerprint(target)
            XCTAssertEqual(expectedSchema.count, actualSchema.count)
        } catch {
            await Fixtures.drop(source); await Fixtures.drop(target)
            throw error
        }
        await Fixtures.drop(source); await Fixtures.drop(target)
    }

    func testGzipSQLDumpOfPagilaLoadsWithPsqlThroughCopy() async throws {
        let source = try await Fixtures.pagila()
        let target = try await TestDatabases.scratchDatabase(using: PostgreSQLDriver(), on: TestDatabases.postgres(), prefix: "dbm_bk_sql")
        do {
            let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, format: "sql"))
            let record = try await manager.createBackup(of: source, params: CreateBackupParams())
            let plain = TestDatabases.temporaryDirectory().appendingPathComponent("dump.sql")
            try Fixtures.run("sh", ["-c", "gzip -dc '\(record.filePath)' > '\(plain.path)'"])
            let text = try String(contentsOf: plain, encoding: .utf8)
            XCTAssertTrue(text.contains("COPY \"public\".\"film\" ("), "table data is not written as COPY")
            try TestDatabases.runClient(.file(plain), on: target)
            let expected = try await Fixtures.allRows(source)
            let actual = try await Fixtures.allRows(target)
            XCTAssertEqual(expected.keys.sorted(), actual.keys.sorted())
            XCTAssertTrue(expected == actual, "rows loaded by psql differ from the source")
        } catch {
            await Fixtures.drop(source); await Fixtures.drop(target)
            throw error
        }
        await Fixtures.drop(source); await Fixtures.drop(target)
    }
}
