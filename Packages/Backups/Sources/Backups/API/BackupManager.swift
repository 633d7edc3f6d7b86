import Drivers
import Foundation

/// The spec's `BackupManager`: creates, restores, lists, validates, deletes and schedules backups kept in
/// one destination directory.
///
/// Every method takes a `Codable` params value with the spec's snake_case keys and returns a `Codable`
/// result, so the server exposes each as one JSON-RPC method. Long operations report through `progress` and
/// stop cleanly when their `Task` is cancelled (nothing half-written is ever listed).
public struct BackupManager: Sendable {
    /// Defaults applied to every backup: destination, compression, encryption, retention.
    public var defaults: BackupConfig

    /// `BackupManager(config_path)`: `configPath` is a backup directory, or a JSON file holding a
    /// `backup_config` object of defaults; `nil` uses `$DBM_BACKUP_DIR` or `~/.local/share/dbm/backups`.
    public init(configPath: String? = nil) throws(BackupError) {
        guard let configPath, !configPath.isEmpty else {
            defaults = BackupConfig()
            return
        }
        let path = (configPath as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        if path.hasSuffix(".json"), FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            guard let data = FileManager.default.contents(atPath: path),
                  let config = try? JSONDecoder().decode(BackupConfig.self, from: data) else {
                throw BackupError(.invalidArgument, "\(configPath) is not a JSON backup_config")
            }
            defaults = config
        } else {
            defaults = BackupConfig(destination: path)
        }
    }

    /// A manager with explicit defaults.
    public init(defaults: BackupConfig) {
        self.defaults = defaults
    }

    /// The destination directory backups are kept in.
    public var destination: URL { defaults.destinationURL }

    // MARK: - create_backup / backup_database

    /// `create_backup(database_name, backup_config)` and `backup_database` (both spec variants): takes a
    /// backup of the database the params point at and returns its record.
    /// - Throws: `BackupError` (`.noBaseBackup`, `.missingKey`, `.database`, `.storage`, `.cancelled`).
    public func createBackup(_ params: CreateBackupParams, progress: ProgressHandler? = nil) async throws(BackupError) -> BackupRecord {
        let configuration = try DatabaseLocation(databaseURL: params.databaseURL, connectionConfig: params.connectionConfig).configuration()
        return try await createBackup(of: configuration, params: params, progress: progress)
    }

    /// As `createBackup(_:progress:)`, with the connection already resolved (the server passes the
    /// configuration of its registered connection).
    public func createBackup(of configuration: ConnectionConfiguration, params: CreateBackupParams,
                             progress: ProgressHandler? = nil) async throws(BackupError) -> BackupRecord {
        let config = try params.effectiveConfig(defaults: defaults)
        let name = params.databaseName ?? Self.defaultName(configuration)
        let reporter = ProgressReporter(operation: "backup", handler: progress)
        if config.format == "sql" {
            return try await PlainSQLWriter(configuration: configuration, databaseName: name, config: config, progress: reporter).run()
        }
        do {
            let backup = try await BackupCreator(configuration: configuration, databaseName: name, config: config, progress: reporter).run()
            return BackupRecord(backup)
        } catch {
            throw BackupError.wrap(error, "backup of \(name) failed")
        }
    }

    static func defaultName(_ configuration: ConnectionConfiguration) -> String {
        configuration.dialect == .sqlite
            ? URL(fileURLWithPath: configuration.database).deletingPathExtension().lastPathComponent
            : configuration.database
    }

    // MARK: - restore_backup

    /// `restore_backup(backup_path, target_database)`: restores into an empty (or missing) database,
    /// reassembling an incremental backup's chain.
    /// - Throws: `.targetNotEmpty`, `.wrongKey`, `.missingKey`, `.corrupt`, `.database`, `.cancelled`.
    public func restoreBackup(_ params: RestoreBackupParams, progress: ProgressHandler? = nil) async throws(BackupError) -> RestoreResult {
        let started = Date()
        let backup = try StoredBackup.resolve(params.backupPath, destination: destination)
        let key = try backup.key(environmentVariable: params.encryptionKeyEnv ?? defaults.encryptionKeyEnv,
                                 keyFile: params.encryptionKeyFile ?? defaults.encryptionKeyFile)
        let target = try params.target(engine: backup.manifest.engine)
        let restorer = Restorer(backup: backup, key: key, target: target, jobs: params.parallelJobs ?? 2,
                                progress: ProgressReporter(operation: "restore", handler: progress))
        let tables: [Manifest.TableSummary]
        do {
            tables = try await restorer.run()
        } catch {
            throw BackupError.wrap(error, "restore of \(backup.manifest.id) failed")
        }
        return RestoreResult(success: true, backupID: backup.manifest.id, targetDatabase: target.redactedURL,
                             tablesRestored: tables.count, rowsRestored: tables.reduce(0) { $0 + $1.rowCount },
                             executionTime: Date().timeIntervalSince(started),
                             notes: restorer.notes.all.isEmpty ? nil : restorer.notes.all)
    }

