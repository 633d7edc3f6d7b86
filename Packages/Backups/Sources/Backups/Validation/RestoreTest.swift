import Drivers
import Foundation

/// Restores a backup into a scratch database, dumps the result again, and compares every table's row
/// count and checksum with the manifest. Records `restore_tested` when they all agree; always drops the
/// scratch database.
struct RestoreTest {
    let backup: StoredBackup
    let key: BackupKey?
    let server: DatabaseLocation
    let progress: ProgressReporter

    /// Returns the differences found (empty when the restore gave back exactly what was backed up).
    func run() async throws -> [String] {
        let manifest = backup.manifest
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-restore-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: work) }
        let scratchName = "dbm_restore_test_\(UInt32.random(in: 0...UInt32.max))"
        let target: ConnectionConfiguration
        if manifest.engine == Dialect.sqlite.rawValue {
            target = ConnectionConfiguration(dialect: .sqlite, database: work.appendingPathComponent("scratch.db").path)
        } else {
            guard server.databaseURL != nil || server.connectionConfig != nil else {
                throw BackupError(.invalidArgument, "a test restore of a \(manifest.engine) backup needs connection_config or database_url for the server to restore on")
            }
            target = try server.configuration().with(database: scratchName)
        }
        do {
            _ = try await Restorer(backup: backup, key: key, target: target, jobs: 2, progress: progress).run()
            let actual: [Manifest.TableSummary]
            if manifest.entries.contains(where: { $0.kind == .databaseImage }) {
                actual = try await SQLiteTableSummaries.compute(databaseAt: target.database)
            } else {
                // Dumped again the way it was backed up, so the checksums are taken over the same text.
                let check = BackupConfig(destination: work.appendingPathComponent("check").path, compression: .none)
                actual = try await BackupCreator(configuration: target, databaseName: "restore-test", config: check, progress: progress,
                                                 sqliteAsSQL: true).run().manifest.tables
            }
            let differences = Self.compare(expected: manifest.tables, actual: actual)
            if differences.isEmpty {
                let record = VerificationRecord(restoreTested: true, testedAt: Date(), tablesCompared: manifest.tables.count)
                let url = backup.directory.appendingPathComponent("verification.json")
                try? FileManager.default.removeItem(at: url)
                try SecureFile.write(try ArchiveJSON.encoder().encode(record), to: url)
            }
            await dropScratch(target)
            return differences
        } catch {
            await dropScratch(target)
            throw error
        }
    }

    private func dropScratch(_ target: ConnectionConfiguration) async {
        guard target.dialect != .sqlite else { return }
        let admin = target.with(database: target.dialect == .postgresql ? "postgres" : "mysql")
        try? await Database.driver(for: target.dialect).dropDatabase(target.database, ifExists: true, on: admin)
    }

    static func compare(expected: [Manifest.TableSummary], actual: [Manifest.TableSummary]) -> [String] {
        var differences = [String]()
        let byName = Dictionary(actual.map { ("\($0.schema ?? "").\($0.name)", $0) }, uniquingKeysWith: { a, _ in a })
        for table in expected {
            let name = "\(table.schema ?? "").\(table.name)"
            guard let restored = byName[name] else {
                differences.append("\(table.name): missing after restore")
                continue
            }
            if restored.rowCount != table.rowCount {
                differences.append("\(table.name): \(restored.rowCount) rows after restore, \(table.rowCount) backed up")
            } else if restored.checksum != table.checksum {
                differences.append("\(table.name): row checksum differs after restore")
            }
        }
        return differences
    }
}
