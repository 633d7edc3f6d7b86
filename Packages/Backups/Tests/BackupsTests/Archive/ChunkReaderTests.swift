@testable import Backups
import Crypto
import DriverTestSupport
import Foundation
import XCTest

/// What each way of reading a chunk checks: validation re-hashes the plaintext against the content
/// address; restores check the stored bytes and skip that second hash.
final class ChunkReaderTests: XCTestCase {
    /// A chinook backup and its first chunk.
    private func firstChunk() async throws -> (StoredBackup, ChunkReference) {
        let destination = TestDatabases.temporaryDirectory()
        let manager = BackupManager(defaults: BackupConfig(destination: destination.path))
        let record = try await manager.createBackup(of: try Fixtures.chinookSQLite(), params: CreateBackupParams())
        let backup = try StoredBackup.open(URL(fileURLWithPath: record.filePath), verify: true)
        let chunk = try XCTUnwrap(backup.manifest.entries.first { !$0.chunks.isEmpty }?.chunks.reference(at: 0))
        return (backup, chunk)
    }

    func testOnlyTheValidatingReaderComparesThePlaintextWithTheContentAddress() async throws {
        let (backup, chunk) = try await firstChunk()
        let plaintext = try backup.reader(key: nil).read(chunk)
        XCTAssertEqual(Array(SHA256.hash(data: plaintext)).hexString, chunk.id)

        // Intact stored bytes under another name: the content address no longer matches the plaintext.
        var renamed = chunk
        renamed.id = String(repeating: "0", count: 64)
        XCTAssertThrowsError(try backup.reader(key: nil).read(renamed)) { error in
            XCTAssertEqual((error as? BackupError)?.code, .corrupt)
        }
        XCTAssertEqual(try backup.reader(key: nil, checksContentAddress: false).read(renamed), plaintext)
    }

    func testTheRestoringReaderStillRefusesDamagedStoredBytes() async throws {
        let (backup, chunk) = try await firstChunk()
        var wrongHash = chunk
        wrongHash.storedSHA256 = String(repeating: "0", count: 64)
        XCTAssertThrowsError(try backup.reader(key: nil, checksContentAddress: false).read(wrongHash)) { error in
            XCTAssertEqual((error as? BackupError)?.code, .corrupt)
        }
        var wrongSize = chunk
        wrongSize.size += 1
        XCTAssertThrowsError(try backup.reader(key: nil, checksContentAddress: false).read(wrongSize)) { error in
            XCTAssertEqual((error as? BackupError)?.code, .corrupt)
        }
    }
}
