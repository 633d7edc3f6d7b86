import Drivers
import Foundation

/// Takes one native backup: finds the base backup for incremental and differential types, dumps the
/// database through the engine's dumper into a hidden partial directory, verifies what was written,
/// and renames the directory into place only then.
struct BackupCreator {
    let configuration: ConnectionConfiguration
    let databaseName: String
    let config: BackupConfig
    let progress: ProgressReporter
    /// Dump SQLite as SQL statements rather than as a database image (for the plain SQL format).
    var sqliteAsSQL = false

    func run() async throws -> StoredBackup {
        let root = config.destinationURL
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw BackupError(.storage, "cannot create the backup directory \(root.path): \(error.localizedDescription)")
        }
        let key = try config.loadKey()
        let catalog = BackupCatalog(destination: root)
        catalog.removeAbandonedPartials()
        let parent = try findParent(in: catalog, key: key)
        // The chunks of the base backup (those it needs: its chain's) are the ones this backup may reuse; the
        // chunks it writes join them in the same index.
        let (index, baseEntries) = try parent?.manifest.indexed() ?? (try ChunkIndex(), [])

        let createdAt = Date()
        let id = Self.makeID(database: databaseName, type: config.type, at: createdAt)
        let partial = root.appendingPathComponent(".\(id)\(BackupCatalog.partialSuffix)", isDirectory: true)
        let final = BackupCatalog.directory(of: id, in: root)
        do {
            try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw BackupError(.storage, "cannot create \(partial.path): \(error.localizedDescription)")
        }
        // Held while the backup is written: a cleaner that can take it knows the writer is gone.
        let lock: Int32
        do {
            lock = try WriterLock.take(partial.appendingPathComponent(BackupCatalog.partialLockName).path, for: partial.path)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        defer { close(lock) }
        var writer: ChunkWriter?
        do {
            let codec = config.compression
            let baseReader = parent?.reader(key: key, checksContentAddress: false)
            let chunks = ChunkWriter(backupID: id, directory: partial, codec: codec,
                                     level: config.compressionLevel ?? codec.defaultLevel, key: key, index: index,
                                     baseReader: baseReader)
            writer = chunks
            let sink = DumpSink(chunks: chunks, progress: progress, base: baseEntries, baseReader: baseReader)
            let connection = try await Database.connect(configuration)
            let serverVersion: String
            do {
                serverVersion = try await connection.serverVersion()
                try await Self.dumper(for: configuration.dialect, jobs: config.parallelJobs, sqliteAsSQL: sqliteAsSQL)
                    .dump(leader: connection, sink: sink)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
            let (entries, tables) = sink.finish()
            try await chunks.complete()
            try chunks.closePacks()
            var manifest = Manifest(
                id: id, databaseName: databaseName, backupType: parent == nil ? .full : config.type, compression: codec,
                compressionLevel: config.compressionLevel ?? codec.defaultLevel, encryption: config.encryption,
                keyFingerprint: key?.fingerprint, chunkHash: key == nil ? "sha256" : "hmac-sha256",
                createdAt: createdAt, completedAt: Date(), retentionDays: config.retentionDays,
                engine: configuration.dialect.rawValue, serverVersion: serverVersion, parentBackup: parent?.manifest.id,
                storedBytes: chunks.storedBytes, logicalBytes: chunks.logicalBytes, tables: tables, entries: entries)
            manifest.formatVersion = Manifest.currentVersion
            try Self.verifyWritten(manifest, in: partial)
            let manifestSHA256 = try Self.writeManifest(manifest, to: partial)
            // The manifest on disk is the one written: its bytes hash to what was written.
            guard ManifestFile.sha256(of: partial.appendingPathComponent(ManifestFile.name)) == manifestSHA256 else {
                throw BackupError(.storage, "the manifest of \(id) did not read back as written")
            }
            try Task.checkCancellation()
            unlink(partial.appendingPathComponent(BackupCatalog.partialLockName).path)
            try FileManager.default.moveItem(at: partial, to: final)
            progress.phase("done")
            return StoredBackup(directory: final, manifest: manifest, manifestSHA256: manifestSHA256, verification: nil)
        } catch {
            await writer?.drain()
            try? FileManager.default.removeItem(at: partial)
            throw BackupError.wrap(error, "backup of \(databaseName) failed")
        }
    }

    /// The base of an incremental (the newest backup) or differential (the newest full) backup.
    private func findParent(in catalog: BackupCatalog, key: BackupKey?) throws(BackupError) -> StoredBackup? {
        guard config.type != .full else { return nil }
        let (engine, type) = (configuration.dialect.rawValue, config.type)
        let base = try catalog.newest {
            $0.databaseName == databaseName && $0.engine == engine && (type == .incremental || $0.backupType == .full)
        }
        guard let base else {
            throw BackupError(.noBaseBackup, "no earlier backup of \(databaseName) in \(catalog.destination.path) to base a \(config.type.rawValue) backup on; take a full backup first")
        }
        guard base.manifest.keyFingerprint == key?.fingerprint else {
            throw BackupError(.invalidArgument, "the \(config.type.rawValue) backup must use the same encryption and key as its base \(base.manifest.id)")
        }
        return base
    }

    static func dumper(for dialect: Dialect, jobs: Int?, sqliteAsSQL: Bool = false) -> any EngineDumper {
        switch dialect {
        case .postgresql: PostgreSQLDumper(workers: max(1, jobs ?? min(4, ProcessInfo.processInfo.activeProcessorCount)))
        case .mysql: MySQLDumper()
        case .sqlite: sqliteAsSQL ? SQLiteDumper() : SQLiteImageDumper()
        }
    }

    /// `<database>-<UTC time>-<type>-<random>`: sortable, unique, safe as a file name.
    static func makeID(database: String, type: BackupType, at date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let safe = String(database.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(safe.isEmpty ? "db" : safe)-\(formatter.string(from: date))-\(type.rawValue)-\(random)"
    }

    /// Re-reads every chunk written by this backup and checks its stored hash before the backup is published.
    static func verifyWritten(_ manifest: Manifest, in directory: URL) throws(BackupError) {
        try BackupError.rethrowing {
            try manifest.forEachChunk { chunk in
                guard chunk.location == manifest.id else { return }
                guard let bytes = ChunkPaths.readStored(chunk, in: directory), bytes.count == chunk.storedSize,
                      ChunkDigest.sha256(bytes) == chunk.storedDigest else {
                    throw BackupError(.storage, "chunk \(chunk.id.prefix(12)) did not read back as written")
                }
            }
        }
    }

    /// Writes `manifest.json` and `manifest.sha256`; returns the manifest's SHA-256.
    static func writeManifest(_ manifest: Manifest, to directory: URL) throws(BackupError) -> String {
        do {
            let hash = try ManifestFile.write(manifest, to: directory.appendingPathComponent(ManifestFile.name))
            try SecureFile.write(Data((hash + "\n").utf8), to: directory.appendingPathComponent("manifest.sha256"))
            return hash
        } catch {
            throw BackupError(.storage, "cannot write the manifest: \(error.message)")
        }
    }
}

import Crypto

enum SHA256Hex {
    static func of(_ data: Data) -> String { Array(SHA256.hash(data: data)).hexString }
}
