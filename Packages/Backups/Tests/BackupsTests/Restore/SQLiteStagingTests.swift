@testable import Backups
import DriverTestSupport
import Drivers
import Foundation
import XCTest

/// SQLite restores into a new file are built in a hidden staging file and renamed into place.
final class SQLiteStagingTests: XCTestCase {
    /// A native backup of a fresh copy of chinook, with the manager that took it.
    private func chinookBackup() async throws -> (ConnectionConfiguration, BackupManager, BackupRecord) {
        let source = try Fixtures.chinookSQLite()
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path))
        return (source, manager, try await manager.createBackup(of: source, params: CreateBackupParams()))
    }

    func testRestoreIntoANewFileLeavesOnlyTheDatabaseAndAFailedOneLeavesNothing() async throws {
        let (source, manager, record) = try await chinookBackup()

        let directory = TestDatabases.temporaryDirectory()
        let target = directory.appendingPathComponent("restored.db").path
        let restored = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: target))
        XCTAssertGreaterThan(restored.rowsRestored, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["restored.db"])
        let expected = try await Fixtures.allRows(source)
        let actual = try await Fixtures.allRows(ConnectionConfiguration(dialect: .sqlite, database: target))
        XCTAssertTrue(expected == actual, "rows differ after a staged restore")
        let db = try await Database.connect(ConnectionConfiguration(dialect: .sqlite, database: target))
        let integrity = try await db.scalar("PRAGMA integrity_check")
        let journal = try await db.scalar("PRAGMA journal_mode")
        await db.close()
        XCTAssertEqual(integrity, .text("ok"))
        XCTAssertEqual(journal, .text("delete"), "the restored file keeps SQLite's default journal mode")

        // A chunk that fails verification half-way: no target file, no staging file.
        let chunk = try XCTUnwrap(Fixtures.storedChunks(record.filePath).last)
        try Fixtures.damage(chunk)
        let failing = TestDatabases.temporaryDirectory()
        do {
            _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: failing.appendingPathComponent("r.db").path))
            XCTFail("a corrupt chunk restored")
        } catch {
            XCTAssertEqual(error.code, .corrupt)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: failing.path), [])
    }

    /// What a killed restore left (its staging file, no process holding its lock) goes at the next restore;
    /// a staging file another restore still holds stays.
    func testTheNextRestoreRemovesAKilledRestoresStagingFileOnly() async throws {
        let (_, manager, record) = try await chinookBackup()
        let directory = TestDatabases.temporaryDirectory()
        let dead = directory.appendingPathComponent(".restored.db.restore-dead").path
        let live = directory.appendingPathComponent(".restored.db.restore-live").path
        for file in [dead, dead + "-journal", dead + ".lock", live, live + ".lock"] {
            XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        }
        let held = open(live + ".lock", O_RDWR)
        XCTAssertEqual(flock(held, LOCK_EX), 0)
        defer { close(held) }

        let target = directory.appendingPathComponent("restored.db").path
        _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: target))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(),
                       [".restored.db.restore-live", ".restored.db.restore-live.lock", "restored.db"])
    }

    func testStagingIsNotUsedForAFileThatHoldsDataOrHasALog() throws {
        let directory = TestDatabases.temporaryDirectory()
        let fresh = directory.appendingPathComponent("fresh.db").path
        XCTAssertNotNil(SQLiteStaging(target: fresh))
        FileManager.default.createFile(atPath: fresh, contents: Data())
        XCTAssertNotNil(SQLiteStaging(target: fresh), "an empty file is replaced")
        FileManager.default.createFile(atPath: fresh + "-wal", contents: Data([1]))
        XCTAssertNil(SQLiteStaging(target: fresh), "a file with a WAL beside it is restored in place")
        let full = directory.appendingPathComponent("full.db").path
        FileManager.default.createFile(atPath: full, contents: Data(repeating: 0, count: 4096))
        XCTAssertNil(SQLiteStaging(target: full))
        XCTAssertNil(SQLiteStaging(target: ":memory:"))
    }

    /// A target that cannot be replaced on disk (a database file that exists without tables) gets the image
    /// through SQLite's backup API; one that holds tables is refused and keeps its rows.
    func testImageRestoresInPlaceIntoAnEmptyDatabaseAndRefusesOneWithTables() async throws {
        let (source, manager, record) = try await chinookBackup()
        let manifest = try StoredBackup.open(URL(fileURLWithPath: record.filePath), verify: true).manifest
        XCTAssertEqual(manifest.entries.map(\.kind), [.databaseImage])
        XCTAssertEqual(manifest.formatVersion, Manifest.currentVersion)
        XCTAssertEqual(manifest.tables.count, 11)
        // Cut every SQLiteImageDumper.chunkSize bytes, so chunk n of the next image covers the same pages.
        let image = try XCTUnwrap(manifest.entries.first?.chunks.array())
        XCTAssertGreaterThan(image.count, 1, "chinook (about 1 MB) is more than one chunk")
        XCTAssertTrue(image.dropLast().allSatisfy { $0.size == SQLiteImageDumper.chunkSize })
        let fileSize = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: source.database)[.size] as? NSNumber)
        XCTAssertEqual(image.reduce(0) { $0 + $1.size }, fileSize.intValue, "the image is the whole file")

        let existing = ConnectionConfiguration(dialect: .sqlite, database: TestDatabases.temporaryDirectory().appendingPathComponent("e.db").path)
        let db = try await Database.connect(existing)
        _ = try await db.execute("PRAGMA user_version = 7")
        await db.close()
        XCTAssertNil(SQLiteStaging(target: existing.database), "the file holds a header page")
        _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: existing.database))
        let expected = try await Fixtures.allRows(source)
        let restored = try await Fixtures.allRows(existing)
        XCTAssertTrue(expected == restored, "rows differ after an in-place image restore")

        let rowsBefore = try await Fixtures.allRows(existing)
        do {
            _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: existing.database))
            XCTFail("an image was restored over a database with tables")
        } catch {
            XCTAssertEqual(error.code, .targetNotEmpty)
        }
        let rowsAfter = try await Fixtures.allRows(existing)
        XCTAssertTrue(rowsBefore == rowsAfter, "a refused restore changed the target")
    }

    /// Backups taken before database images (SQL statements and rows) still restore and test-restore.
    func testSQLFormatBackupsOfSQLiteStillRestore() async throws {
        let source = try Fixtures.chinookSQLite()
        let destination = TestDatabases.temporaryDirectory()
        let stored = try await BackupCreator(configuration: source, databaseName: "chinook", config: BackupConfig(destination: destination.path),
                                             progress: ProgressReporter(operation: "backup", handler: nil), sqliteAsSQL: true).run()
        XCTAssertTrue(stored.manifest.entries.contains { $0.kind == .tableData })
        XCTAssertFalse(stored.manifest.entries.contains { $0.kind == .databaseImage })
        let manager = BackupManager(defaults: BackupConfig(destination: destination.path))
        let target = TestDatabases.temporaryDirectory().appendingPathComponent("old.db").path
        _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: stored.directory.path, targetDatabase: target))
        let expected = try await Fixtures.allRows(source)
        let actual = try await Fixtures.allRows(ConnectionConfiguration(dialect: .sqlite, database: target))
        XCTAssertTrue(expected == actual, "rows differ after restoring a SQL-format backup")
        let report = try await manager.validateBackup(ValidateBackupParams(backupPath: stored.directory.path, testRestore: true))
        XCTAssertTrue(report.valid && report.restoreTested, report.errors.joined(separator: "; "))
    }
}
