import Drivers
import JSONRPC
import Migrations

/// Params of `Migration.apply` and `Migration.rollback`: the `migration` (either spec key set) and the database
/// (`database_url`, `connection_config`, `connection`, `connection_id`, or the server's default).
struct MigrationExecutionCall: Decodable, Sendable {
    let migration: Migration
    let target: DatabaseTarget
    enum CodingKeys: String, CodingKey { case migration }
    init(from decoder: any Decoder) throws {
        target = try DatabaseTarget(from: decoder)
        migration = try decoder.container(keyedBy: CodingKeys.self).decode(Migration.self, forKey: .migration)
    }

    /// Runs the upgrade or downgrade SQL on a dedicated connection; refused by a read-only server.
    func run(rollback: Bool, _ state: ServerState) async throws -> MigrationExecutionResult {
        let configuration = try await state.connections.configuration(for: target)
        try DatabaseNaming.refuseWhenReadOnly(state, configuration, rollback ? "Migration.rollback" : "Migration.apply")
        return try await MigrationExecutionParams(migration: migration, connection: configuration).run(rollback: rollback)
    }
}

/// `Migration.apply(connection)`.
enum MigrationApply: RPCMethod {
    typealias Params = MigrationExecutionCall
    typealias Result = MigrationExecutionResult
    static let name = "Migration.apply"
    static let summary = "Runs one migration's upgrade SQL (in a transaction where the engine allows); records no history."
    static let paramDescriptions = ["migration": "a Migration (either spec key set)", "database_url": "the database (or connection_config, connection)"]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await params.run(rollback: false, state)
    }
}

/// `Migration.rollback(connection)`.
enum MigrationRollback: RPCMethod {
    typealias Params = MigrationExecutionCall
    typealias Result = MigrationExecutionResult
    static let name = "Migration.rollback"
    static let summary = "Runs one migration's downgrade SQL (in a transaction where the engine allows); records no history."
    static let paramDescriptions = ["migration": "a Migration (either spec key set)", "database_url": "the database (or connection_config, connection)"]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await params.run(rollback: true, state)
    }
}

/// `Migration.validate()`.
enum MigrationValidate: RPCMethod {
    typealias Params = MigrationObjectParams
    typealias Result = [String]
    static let name = "Migration.validate"
    static let summary = "Problems found without a database (empty revision or upgrade, SQL that cannot be split, no downgrade, a self-dependency); empty when fine."
    static let paramDescriptions = ["migration": "a Migration (either spec key set)", "dialect": "whose quoting rules split the SQL (default postgresql)"]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        params.migration.validate(dialect: params.dialect ?? .postgresql)
    }
}

/// `Migration.to_dict()`.
enum MigrationToDict: RPCMethod {
    typealias Params = MigrationObjectParams
    typealias Result = Migration
    static let name = "Migration.to_dict"
    static let summary = "The migration as the spec's dict, with both key sets (version/up_sql/down_sql and revision/upgrade_sql/downgrade_sql)."
    static let paramDescriptions = ["migration": "a Migration (either spec key set)"]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        params.migration.toDict()
    }
}
