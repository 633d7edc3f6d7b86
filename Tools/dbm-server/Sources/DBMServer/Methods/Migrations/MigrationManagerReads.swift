import JSONRPC
import Migrations

/// `MigrationManager.get_current_revision()`.
enum MigrationManagerGetCurrentRevision: RPCMethod {
    typealias Params = MigrationCall<ManagerOnlyParams>
    typealias Result = String?
    static let name = "MigrationManager.get_current_revision"
    static let summary = "The newest applied revision, or null when none is applied."
    static let paramDescriptions = MigrationManagerDocs.constructor
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await params.manager(state).getCurrentRevision()
    }
}

/// `MigrationManager.get_pending_migrations()`.
enum MigrationManagerGetPendingMigrations: RPCMethod {
    typealias Params = MigrationCall<ManagerOnlyParams>
    typealias Result = [Migration]
    static let name = "MigrationManager.get_pending_migrations"
    static let summary = "The migrations upgrade would apply, in order (each with both spec key sets)."
    static let paramDescriptions = MigrationManagerDocs.constructor
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await params.manager(state).getPendingMigrations()
    }
}

/// `MigrationManager.get_migration_history()`.
enum MigrationManagerGetMigrationHistory: RPCMethod {
    typealias Params = MigrationCall<ManagerOnlyParams>
    typealias Result = [HistoryEntry]
    static let name = "MigrationManager.get_migration_history"
    static let summary = "The history rows in the order they were applied: revision, checksum, applied_at, applied_by, execution_time_ms, success, dirty state."
    static let paramDescriptions = MigrationManagerDocs.constructor
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await params.manager(state).getMigrationHistory()
    }
}

/// `MigrationManager.validate_migrations()`.
enum MigrationManagerValidateMigrations: RPCMethod {
    typealias Params = MigrationCall<ManagerOnlyParams>
    typealias Result = [String]
    static let name = "MigrationManager.validate_migrations"
    static let summary = "Every problem with the directory and its history (drift, missing files, dirty state, cycles, out-of-order); empty when all is well."
    static let paramDescriptions = MigrationManagerDocs.constructor
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await params.manager(state).validateMigrations()
    }
}

/// `MigrationManager.status()`: what `dbm-client migrate status` shows.
enum MigrationManagerStatus: RPCMethod {
    typealias Params = MigrationCall<ManagerOnlyParams>
    typealias Result = MigrationStatusReport
    static let name = "MigrationManager.status"
    static let summary = "The directory's format, current revision, applied count, pending, out-of-order, drifted and missing revisions, and a dirty migration."
    static let paramDescriptions = MigrationManagerDocs.constructor
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await params.manager(state).status()
    }
}

/// Documentation shared by the `MigrationManager.*` methods.
enum MigrationManagerDocs {
    static let constructor = [
        "migration_dir": "the migrations directory (or migration_path)",
        "database_url": "the database (or connection_config, connection, connection_id)",
        "migrations_table": "the toolkit's history table (default dbm_migration_history)",
        "format": "dbm, golang-migrate, flyway, dbmate or file-order (default: detected)",
        "tool_table": "the other tool's history table when not its default name",
        "lock_timeout": "seconds to wait for another runner's lock (default 60)",
        "out_of_order": "apply pending migrations older than the newest applied one",
    ]

    static func with(_ extra: [String: String]) -> [String: String] {
        constructor.merging(extra) { _, new in new }
    }
}
