import Backups
import DriverTestSupport
import Drivers
import Foundation
import XCTest

/// Corruption, keys, chains and interrupted backups, on real SQLite databases.
final class ArchiveIntegrityTests: XCTestCase {
    private func manager(_ config: BackupConfig = BackupConfig()) -> BackupManager {
        var config = config
        config.destination = TestDatabases.temporaryDirectory().path
        return BackupManager(defaults: config)
    }

    /// The backup's pack files.
    private func packFiles(_ backupPath: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: URL(fileURLWithPath: backupPath).appendingPathComponent("packs"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "pack" }
    }

    private func flipByte(in url: URL, at fraction: Double = 0.5) throws {
        var data = try Data(contentsOf: url)
        let index = min(data.count - 1, Int(Double(data.count) * fraction))
        data[index] ^= 0x01
        try data.write(to: url)
    }

    func testFlippedByteInAChunkFailsValidationAndRestore() async throws {
        let source = try Fixtures.chinookSQLite()
        let manager = manager()
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        let clean = try await manager.validateBackup(ValidateBackupParams(backupPath: record.filePath))
        XCTAssertTrue(clean.valid)
        XCTAssertGreaterThan(clean.chunksChecked, 0)

        let chunk = try XCTUnwrap(Fixtures.storedChunks(record.filePath).first)
        try Fixtures.damage(chunk)
        let report = try await manager.validateBackup(ValidateBackupParams(backupPath: record.filePath))
        XCTAssertFalse(report.valid)
        XCTAssertFalse(report.errors.isEmpty)

        let target = TestDatabases.temporaryDirectory().appendingPathComponent("r.db").path
        do {
            _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: target))
            XCTFail("a corrupt chunk restored")
        } catch let error as BackupError {
            XCTAssertEqual(error.code, .corrupt)
        }
    }

    func testFlippedByteInTheManifestFailsValidation() async throws {
        let source = try Fixtures.chinookSQLite()
        let manager = manager()
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        try flipByte(in: URL(fileURLWithPath: record.filePath).appendingPathComponent("manifest.json"), at: 0.3)
        let report = try await manager.validateBackup(ValidateBackupParams(backupPath: record.filePath))
        XCTAssertFalse(report.valid)
        XCTAssertFalse(report.manifestChecksumOK)
    }

    func testTruncatedChunkFailsValidation() async throws {
        let source = try Fixtures.chinookSQLite()
        let manager = manager(BackupConfig(compression: .none))
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        // The pack ends in the middle of its last chunk.
        let chunk = try XCTUnwrap(Fixtures.storedChunks(record.filePath).max { $0.offset < $1.offset })
        let data = try Data(contentsOf: chunk.pack)
        XCTAssertEqual(data.count, chunk.offset + chunk.size)
        try data.prefix(chunk.offset + chunk.size / 2).write(to: chunk.pack)
        let report = try await manager.validateBackup(ValidateBackupParams(backupPath: record.filePath))
        XCTAssertFalse(report.valid)
    }

    func testEncryptedBackupRestoresWithItsKeyAndRefusesAWrongOrMissingKey() async throws {
        let source = try Fixtures.chinookSQLite()
        let keyDirectory = TestDatabases.temporaryDirectory()
        let rightKey = keyDirectory.appendingPathComponent("right.key")
        let wrongKey = keyDirectory.appendingPathComponent("wrong.key")
        try String(repeating: "ab", count: 32).write(to: rightKey, atomically: true, encoding: .utf8)
        try "another passphrase entirely".write(to: wrongKey, atomically: true, encoding: .utf8)
        let manager = manager(BackupConfig(encryption: "aes-256-gcm", encryptionKeyFile: rightKey.path))
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        XCTAssertEqual(record.encryption, "aes-256-gcm")

        // No plaintext from the database appears in any stored chunk.
        for pack in try packFiles(record.filePath) {
            let bytes = try Data(contentsOf: pack)
            XCTAssertNil(bytes.range(of: Data("AC/DC".utf8)))
        }

        let target = TestDatabases.temporaryDirectory().appendingPathComponent("r.db").path
        let restored = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: target))
        XCTAssertEqual(restored.rowsRestored, 15607)

        let other = TestDatabases.temporaryDirectory().appendingPathComponent("w.db").path
        do {
            _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: other, encryptionKeyFile: wrongKey.path))
            XCTFail("a wrong key was accepted")
        } catch let error as BackupError {
            XCTAssertEqual(error.code, .wrongKey)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: other))

        let withoutKey = BackupManager(defaults: BackupConfig(destination: manager.destination.path, encryptionKeyEnv: "DBM_TEST_NO_SUCH_KEY_VARIABLE"))
        do {
            _ = try await withoutKey.validateBackup(ValidateBackupParams(backupPath: record.filePath))
            XCTFail("an encrypted backup validated without a key")
        } catch let error as BackupError {
            XCTAssertEqual(error.code, .missingKey)
        }
    }

    func testCancelledBackupLeavesNothingListed() async throws {
        let source = try Fixtures.chinookSQLite()
        let manager = manager()
        let holder = TaskHolder()
        let task = Task { try await manager.createBackup(of: source, params: CreateBackupParams()) { progress in
            // Cancel in the middle of the data phase, after some tables were written.
            if progress.phase == "data" && progress.completed >= 2 { holder.cancel() }
        } }
        holder.set(task)
        do {
            _ = try await task.value
            XCTFail("the cancelled backup completed")
        } catch let error as BackupError {
            XCTAssertEqual(error.code, .cancelled)
        }
        XCTAssertEqual(manager.listBackups().count, 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: manager.destination.path)
        XCTAssertEqual(leftovers, [], "a cancelled backup left files behind")
    }

    func testBackupKilledMidWayIsNeverListedAsCompleted() async throws {
        let source = try Fixtures.chinookSQLite()
        let manager = manager()
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        // What a killed process leaves: the hidden partial directory, even with a manifest already in it.
        let partial = manager.destination.appendingPathComponent(".killed.partial")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: record.filePath), to: partial)
        FileManager.default.createFile(atPath: partial.appendingPathComponent(".lock").path, contents: nil)
        XCTAssertEqual(manager.listBackups().map(\.id), [record.id])

        // One a running backup still holds is left alone; the killed one's lock is free, so prune removes it.
        let running = manager.destination.appendingPathComponent(".running.partial")
        try FileManager.default.createDirectory(at: running, withIntermediateDirectories: false)
        let held = open(running.appendingPathComponent(".lock").path, O_CREAT | O_RDWR, 0o600)
        XCTAssertEqual(flock(held, LOCK_EX), 0)
        defer { close(held) }
        let pruned = try manager.prune(PruneParams())
        XCTAssertEqual(pruned.abandonedPartials, [".killed.partial"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: partial.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: running.path))
        XCTAssertEqual(manager.listBackups().map(\.id), [record.id])
    }

    func testBackupFilesAreReadableByTheOwnerOnly() async throws {
        let source = try Fixtures.chinookSQLite()
        let manager = manager()
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        let packs = try packFiles(record.filePath)
        XCTAssertFalse(packs.isEmpty)
        for file in packs + [URL(fileURLWithPath: record.filePath).appendingPathComponent("manifest.json")] {
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
            XCTAssertEqual(mode?.intValue, 0o600, file.lastPathComponent)
        }
    }
}

/// Lets a progress callback cancel the task it reports for.
private final class TaskHolder: @unchecked Sendable {  // the lock guards `task`
    private let lock = NSLock()
    private var task: Task<BackupRecord, any Error>?
    private var cancelled = false

    func set(_ task: Task<BackupRecord, any Error>) {
        lock.lock(); defer { lock.unlock() }
        self.task = task
        if cancelled { task.cancel() }
    }

    func cancel() {
        lock.lock(); defer { lock.unlock() }
        cancelled = true
        task?.cancel()
    }
}
