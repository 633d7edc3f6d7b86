import Backups
import DriverTestSupport
import Drivers
import Foundation
import XCTest

/// Incremental and differential backups after inserts, updates and deletes: they store only new chunks,
/// restore their whole chain exactly, and protect the backups they need.
final class IncrementalChainTests: XCTestCase {
    private func makeSource(rows: Int) async throws -> ConnectionConfiguration {
        let configuration = ConnectionConfiguration(dialect: .sqlite, database: TestDatabases.temporaryDirectory().appendingPathComponent("events.db").path)
        let db = try await Database.connect(configuration)
        try await db.executeScript("""
            CREATE TABLE event (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT, amount REAL);
            CREATE INDEX event_kind ON event (kind);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(rows))
            INSERT INTO event (id, kind, payload, amount)
              SELECT i, 'kind' || (i % 7), printf('payload %d %s', i, hex(randomblob(24))), i * 0.25 FROM n;
            """)
        await db.close()
        return configuration
    }

    private func change(_ configuration: ConnectionConfiguration, _ sql: String) async throws {
        let db = try await Database.connect(configuration)
        try await db.executeScript(sql)
        await db.close()
    }

    func testIncrementalAndDifferentialChainsStoreOnlyChangesAndRestoreExactly() async throws {
        let source = try await makeSource(rows: 60_000)
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, compression: .zstd))
        let full = try await manager.createBackup(of: source, params: CreateBackupParams())

        try await change(source, "INSERT INTO event (id, kind, payload, amount) VALUES (100001, 'new', 'inserted row', 1.5); UPDATE event SET payload = 'updated' WHERE id = 30000; DELETE FROM event WHERE id BETWEEN 40000 AND 40010;")
        let incremental = try await manager.createBackup(of: source, params: CreateBackupParams(backupType: "incremental"))
        XCTAssertEqual(incremental.backupType, .incremental)
        XCTAssertEqual(incremental.parentBackup, full.id)
        XCTAssertLessThan(incremental.sizeBytes * 5, full.sizeBytes, "an incremental after a few row changes stores a fraction of the full")

        try await change(source, "UPDATE event SET kind = 'changed' WHERE id = 10;")
        let second = try await manager.createBackup(of: source, params: CreateBackupParams(backupType: "incremental"))
        XCTAssertEqual(second.parentBackup, incremental.id)
        let differential = try await manager.createBackup(of: source, params: CreateBackupParams(backupType: "differential"))
        XCTAssertEqual(differential.parentBackup, full.id)

        for backup in [second, differential] {
            let target = ConnectionConfiguration(dialect: .sqlite, database: TestDatabases.temporaryDirectory().appendingPathComponent("r.db").path)
            _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: backup.filePath, targetDatabase: target.database))
            let expected = try await Fixtures.allRows(source)
            let actual = try await Fixtures.allRows(target)
            XCTAssertTrue(expected == actual, "\(backup.backupType) restore differs from the source")
            let report = try await manager.validateBackup(ValidateBackupParams(backupPath: backup.filePath))
            XCTAssertTrue(report.valid, report.errors.joined(separator: "; "))
        }

        // The full backup is needed by the chain: deleting it is refused unless forced.
        do {
            _ = try manager.deleteBackup(DeleteBackupParams(backupPath: full.filePath))
            XCTFail("deleting a full backup an incremental needs was allowed")
        } catch let error as BackupError {
            XCTAssertEqual(error.code, .chainDependency)
        }
        let info = try manager.getInfo(BackupPathParams(backupPath: second.filePath))
        XCTAssertTrue(info.dependsOn.contains(full.id))
        _ = try manager.deleteBackup(DeleteBackupParams(backupPath: second.filePath))
        XCTAssertEqual(manager.listBackups().count, 3)
    }

    func testIncrementalWithoutAnEarlierBackupIsRefused() async throws {
        let source = try await makeSource(rows: 10)
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path))
        do {
            _ = try await manager.createBackup(of: source, params: CreateBackupParams(backupType: "incremental"))
            XCTFail("an incremental without a base was taken")
        } catch let error as BackupError {
            XCTAssertEqual(error.code, .noBaseBackup)
        }
    }
}
