import JSONRPC
import Migrations

// The Migrations package's spec methods: `run_migrations`, `MigrationManager.*` (the constructor's
// `migration_dir` and `database_url` travel flat in each method's params) and `Migration.*` (the
// migration travels as `migration`). The package's Codable params and results are used as they are.

/// `run_migrations`: 000 `(migration_dir, database_url, target_revision, dry_run)` and
/// 001 `(migration_path, connection_config, direction, target_version, dry_run, ...)`.
enum RunMigrationsMethod: RPCMethod {
    typealias Params = MigrationCall<RunMigrationsParams>
    typealias Result = MigrationRunResult
    static let name = "run_migrations"
    static let summary = "Brings a database up or down with the migrations in a directory (up, down, latest, rollback); dry_run returns the SQL and changes nothing."
    static let details = """
        Reads the toolkit's own format, golang-migrate, Flyway, dbmate and file-order directories. Each migration runs in its own \
        transaction where the engine allows; on MySQL/MariaDB and in no-transaction files progress is recorded statement by \
        statement. Sends `$/progress` per migration when the params carry a `work_done_token`; `$/cancelRequest` stops between \
        statements and rolls back the migration in flight.
        """
    static let paramDescriptions = [
        "migration_dir": "000: the migrations directory (001: migration_path)",
        "database_url": "000: the database (001: connection_config; or connection / connection_id)",
        "direction": "up (default), down, latest or rollback",
        "target_revision": "000: the revision to stop at (001: target_version); \"base\" for down to nothing",
        "steps": "down / rollback: how many migrations to undo (default 1)",
        "dry_run": "return the SQL that would run; change nothing",
        "migrations_table": "the toolkit's history table (default dbm_migration_history)",
        "format": "dbm, golang-migrate, flyway, dbmate or file-order (default: detected)",
        "lock_timeout": "seconds to wait for another runner's lock (default 60)",
        "out_of_order": "apply pending migrations older than the newest applied one",
    ]
    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        let writes = !params.inner.dryRun
        let resolved = try await params.resolved(state, refusing: writes ? "run_migrations" : nil)
        return try await MigrationProgressBridge(context).run(title: "run_migrations \(resolved.direction.rawValue)") { progress in
            try await runMigrations(resolved, progress: progress)
        }
    }
}
