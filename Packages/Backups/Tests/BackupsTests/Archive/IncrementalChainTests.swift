@testable import Backups
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

    /// Restores `backup` into a new database (a SQLite file, or a scratch database on the source's server),
    /// compares every row with `source`, and validates the backup.
    private func assertRestoresExactly(_ backup: BackupRecord, of source: ConnectionConfiguration, with manager: BackupManager,
                                       _ what: String) async throws {
        let target = source.dialect == .sqlite
            ? ConnectionConfiguration(dialect: .sqlite, database: TestDatabases.temporaryDirectory().appendingPathComponent("r.db").path)
            : source.with(database: TestDatabases.uniqueName("dbm_bk_chain"))
        do {
            _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: backup.filePath, targetDatabase: target.url))
            let expected = try await Fixtures.allRows(source)
            let actual = try await Fixtures.allRows(target)
            XCTAssertFalse(expected.isEmpty)
            XCTAssertTrue(expected == actual, "\(what) restores differently from the source")
        } catch {
            if target.dialect != .sqlite { await Fixtures.drop(target) }
            throw error
        }
        if target.dialect != .sqlite { await Fixtures.drop(target) }
        let report = try await manager.validateBackup(ValidateBackupParams(backupPath: backup.filePath))
        XCTAssertTrue(report.valid, "\(what): " + report.errors.joined(separator: "; "))
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
            try await assertRestoresExactly(backup, of: source, with: manager, "\(backup.backupType)")
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

    /// Rows changed all over the table touch every chunk; the incremental stores those chunks as zstd deltas
    /// of the parent's, so it stays a few percent of the full, and a chain of them restores exactly. The rows
    /// also grow, so the dump stream drifts against the parent's: this runs on PostgreSQL, whose backups are
    /// a logical stream (a SQLite backup is a page image; see the tests below).
    func testScatteredChangesAreStoredAsDeltasOfTheParentsChunks() async throws {
        try await scatteredChangesChain(on: try await makePostgreSQLSource(rows: 60_000), encrypted: false, growing: true)
    }

    func testScatteredChangesInAnEncryptedChainAreDeltasToo() async throws {
        try await scatteredChangesChain(on: try await makePostgreSQLSource(rows: 60_000), encrypted: true, growing: true)
    }

    /// A SQLite backup is an image of the database's pages: rows updated in place change their pages in
    /// place, and those chunks are stored as deltas of the parent's at the same offset of the image.
    func testScatteredChangesToASQLiteImageAreDeltasOfTheParentsPages() async throws {
        try await scatteredChangesChain(on: try await makeSource(rows: 60_000), encrypted: false, growing: false)
    }

    func testScatteredChangesToAnEncryptedSQLiteImageInWALModeAreDeltasToo() async throws {
        let source = try await makeSource(rows: 60_000)
        try await change(source, "PRAGMA journal_mode = WAL")
        try await scatteredChangesChain(on: source, encrypted: true, growing: false)
        let restored = TestDatabases.temporaryDirectory().appendingPathComponent("wal.db").path
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path))
        let backup = try await manager.createBackup(of: source, params: CreateBackupParams())
        _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: backup.filePath, targetDatabase: restored))
        let db = try await Database.connect(ConnectionConfiguration(dialect: .sqlite, database: restored))
        let mode = try await db.scalar("PRAGMA journal_mode")
        let check = try await db.scalar("PRAGMA integrity_check")
        await db.close()
        XCTAssertEqual(mode, .text("wal"), "the image keeps the source's journal mode")
        XCTAssertEqual(check, .text("ok"))
    }

    private func makePostgreSQLSource(rows: Int) async throws -> ConnectionConfiguration {
        let source = try await TestDatabases.scratchDatabase(using: PostgreSQLDriver(), on: TestDatabases.postgres(), prefix: "dbm_bk_events")
        let db = try await Database.connect(source)
        _ = try await db.execute("CREATE TABLE event (id integer PRIMARY KEY, kind text NOT NULL, payload text, amount double precision)")
        _ = try await db.execute("CREATE INDEX event_kind ON event (kind)")
        _ = try await db.execute("""
            INSERT INTO event (id, kind, payload, amount)
              SELECT i, 'kind' || (i % 7), 'payload ' || i || ' ' || md5(random()::text) || substr(md5(random()::text), 1, 16), i * 0.25
              FROM generate_series(1, \(rows)) i
            """)
        await db.close()
        addTeardownBlock { await Fixtures.drop(source) }
        return source
    }

    private func scatteredChangesChain(on source: ConnectionConfiguration, encrypted: Bool, growing: Bool) async throws {
        let manager = BackupManager(defaults: try config(encrypted: encrypted, compression: .gzip))
        let full = try await manager.createBackup(of: source, params: CreateBackupParams())
        var chain = [full]
        for round in 1...3 {
            // 1% of the rows, every 100th, changed in place: either 200 bytes longer (the stream drifts
            // 120 KB per round) or with a new value of the same length.
            let grow = source.dialect == .sqlite ? "hex(zeroblob(100))" : "repeat('00', 100)"
            let set = growing ? "payload = payload || ' round \(round) ' || \(grow)" : "kind = 'kand' || (id % 7), amount = amount + \(round)"
            try await change(source, "UPDATE event SET \(set) WHERE id % 100 = \(round)")
            let incremental = try await manager.createBackup(of: source, params: CreateBackupParams(backupType: "incremental"))
            XCTAssertEqual(incremental.parentBackup, chain.last?.id)
            XCTAssertLessThan(incremental.sizeBytes * 20, full.sizeBytes,
                              "\(source.dialect) encrypted \(encrypted), round \(round): \(incremental.sizeBytes) bytes after 1% scattered changes, full \(full.sizeBytes)")
            chain.append(incremental)
        }
        let last = try XCTUnwrap(chain.last)
        try await assertRestoresExactly(last, of: source, with: manager, "the delta chain (\(source.dialect), encrypted \(encrypted))")

        // The manifest names each chunk once, in a table where deltas follow their bases, and reads the same
        // a line at a time as whole.
        let manifestURL = URL(fileURLWithPath: last.filePath).appendingPathComponent(ManifestFile.name)
        let byLines = try XCTUnwrap(try ManifestFile.readByLines(manifestURL), "the manifest is not laid out a record per line")
        XCTAssertEqual(byLines, try ArchiveJSON.decoder().decode(Manifest.self, from: Data(contentsOf: manifestURL)))
        XCTAssertGreaterThanOrEqual(try byLines.allChunks().map(\.deltaDepth).max() ?? 0, 2, "no delta of a delta in the chain")
        let table = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])?["chunks"] as? [Any])
        XCTAssertEqual(table.count, try byLines.allChunks().count)

        // The deltas need their bases: the middle of the chain cannot go, and a damaged base fails the last.
        let info = try manager.getInfo(BackupPathParams(backupPath: last.filePath))
        XCTAssertTrue(info.dependsOn.contains(chain[1].id), "\(info.dependsOn)")
        XCTAssertThrowsError(try manager.deleteBackup(DeleteBackupParams(backupPath: chain[1].filePath)),
                             "deleting a backup whose chunks are delta bases was allowed") { error in
            XCTAssertEqual((error as? BackupError)?.code, .chainDependency)
        }
        let baseChunks = try Fixtures.storedChunks(chain[2].filePath)
        XCTAssertFalse(baseChunks.isEmpty)
        for chunk in baseChunks { try Fixtures.damage(chunk) }
        let damaged = try await manager.validateBackup(ValidateBackupParams(backupPath: last.filePath))
        XCTAssertFalse(damaged.valid, "a backup whose delta bases are damaged validated")
    }

    /// The first fifth of the rows deleted (a retention purge) and 1% of the rest updated all over: every
    /// chunk changed and the stream moved back by far more than a delta's bases cover, yet each chunk
    /// finds the base chunk starting with the same bytes (its head), and the incremental stays a delta of
    /// its parent (before heads every chunk after the purge was stored whole: 80% of the full). Encrypted,
    /// the heads are HMACs.
    func testDeletedLeadingRowsAndScatteredChangesStayDeltas() async throws {
        for encrypted in [false, true] {
            // Enough rows for a few dozen chunks: the first chunk after the purge starts inside a base chunk,
            // so it has no head to find and is stored whole.
            let source = try await makePostgreSQLSource(rows: 150_000)
            let manager = BackupManager(defaults: try config(encrypted: encrypted, compression: .gzip))
            let full = try await manager.createBackup(of: source, params: CreateBackupParams())
            try await change(source, "DELETE FROM event WHERE id <= 30000; UPDATE event SET kind = 'changed' WHERE id % 100 = 0")
            let incremental = try await manager.createBackup(of: source, params: CreateBackupParams(backupType: "incremental"))
            // Only the chunk spanning the purge (and a short last one) may be stored whole; the rest are deltas.
            let manifest = try StoredBackup.open(URL(fileURLWithPath: incremental.filePath), verify: true).manifest
            var whole = 0, deltas = 0
            for entry in manifest.entries where entry.name == "public.event" {
                try entry.chunks.forEach { chunk in
                    guard chunk.location == incremental.id else { return }
                    if chunk.deltaBases.isEmpty { whole += 1 } else { deltas += 1 }
                }
            }
            XCTAssertLessThanOrEqual(whole, 2, "encrypted \(encrypted): \(whole) chunks stored whole, \(deltas) deltas")
            XCTAssertGreaterThan(deltas, 10, "encrypted \(encrypted)")
            // The whole chunk may be up to 1 MiB of this 12 MB table; stored whole before heads, it was 80%.
            XCTAssertLessThan(incremental.sizeBytes * 5, full.sizeBytes,
                              "encrypted \(encrypted): \(incremental.sizeBytes) bytes after deleting the first 20% of the rows, full \(full.sizeBytes)")
            try await assertRestoresExactly(incremental, of: source, with: manager, "the incremental after a purge (encrypted \(encrypted))")
        }
    }

    /// A configuration writing to a new directory, sealing chunks with a key file when `encrypted`.
    private func config(encrypted: Bool, compression: CompressionCodec) throws -> BackupConfig {
        var config = BackupConfig(destination: TestDatabases.temporaryDirectory().path, compression: compression)
        if encrypted {
            let key = TestDatabases.temporaryDirectory().appendingPathComponent("k.key")
            try String(repeating: "cd", count: 32).write(to: key, atomically: true, encoding: .utf8)
            config.encryption = "aes-256-gcm"
            config.encryptionKeyFile = key.path
        }
        return config
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
