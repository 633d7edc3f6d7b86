import DatabaseDriver
import Drivers
import Foundation

/// The spec's `SchemaGenerator(dialect)`: schemas from models, migrations between schemas, validation,
/// export and import, and (beyond the spec) inspection of a live database.
///
/// Each method takes one Codable params value and returns a Codable result, so the server exposes each
/// as one JSON-RPC method. A `dialect` in the params overrides the generator's own.
public struct SchemaGenerator: Sendable {
    public var dialect: Dialect

    public init(dialect: Dialect = .postgresql) { self.dialect = dialect }

    /// `generate_from_models(models)`: a schema from JSON Schema documents and/or entity descriptions.
    public func generateFromModels(_ params: GenerateFromModelsParams) throws -> SchemaDefinition {
        var schema = try ModelSchemaBuilder().build(params.models)
        schema.databaseType = params.dialect ?? dialect
        return schema
    }

    /// `generate_migrations(current_schema, target_schema)`: one migration with up and down SQL, or none
    /// when the schemas do not differ. Throws `unsupportedChange` when they differ in objects the model
    /// does not describe.
    public func generateMigrations(_ params: GenerateMigrationsParams) throws -> GenerateMigrationsResult {
        GenerateMigrationsResult(migrations: try MigrationPlanner.migrations(
            from: params.currentSchema, to: params.targetSchema, dialect: params.dialect ?? dialect,
            version: params.version, name: params.name, dependencies: params.dependencies ?? []))
    }

    /// `validate_schema(schema)`: the findings as `severity: location: message` lines.
    public func validateSchema(_ params: SchemaParams) -> [String] {
        SchemaValidator(dialect: params.dialect ?? dialect).validate(params.schema)
    }

    /// `export_schema(schema, format)`: DDL for the dialect, or the schema as JSON or YAML.
    public func exportSchema(_ params: ExportSchemaParams) throws -> String {
        try SchemaFiles.export(params.schema, format: params.format, dialect: params.dialect ?? dialect)
    }

    /// `import_schema(schema_file)`: reads JSON, YAML, or SQL DDL (through a scratch database).
    public func importSchema(_ params: ImportSchemaParams) async throws -> SchemaDefinition {
        try await SchemaFiles.importFile(params.schemaFile, dialect: params.dialect ?? dialect, server: params.connectionConfig)
    }

    /// `inspect_database(connection)`: the live database's schema, read from its catalogs.
    public func inspectDatabase(_ params: DatabaseSchemaParams) async throws -> SchemaDefinition {
        let connection = try await Self.connect(params.connectionConfig)
        do {
            let schema = try await SchemaInspector(schemaName: params.schemaName ?? "public").inspect(connection)
            await connection.close()
            return schema
        } catch {
            await connection.close()
            throw Self.wrap(error, "inspecting the database failed")
        }
    }

    static func connect(_ configuration: ConnectionConfiguration) async throws -> any DatabaseConnection {
        do { return try await Database.connect(configuration) } catch {
            throw SchemaError(.databaseFailure, "cannot connect to \(configuration.redactedURL)", underlying: String(describing: error))
        }
    }

    static func wrap(_ error: any Error, _ message: String) -> any Error {
        if error is SchemaError || error is CancellationError { return error }
        return SchemaError(.databaseFailure, message, underlying: String(describing: error))
    }
}

/// The spec's `SchemaDefinition` methods as calls with Codable params, for the server.
public enum SchemaDefinitionMethods {
    /// `SchemaDefinition.to_sql(dialect)`.
    public static func toSQL(_ params: SchemaParams) -> String {
        params.schema.toSQL(dialect: params.dialect ?? params.schema.databaseType ?? .postgresql)
    }

    /// `SchemaDefinition.validate()`.
    public static func validate(_ params: SchemaParams) -> [String] {
        params.schema.validate(dialect: params.dialect)
    }

    /// `SchemaDefinition.diff(other)`.
    public static func diff(_ params: DiffParams) -> DiffResult {
        let differ = SchemaDiffer(from: params.schema, to: params.other, dialect: params.dialect)
        let changes = differ.changes()
        let errors = differ.unsupportedDifferences()
        return DiffResult(differences: changes.map(\.description) + errors.map { "error: " + $0 },
                          changes: changes.map(\.summary), errors: errors,
                          destructive: changes.contains(where: \.isDestructive), equal: changes.isEmpty && errors.isEmpty)
    }

    /// `SchemaDefinition.apply_to_database(connection)`.
    public static func applyToDatabase(_ params: DatabaseSchemaParams) async throws -> SchemaApplier.Result {
        guard let schema = params.schema else { throw SchemaError(.invalidDefinition, "apply_to_database needs schema") }
        let connection = try await SchemaGenerator.connect(params.connectionConfig)
        do {
            let result = try await schema.applyToDatabase(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw SchemaGenerator.wrap(error, "applying the schema failed")
        }
    }
}
