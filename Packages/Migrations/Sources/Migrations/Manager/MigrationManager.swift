import DatabaseDriver
import Foundation

/// Opens a connection for a configuration; `Database.connect` by default.
///
/// - Important: the manager closes every connection it gets when the call ends (the session-scoped lock
///   relies on it), so return a dedicated connection, never one a pool will hand out again.
public typealias MigrationConnectionFactory = @Sendable (ConnectionConfiguration) async throws -> any DatabaseConnection

/// The spec's `MigrationManager(migration_dir, database_url)`: reads a migration directory and brings a
/// database up or down, keeping the history in the database.
///
/// Each call opens one connection and closes it before returning. Runs that change the database hold the
/// migration lock (`MigrationLock`) for their whole duration; reads (`get_current_revision`,
/// `get_pending_migrations`, `get_migration_history`, `validate_migrations`, dry runs) take no lock and
/// change nothing. Every method throws `MigrationError` (with the engine's `DatabaseError` inside for
/// failures in the database) or `DatabaseError` for connection failures.
public struct MigrationManager: Sendable {
    public let migrationDirectory: String
    public let configuration: ConnectionConfiguration
    public var options: MigrationOptions
    /// Called when each migration starts and finishes (the server sends `$/progress`).
    public var progress: MigrationProgressHandler?
    let connect: MigrationConnectionFactory

    /// - Parameters:
    ///   - migrationDirectory: the directory holding the migration files.
    ///   - configuration: the target database.
    ///   - connect: how to open a connection; defaults to `Database.connect`.
    public init(migrationDirectory: String, configuration: ConnectionConfiguration, options: MigrationOptions = .init(),
                progress: MigrationProgressHandler? = nil, connect: MigrationConnectionFactory? = nil) {
        self.migrationDirectory = migrationDirectory
        self.configuration = configuration
        self.options = options
        self.progress = progress
        self.connect = connect ?? MigrationManager.defaultConnect
    }

    /// The spec's constructor: `MigrationManager(migration_dir, database_url)`.
    /// - Throws: `DatabaseError` (`.invalidConfiguration`) for a malformed URL.
    public init(migrationDir: String, databaseURL: String, options: MigrationOptions = .init(),
                progress: MigrationProgressHandler? = nil) throws {
        self.init(migrationDirectory: migrationDir, configuration: try ConnectionConfiguration(url: databaseURL),
                  options: options, progress: progress)
    }

    // MARK: reading

    /// `get_current_revision`: the newest applied revision, or `nil` on a database with none.
    public func getCurrentRevision() async throws -> String? {
        try await withState { state, _ in state.currentRevision }
    }

    /// `get_pending_migrations`: what `upgrade()` would apply, in order.
    public func getPendingMigrations() async throws -> [Migration] {
        try await withState { state, _ in try state.pending() }
    }

    /// `get_migration_history`: the toolkit's history rows, in the order they were applied (dirty rows included).
    /// Migrations another tool applied appear once a run has adopted them.
    public func getMigrationHistory() async throws -> [HistoryEntry] {
        try await withState { state, _ in state.history.values.sorted { $0.appliedOrder < $1.appliedOrder } }
    }

