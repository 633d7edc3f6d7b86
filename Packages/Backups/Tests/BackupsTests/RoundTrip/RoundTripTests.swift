import Backups
import DriverTestSupport
import Drivers
import Foundation
import XCTest

/// Back up a real fixture, restore it into an empty database, and compare schema and every row.
final class RoundTripTests: XCTestCase {
    func testChinookOnSQLiteRestoresSchemaAndEveryRow() async throws {
        let source = try Fixtures.chinookSQLite()
        let target = ConnectionConfiguration(dialect: .sqlite, database: TestDatabases.temporaryDirectory().appendingPathComponent("restored.db").path)
        try await roundTrip(source: source, target: target, compression: .gzip)
    }

    func testPagilaOnPostgreSQLRestoresSchemaAndEveryRow() async throws {
        let source = try await Fixtures.pagila()
        let target = try TestDatabases.postgres().with(database: TestDatabases.uniqueName("dbm_bk_restore"))
        do {
            try await roundTrip(source: source, target: target, compression: .bz2)
        } catch {
            await Fixtures.drop(source); await Fixtures.drop(target)
            throw error
        }
        await Fixtures.drop(source); await Fixtures.drop(target)
    }

    func testSakilaOnMariaDBRestoresSchemaAndEveryRow() async throws {
        let source = try await Fixtures.sakila()
        let target = try TestDatabases.mysql().with(database: TestDatabases.uniqueName("dbm_bk_restore"))
        do {
            try await roundTrip(source: source, target: target, compression: .zstd)
        } catch {
            await Fixtures.drop(source); await Fixtures.drop(target)
            throw error
        }
        await Fixtures.drop(source); await Fixtures.drop(target)
    }

    private func roundTrip(source: ConnectionConfiguration, target: ConnectionConfiguration, compression: CompressionCodec) async throws {
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, compression: compression))
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        XCTAssertEqual(record.status, "completed")
        XCTAssertEqual(record.compression, compression)
        XCTAssertGreaterThan(record.sizeBytes, 0)

        let restored = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: target.url))
        XCTAssertTrue(restored.success)
        XCTAssertGreaterThan(restored.rowsRestored, 0)
        // Every MariaDB table loads with LOAD DATA LOCAL; a note means one fell back to INSERTs.
        XCTAssertNil(restored.notes, restored.notes?.joined(separator: "; ") ?? "")

        let expectedSchema = try await Fixtures.schemaFingerprint(source)
        let actualSchema = try await Fixtures.schemaFingerprint(target)
        XCTAssertEqual(Set(expectedSchema).subtracting(actualSchema).sorted(), [], "objects missing or different after restore")
        XCTAssertEqual(Set(actualSchema).subtracting(expectedSchema).sorted(), [], "objects only in the restored database")
        let expectedRows = try await Fixtures.allRows(source)
        let actualRows = try await Fixtures.allRows(target)
        XCTAssertEqual(expectedRows.keys.sorted(), actualRows.keys.sorted())
        for (table, rows) in expectedRows {
            XCTAssertEqual(actualRows[table]?.count, rows.count, "row count of \(table)")
            XCTAssertTrue(actualRows[table] == rows, "rows of \(table) differ after restore")
        }

        let server = target.dialect == .sqlite ? nil : target
        let report = try await manager.validateBackup(ValidateBackupParams(backupPath: record.filePath, testRestore: true, connectionConfig: server))
        XCTAssertTrue(report.valid, report.errors.joined(separator: "; "))
        XCTAssertTrue(report.restoreTested)
        XCTAssertEqual(manager.listBackups().first?.restoreTested, true)
    }
}
