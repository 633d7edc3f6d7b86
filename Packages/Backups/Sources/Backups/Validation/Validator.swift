import Foundation

/// Checks a backup end to end: the manifest against its checksum, then every chunk of its chain (stored
/// hash, decryption, decompression, content address) and every record of the dump stream, with row counts
/// compared to the manifest. A truncated or altered backup never passes.
struct Validator {
    let backup: StoredBackup
    let key: BackupKey?
    let progress: ProgressReporter

    func run() throws -> ValidationReport {
        var report = ValidationReport(backupPath: backup.directory.path, backupID: backup.manifest.id, valid: true,
                                      manifestChecksumOK: true, verificationHash: backup.manifestSHA256)
        let reader = backup.reader(key: key)
        let manifest = backup.manifest
        progress.phase("chunks", total: manifest.entries.count)
        var rowsByEntry = [String: Int64]()
        for entry in manifest.entries {
            if Task.isCancelled { throw BackupError(.cancelled, "validation cancelled") }
            var rows: Int64 = 0
            do {
                if entry.kind == .databaseImage {
                    // Unframed bytes: every chunk is read, decrypted, decompressed and checked.
                    try entry.chunks.forEach { chunk in
                        if Task.isCancelled { throw BackupError(.cancelled, "validation cancelled") }
                        _ = try reader.read(chunk)
                    }
                } else {
                    try reader.frames(of: entry) { frame in if frame.kind == .row || frame.kind == .copyRow { rows += 1 } }
                }
                report.chunksChecked += entry.chunks.count
                report.bytesChecked += entry.chunks.byteCount
            } catch let error as BackupError where error.code == .missingKey || error.code == .wrongKey {
                throw error
            } catch {
                report.valid = false
                report.errors.append("\(entry.name): \((error as? BackupError)?.message ?? "\(error)")")
            }
            if entry.kind == .tableData { rowsByEntry[entry.name, default: 0] += rows }
            progress.tableDone(name: entry.name, rows: rows, bytes: report.bytesChecked)
        }
        for table in manifest.tables {
            let name = table.schema.map { "\($0).\(table.name)" } ?? table.name
            if let rows = rowsByEntry[name], rows != table.rowCount {
                report.valid = false
                report.errors.append("\(name): \(rows) rows in the archive, \(table.rowCount) in the manifest")
            }
        }
        report.tablesChecked = manifest.tables.count
        return report
    }
}

/// What `validate_backup` returns.
public struct ValidationReport: Sendable, Codable, Hashable {
    public var backupPath: String
    public var backupID: String
    public var valid: Bool
    public var manifestChecksumOK: Bool
    public var verificationHash: String
    public var chunksChecked = 0
    public var bytesChecked: Int64 = 0
    public var tablesChecked = 0
    /// True when this validation restored the backup into a scratch database and compared every table.
    public var restoreTested = false
    public var errors: [String] = []

    enum CodingKeys: String, CodingKey {
        case backupPath = "backup_path"
        case backupID = "backup_id"
        case valid
        case manifestChecksumOK = "manifest_checksum_ok"
        case verificationHash = "verification_hash"
        case chunksChecked = "chunks_checked"
        case bytesChecked = "bytes_checked"
        case tablesChecked = "tables_checked"
        case restoreTested = "restore_tested"
        case errors
    }
}
