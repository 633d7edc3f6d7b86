import Foundation

/// Writes a plain SQL file that the engine's own client loads (`psql -f`, `sqlite3 db < file`,
/// `mariadb db < file`), optionally gzip- or bzip2-compressed: no lock-in to dbm.
///
/// The dump is taken exactly as for a native backup (same snapshot rules, same DDL), into a temporary
/// uncompressed archive beside the destination, then rendered to SQL; the file appears under its final
/// name (mode 0600) only when complete.
struct PlainSQLWriter {
    let configuration: ConnectionConfiguration
    let databaseName: String
    let config: BackupConfig
    let progress: ProgressReporter

    func run() async throws(BackupError) -> BackupRecord {
        guard config.type == .full, config.encryption == "none" else {
            throw BackupError(.invalidArgument, "the sql format is a full, unencrypted dump; use the native format for incremental or encrypted backups")
        }
        guard config.compression != .zstd else {
            throw BackupError(.invalidArgument, "the sql format is compressed with gzip, bz2 or none")
        }
        let root = config.destinationURL
        let work = root.appendingPathComponent(".sql-\(UUID().uuidString).partial", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var native = config
        native.destination = work.path
        native.compression = .none
        do {
            let backup = try await BackupCreator(configuration: configuration, databaseName: databaseName, config: native,
                                                 progress: progress, sqliteAsSQL: true).run()
            let ext = switch config.compression { case .gzip: ".sql.gz"; case .bz2: ".sql.bz2"; default: ".sql" }
            let id = backup.manifest.id
            let final = root.appendingPathComponent(id + ext)
            let temporary = root.appendingPathComponent(".\(id)\(ext).partial")
            do {
                try SQLRenderer(backup: backup, compression: config.compression, level: config.compressionLevel ?? config.compression.defaultLevel)
                    .write(to: temporary)
                try FileManager.default.moveItem(at: temporary, to: final)
            } catch {
                // A failed or interrupted render (a full disk, cancellation) leaves no partial file behind.
                try? FileManager.default.removeItem(at: temporary)
                throw error
            }
            var record = BackupRecord(backup)
            let size = (try? FileManager.default.attributesOfItem(atPath: final.path)[.size] as? NSNumber)?.int64Value ?? 0
            record.destination = root.path
            record.filePath = final.path
            record.compression = config.compression
            record.sizeBytes = size
            record.sizeMB = (Double(size) / 1_048_576 * 1000).rounded() / 1000
            record.verificationHash = SHA256Hex.of(try Data(contentsOf: final))
            record.checksum = record.verificationHash
            return record
        } catch {
            throw BackupError.wrap(error, "sql dump of \(databaseName) failed")
        }
    }
}

/// Renders a native backup as a SQL script for the engine's own client.
struct SQLRenderer {
    let backup: StoredBackup
    let compression: CompressionCodec
    let level: Int

    func write(to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: url.path) else {
            throw BackupError(.storage, "cannot create \(url.path)")
        }
        defer { try? handle.close() }
        let gzip = compression == .gzip ? try GzipStream(level: level) : nil
        let bzip = compression == .bz2 ? try Bzip2Stream(level: level) : nil
        func emit(_ text: String) throws {
            let bytes = Array(text.utf8)
            let out = gzip?.write(bytes) ?? bzip?.write(bytes) ?? bytes
            if !out.isEmpty { try handle.write(contentsOf: out) }
        }
        let manifest = backup.manifest
        let dialect = Dialect(rawValue: manifest.engine) ?? .sqlite
        try emit("-- dbm plain SQL dump of \(manifest.databaseName) (\(manifest.engine) \(manifest.serverVersion)), backup \(manifest.id)\n")
        for statement in Restorer.sessionSetup(dialect) { try emit(statement + ";\n") }
        if dialect == .sqlite { try emit("BEGIN;\n") }
        let reader = backup.reader(key: nil)
        var pending: Error?
        for entry in manifest.entries {
            if let copy = entry.copyStatement {
                try emit(copy + ";\n")
                try reader.frames(of: entry) { frame in
                    guard frame.kind == .copyRow else { return }
                    try emit(String(decoding: frame.text, as: UTF8.self) + "\n")
                }
                try emit("\\.\n")
                continue
            }
            var batch = ""
            var batchBytes = 0
            try reader.frames(of: entry) { frame in
                do {
                    let text = String(decoding: frame.text, as: UTF8.self)
                    switch frame.kind {
                    case .statement: try emit(text + ";\n")
                    case .compound:
                        try emit(dialect == .mysql ? "DELIMITER ;;\n\(text);;\nDELIMITER ;\n" : text + ";\n")
                    case .copyRow:
                        break  // only in entries with a copy statement, written above
                    case .row:
                        batch += batch.isEmpty ? (entry.insertPrefix ?? "") + text : ",\n" + text
                        batchBytes += frame.text.count
                        if batchBytes >= Restorer.batchBytes {
                            try emit(batch + ";\n")
                            batch = ""
                            batchBytes = 0
                        }
                    }
                } catch { pending = error; throw error }
            }
            if let pending { throw pending }
            if !batch.isEmpty { try emit(batch + ";\n") }
        }
        if dialect == .sqlite { try emit("COMMIT;\n") }
        if let tail = gzip?.finish() ?? bzip?.finish(), !tail.isEmpty { try handle.write(contentsOf: tail) }
    }
}

import DatabaseDriver
