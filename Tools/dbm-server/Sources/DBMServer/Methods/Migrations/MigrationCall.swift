import Drivers
import JSONRPC
import Migrations

/// The Migrations package's params for one method, plus the database the call is about.
///
/// The constructor fields of `MigrationManager(migration_dir, database_url)` travel flat in every method's
/// params. Besides `database_url` and `connection_config`, which the package reads itself, the database can
/// be named like in any other method (`connection`, `connection_id`, or the server's default database):
/// ``resolved(_:what:)`` resolves it through the server's `ConnectionRegistry`, so read-only servers and
/// handles apply.
struct MigrationCall<Inner: Decodable & Sendable>: Decodable, Sendable {
    var inner: Inner
    let target: DatabaseTarget

    init(from decoder: any Decoder) throws {
        inner = try Inner(from: decoder)
        target = try DatabaseTarget(from: decoder)
    }
}

/// The migration methods' params that carry `MigrationManagerParams`.
protocol ManagerCallParams: Decodable, Sendable {
    var manager: MigrationManagerParams { get set }
}

extension UpgradeParams: ManagerCallParams {}
extension DowngradeParams: ManagerCallParams {}
extension RepairParams: ManagerCallParams {}
extension BaselineParams: ManagerCallParams {}
extension RunMigrationsParams: ManagerCallParams {}
extension CreateMigrationParams: ManagerCallParams {}

/// Params of the manager's read methods: only the constructor fields.
struct ManagerOnlyParams: ManagerCallParams {
    var manager: MigrationManagerParams
    init(from decoder: any Decoder) throws { manager = try MigrationManagerParams(from: decoder) }
}

extension MigrationCall where Inner: ManagerCallParams {
    /// The inner params with the database resolved by the server and `migration_dir` checked by the
    /// server's `PathPolicy` (the directory and every file in it).
    ///
    /// - Parameter refusing: when set, the operation's name; a read-only server or connection refuses it.
    /// - Throws: `RPCError` when no database is named and the server has no default, `DatabaseError`
    ///   (`permission_denied`) for a refused write.
    func resolved(_ state: ServerState, refusing operation: String? = nil) async throws -> Inner {
        var inner = inner
        inner.manager.migrationDir = try state.policy.paths.resolveDirectoryTree(inner.manager.migrationDir, parameter: "migration_dir")
        let configuration = try await state.connections.configuration(for: target)
        if let operation { try DatabaseNaming.refuseWhenReadOnly(state, configuration, operation) }
        inner.manager.connection = configuration
        return inner
    }

    /// The manager for these params, with each call on a dedicated connection (the session-scoped
    /// migration lock is released by closing it, so a pooled connection must not be used).
    func manager(_ state: ServerState, progress: MigrationProgressHandler? = nil,
                 refusing operation: String? = nil) async throws -> MigrationManager {
        try await resolved(state, refusing: operation).manager.manager(progress: progress)
    }
}