    // MARK: - list_backups

    /// `list_backups(database_name=None)`: the completed backups, oldest first.
    public func listBackups(_ params: ListBackupsParams = ListBackupsParams()) -> [BackupRecord] {
        let root = params.destination.map { BackupConfig.destinationURL($0) } ?? destination
        return BackupCatalog(destination: root).summaries(dependencies: false)
            .filter { params.databaseName == nil || $0.fields.databaseName == params.databaseName }
            .map(BackupRecord.init)
    }

    // MARK: - validate_backup

    /// `validate_backup(backup_path)`: checks the manifest and every chunk of the chain; with `test_restore`
    /// also restores into a scratch database, compares every table's row count and checksum, and records
    /// `restore_tested`.
    public func validateBackup(_ params: ValidateBackupParams, progress: ProgressHandler? = nil) async throws(BackupError) -> ValidationReport {
        let backup: StoredBackup
        do {
            backup = try StoredBackup.resolve(params.backupPath, destination: destination)
        } catch let error where error.code == .corrupt {
            var report = ValidationReport(backupPath: params.backupPath, backupID: "", valid: false, manifestChecksumOK: false, verificationHash: "")
            report.errors = [error.message]
            return report
        }
        let key = try backup.key(environmentVariable: params.encryptionKeyEnv ?? defaults.encryptionKeyEnv,
                                 keyFile: params.encryptionKeyFile ?? defaults.encryptionKeyFile)
        let reporter = ProgressReporter(operation: "validate", handler: progress)
        var report: ValidationReport
        do {
            report = try Validator(backup: backup, key: key, progress: reporter).run()
        } catch {
            throw BackupError.wrap(error, "validation of \(backup.manifest.id) failed")
        }
        guard report.valid, params.testRestore == true else { return report }
        reporter.phase("test_restore")
        do {
            let scratch = try await RestoreTest(backup: backup, key: key,
                                                server: DatabaseLocation(databaseURL: params.databaseURL, connectionConfig: params.connectionConfig),
                                                progress: reporter).run()
            report.restoreTested = scratch.isEmpty
            report.errors += scratch
            report.valid = scratch.isEmpty
        } catch {
            throw BackupError.wrap(error, "test restore of \(backup.manifest.id) failed")
        }
        return report
    }

    // MARK: - delete_backup

    /// `delete_backup(backup_path)`: removes a backup's directory. Refuses (`.chainDependency`) when another
    /// backup needs its chunks, unless `force`.
    public func deleteBackup(_ params: DeleteBackupParams) throws(BackupError) -> DeleteResult {
        let backup = try StoredBackup.resolve(params.backupPath, destination: destination)
        let dependents = BackupCatalog(destination: backup.root).dependents(of: backup.manifest.id)
        if !dependents.isEmpty && params.force != true {
            throw BackupError(.chainDependency,
                              "backup \(backup.manifest.id) holds chunks that \(dependents.joined(separator: ", ")) need; delete those first or pass force",
                              backupPath: backup.directory.path)
        }
        do {
            try FileManager.default.removeItem(at: backup.directory)
        } catch {
            throw BackupError(.storage, "cannot delete \(backup.directory.path): \(error.localizedDescription)")
        }
        return DeleteResult(success: true, backupID: backup.manifest.id, brokenBackups: dependents)
    }

    // MARK: - Backup.get_info

    /// `Backup.get_info()`: the record, tables with row counts, and the chain around the backup.
    public func getInfo(_ params: BackupPathParams) throws(BackupError) -> BackupInfo {
        let backup = try StoredBackup.resolve(params.backupPath, destination: destination)
        let catalog = BackupCatalog(destination: backup.root)
        return BackupInfo(backup: BackupRecord(backup), tables: backup.manifest.tables,
                          dependsOn: try backup.manifest.dependencies().sorted(),
                          neededBy: catalog.dependents(of: backup.manifest.id),
                          logicalBytes: backup.manifest.logicalBytes, chunkCount: try backup.manifest.chunkCount())
    }
}