    /// `validate_migrations`: every problem with the directory and, when the database answers, with its history:
    /// unreadable or unsplittable files, files the format ignores, missing or cyclic dependencies, drift
    /// (an applied file was edited), applied migrations whose files are gone, a dirty migration, migrations
    /// pending out of order. Empty when all is well. Linear in the number of migrations.
    public func validateMigrations() async throws -> [String] {
        var issues: [String] = []
        let loaded = Result { () throws(MigrationError) -> MigrationDirectory in try loadDirectory() }
        guard case .success(let directory) = loaded else {
            if case .failure(let error) = loaded { return [error.message] }
            return []
        }
        for file in directory.ignoredFiles {
            issues.append("\(file): not a \(directory.format.rawValue) migration file name; it is ignored")
        }
        for migration in directory.migrations {
            // Up-only and empty (comment-only) migrations are legitimate; only real problems are reported.
            for issue in migration.validate(dialect: configuration.dialect)
            where !issue.hasPrefix("no downgrade") && !issue.hasSuffix("has no statements") {
                issues.append("\(migration.revision): \(issue)")
            }
        }
        let connection = try await connect(configuration)
        do {
            let state = try await readState(directory: directory, on: connection)
            for (migration, entry) in state.drifted {
                issues.append("\(migration.revision): drift: \(migration.files.first ?? migration.name) changed after it was applied "
                    + "(checksum \(entry.checksum.prefix(12))… recorded, \(migration.checksum.prefix(12))… now)")
            }
            for entry in state.missing {
                issues.append("\(entry.revision): applied (\(entry.description)) but its file is missing from the directory")
            }
            if let dirty = state.dirty { issues.append(dirtyMessage(dirty)) }
            if let toolDirty = state.tool.dirtyRevision, state.dirty == nil {
                issues.append("\(toolDirty): \(directory.format.rawValue) marks this migration as failed or dirty")
            }
            let pending = (try? state.pending()) ?? []
            for m in state.outOfOrder(in: pending) {
                issues.append("\(m.revision): pending but older than the newest applied migration "
                    + "\(state.current?.revision ?? "?"); apply it with out_of_order")
            }
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        return issues
    }

    /// A summary of the directory against the database (for `migrate status`).
    public func status() async throws -> MigrationStatusReport {
        try await withState { state, directory in
            let pending = try state.pending()
            return MigrationStatusReport(
                format: directory.format, currentRevision: state.currentRevision, applied: state.applied.count,
                pending: pending.map(\.revision), outOfOrder: state.outOfOrder(in: pending).map(\.revision),
                drifted: state.drifted.map(\.migration.revision), missingFiles: state.missing.map(\.revision),
                dirty: state.dirty, ignoredFiles: directory.ignoredFiles)
        }
    }

    /// The name of the migration lock: `GET_LOCK` name on MySQL/MariaDB, hashed into `advisoryLockKey` on
    /// PostgreSQL. Useful to find the runner that holds it.
    public var lockName: String {
        MigrationLock.name(database: configuration.database, table: options.migrationsTable)
    }

    /// The `pg_advisory_lock` key a PostgreSQL run holds.
    public var advisoryLockKey: Int64 { MigrationLock.advisoryKey(for: lockName) }

    /// The lock name as MySQL/MariaDB sees it (at most 64 characters).
    public var mysqlLockName: String { MigrationLock.mysqlName(for: lockName) }

    // MARK: shared plumbing

    static let defaultConnect: MigrationConnectionFactory = { configuration in
        try await DatabaseConnector.connect(configuration)
    }

    func loadDirectory() throws(MigrationError) -> MigrationDirectory {
        try MigrationDirectory.load(migrationDirectory, format: options.format)
    }

    var historyTable: HistoryTable {
        get throws(MigrationError) { try HistoryTable(name: options.migrationsTable, dialect: configuration.dialect) }
    }

    func toolHistory(_ directory: MigrationDirectory) -> ToolHistory? {
        ToolHistory(format: directory.format, dialect: configuration.dialect, table: options.toolTable)
    }

    var user: String {
        configuration.username ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }

    func readState(directory: MigrationDirectory, on connection: any DatabaseConnection) async throws -> MigrationState {
        let table = try historyTable
        let entries = try await table.exists(on: connection) ? try await table.read(on: connection) : []
        let tool = try await toolHistory(directory)?.read(on: connection, directory: directory.migrations) ?? ToolHistoryState()
        return MigrationState(directory: directory, history: entries, tool: tool)
    }

    /// Loads the directory, opens a connection, reads the state, runs `body`, closes the connection. No lock.
    func withState<T: Sendable>(_ body: (MigrationState, MigrationDirectory) throws -> T) async throws -> T {
        let directory = try loadDirectory()
        let connection = try await connect(configuration)
        do {
            let result = try body(try await readState(directory: directory, on: connection), directory)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Loads the directory, connects, takes the lock, makes sure the history tables exist, reads the state, runs
    /// `body`, and releases the lock and the connection whatever happens.
    func withLockedState<T: Sendable>(
        _ body: (MigrationState, MigrationExecutor) async throws -> T
    ) async throws -> T {
        let directory = try loadDirectory()
        let table = try historyTable
        let connection = try await connect(lockingConfiguration)
        let lock = MigrationLock(connection: connection, database: configuration.database, table: options.migrationsTable,
                                 timeout: options.lockTimeout)
        do {
            try await lock.acquire()
        } catch {
            await connection.close()
            throw error
        }
        let tool = toolHistory(directory)
        let executor = MigrationExecutor(connection: connection, lock: lock, history: table, tool: tool, user: user)
        do {
            try await table.create(on: connection)
            try await tool?.create(on: connection)
            let state = try await readState(directory: directory, on: connection)
            let result = try await body(state, executor)
            await Self.releaseUncancellable(lock)
            await connection.close()
            return result
        } catch {
            await Self.releaseUncancellable(lock)
            await connection.close()
            throw error
        }
    }

    /// Releases the lock even when the run was cancelled (the drivers refuse statements of a cancelled task):
    /// on SQLite the release commits the migrations that completed before the cancel.
    static func releaseUncancellable(_ lock: MigrationLock) async {
        await Task { await lock.release() }.value
    }

    /// On SQLite the lock is the write lock, which waits in SQLite's busy handler: let it wait as long as
    /// `lock_timeout` unless the URL sets `busy_timeout` itself.
    var lockingConfiguration: ConnectionConfiguration {
        guard configuration.dialect == .sqlite, configuration.options["busy_timeout"] == nil else { return configuration }
        var copy = configuration
        copy.options["busy_timeout"] = String(Int(max(0, options.lockTimeout) * 1000))
        return copy
    }

    func dirtyMessage(_ entry: HistoryEntry) -> String {
        let verb = entry.direction == .down ? "rolling back" : "applying"
        var message = "\(entry.revision): dirty: \(verb) it stopped after \(entry.statementsApplied) statement(s)"
        if let statement = entry.failedStatement, !statement.isEmpty {
            message += " at: \(statement.prefix(200))"
        }
        if let error = entry.errorMessage { message += " (\(error))" }
        return message + ". Run repair with action \"resume\" (after fixing the cause), \"mark_applied\" or \"mark_rolled_back\""
    }

    /// Refuses to run while the history is dirty or drifted, saying what happened and the way out.
    func checkClean(_ state: MigrationState) throws(MigrationError) {
        if let dirty = state.dirty {
            throw MigrationError(.dirty, "the database's migration history is dirty: " + dirtyMessage(dirty), revision: dirty.revision,
                                 statementIndex: dirty.statementsApplied + 1, statement: dirty.failedStatement)
        }
        if let toolDirty = state.tool.dirtyRevision {
            throw MigrationError(.dirty,
                "\(state.directory.format.rawValue)'s history marks migration \(toolDirty) as failed or dirty. Check the database, then "
                + "run repair with action \"mark_applied\" or \"mark_rolled_back\"", revision: toolDirty)
        }
        let drifted = state.drifted
        if !drifted.isEmpty {
            throw MigrationError(.drift,
                "applied migrations were edited after they ran: " + drifted.map { $0.migration.revision }.joined(separator: ", ")
                + ". Restore the files, or run repair with action \"accept_checksums\" if the edits are intended",
                revision: drifted[0].migration.revision)
        }
    }
}
