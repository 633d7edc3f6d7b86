import Drivers
import JSONRPC
import Migrations
import Schema

/// Params of `MigrationManager.create_migration`: the package's (`migration_dir`, `description`, `upgrade_sql`,
/// `downgrade_sql`, `dependencies`, `revision`), plus `target_schema` with the optional `current_schema` and
/// `dialect` to fill the SQL from the Schema package's diff.
struct CreateMigrationCall: Decodable, Sendable {
    var call: MigrationCall<CreateMigrationParams>
    let targetSchema: SchemaDefinition?
    let currentSchema: SchemaDefinition?
    let dialect: Dialect?

    enum CodingKeys: String, CodingKey { case targetSchema = "target_schema", currentSchema = "current_schema", dialect }

    init(from decoder: any Decoder) throws {
        call = try MigrationCall(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        targetSchema = try c.decodeIfPresent(SchemaDefinition.self, forKey: .targetSchema)
        currentSchema = try c.decodeIfPresent(SchemaDefinition.self, forKey: .currentSchema)
        dialect = try c.decodeIfPresent(String.self, forKey: .dialect).flatMap(Dialect.init(name:))
    }
}

/// `MigrationManager.create_migration(description)`: writes the next migration (file pair, dbmate file or Flyway
/// V/U files, in the directory's format). With `target_schema`, the upgrade and downgrade SQL come from
/// `SchemaGenerator(dialect).generate_migrations(current, target)`; the current schema is `current_schema`, or
/// the live database's (inspected, without the migration history tables).
enum MigrationManagerCreateMigration: RPCMethod {
    typealias Params = CreateMigrationCall
    typealias Result = Migration
    static let name = "MigrationManager.create_migration"
    static let summary = "Writes the next migration file pair in the directory's format; with target_schema its SQL is the Schema diff from current_schema (or the live database)."
    static let paramDescriptions = MigrationManagerDocs.with([
        "description": "what the migration does (its file name slug)",
        "upgrade_sql": "the upgrade SQL (or up_sql)", "downgrade_sql": "the downgrade SQL (or down_sql)",
        "dependencies": "revisions it depends on", "revision": "its revision (default: the next one)",
        "target_schema": "a SchemaDefinition: fill the SQL from the diff to it",
        "current_schema": "with target_schema: the schema to diff from (default: the live database, inspected)",
        "dialect": "with target_schema: the SQL dialect (default: the database's, else postgresql)",
    ])

    /// History tables of the toolkit and of the tools it adopts: never part of a generated diff.
    static let historyTables: Set<String> = ["schema_migrations", "flyway_schema_history"]

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        var inner = params.call.inner
        inner.manager.migrationDir = try state.policy.paths.resolveDirectoryTree(inner.manager.migrationDir, parameter: "migration_dir")
        let configuration: ConnectionConfiguration?
        if params.call.target.isEmpty && state.connections.defaultConfiguration == nil {
            configuration = inner.manager.connection
        } else {
            configuration = try await state.connections.configuration(for: params.call.target)
        }
        inner.manager.connection = configuration
        if let target = params.targetSchema {
            guard inner.upgradeSQL == nil && inner.downgradeSQL == nil else {
                throw MigrationError(.invalidRequest, "pass either target_schema or upgrade_sql/downgrade_sql, not both")
            }
            let generated = try await generate(to: target, params: params, manager: inner.manager, configuration: configuration)
            inner.upgradeSQL = generated.upgrade
            inner.downgradeSQL = generated.downgrade
        }
        return try inner.run()
    }

    /// The upgrade and downgrade SQL that turn the current schema into `target`.
    static func generate(to target: SchemaDefinition, params: Params, manager: MigrationManagerParams,
                         configuration: ConnectionConfiguration?) async throws -> (upgrade: String, downgrade: String) {
        var current: SchemaDefinition
        if let given = params.currentSchema {
            current = given
        } else if let configuration {
            current = try await SchemaGenerator(dialect: configuration.dialect)
                .inspectDatabase(DatabaseSchemaParams(connectionConfig: configuration))
        } else {
            throw MigrationError(.invalidRequest, "target_schema needs current_schema or a database (database_url, connection_config, connection) to diff from")
        }
        var excluded = historyTables.union([manager.options.migrationsTable])
        if let toolTable = manager.options.toolTable { excluded.insert(toolTable) }
        let targetNames = Set(target.tables.map(\.name))
        current.tables.removeAll { excluded.contains($0.name) && !targetNames.contains($0.name) }

        let dialect = params.dialect ?? configuration?.dialect ?? target.databaseType ?? current.databaseType ?? .postgresql
        let result = try SchemaGenerator(dialect: dialect).generateMigrations(
            GenerateMigrationsParams(dialect: dialect, currentSchema: current, targetSchema: target))
        guard let migration = result.migrations.first else {
            throw MigrationError(.invalidRequest, "the target schema has no differences from the current schema: nothing to migrate")
        }
        var header = ""
        if migration.requiresNoTransaction { header += "-- dbm:no-transaction\n" }
        for change in migration.description.split(separator: "\n") { header += "-- \(change)\n" }
        if migration.destructive { header += "-- destructive: this migration can lose data\n" }
        let downHeader = migration.requiresNoTransaction ? "-- dbm:no-transaction\n" : ""
        return (header + migration.upSQL, downHeader + migration.downSQL)
    }
}
