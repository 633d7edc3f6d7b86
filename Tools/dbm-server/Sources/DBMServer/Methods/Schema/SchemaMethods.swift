import Drivers
import JSONRPC
import Schema

// The Schema package's spec methods: `generate_schema`, `generate_schema_from_models`,
// `SchemaGenerator.*` (the constructor's `dialect` travels in the params) and `SchemaDefinition.*`
// (the definition travels as `schema`). The package's Codable params and results are used as they are;
// methods that touch a database take the usual `connection` / `database_url` / `connection_config`.

/// `generate_schema`: 000 `(models, output_dir)` and 001 `(schema_definition, target_database, validate_only, migration_path, template)`.
enum GenerateSchemaMethod: RPCMethod {
    typealias Params = GenerateSchemaParams
    typealias Result = GenerateSchemaResult
    static let name = "generate_schema"
    static let summary = "Generates a schema (from a definition, a template or models) with its DDL, validation errors and, with migration_path or output_dir, files."
    static let paramDescriptions = [
        "schema_definition": "A SchemaDefinition (either spec shape)",
        "target_database": "postgresql | mysql | sqlite",
        "template": "user_management | todo_application | blog_system | ecommerce",
        "models": "000 form: models (JSON Schema documents or entity descriptions)",
        "output_dir": "000 form: where to write schema.json, DDL per dialect and an initial migration",
    ]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try SchemaGeneration.generateSchema(params)
    }
}

/// `generate_schema_from_models(models, output_dir)`.
enum GenerateSchemaFromModelsMethod: RPCMethod {
    typealias Params = GenerateSchemaFromModelsParams
    typealias Result = GenerateSchemaResult
    static let name = "generate_schema_from_models"
    static let summary = "Generates the schema, DDL per dialect and an initial migration from models (JSON Schema documents or entity descriptions) into output_dir."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try SchemaGeneration.generateSchemaFromModels(params)
    }
}

/// Reads the `dialect` constructor argument of `SchemaGenerator(dialect)` from any params.
struct GeneratorDialect: Decodable {
    let dialect: Dialect
    enum CodingKeys: String, CodingKey { case dialect }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decodeIfPresent(String.self, forKey: .dialect)
        dialect = name.flatMap(Dialect.init(name:)) ?? .postgresql
    }
}

enum SchemaGeneratorGenerateFromModels: RPCMethod {
    typealias Params = GenerateFromModelsParams
    typealias Result = SchemaDefinition
    static let name = "SchemaGenerator.generate_from_models"
    static let summary = "Builds a SchemaDefinition from models: JSON Schema documents (Pydantic model_json_schema, $ref relationships) or entity descriptions."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try SchemaGenerator(dialect: params.dialect ?? .postgresql).generateFromModels(params)
    }
}

enum SchemaGeneratorGenerateMigrations: RPCMethod {
    typealias Params = GenerateMigrationsParams
    typealias Result = GenerateMigrationsResult
    static let name = "SchemaGenerator.generate_migrations"
    static let summary = "The migrations (upgrade and downgrade SQL for the dialect) that turn current_schema into target_schema; destructive changes are flagged."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try SchemaGenerator(dialect: params.dialect ?? .postgresql).generateMigrations(params)
    }
}

enum SchemaGeneratorValidateSchema: RPCMethod {
    typealias Params = SchemaParams
    typealias Result = [String]
    static let name = "SchemaGenerator.validate_schema"
    static let summary = "Validation errors of a schema (dangling foreign keys, duplicates, missing primary keys, unknown types, cycles, reserved words), each with its location."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        SchemaGenerator(dialect: params.dialect ?? .postgresql).validateSchema(params)
    }
}

enum SchemaGeneratorExportSchema: RPCMethod {
    typealias Params = ExportSchemaParams
    typealias Result = String
    static let name = "SchemaGenerator.export_schema"
    static let summary = "A schema as DDL for the dialect (format sql), or as JSON or YAML; deterministic."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try SchemaGenerator(dialect: params.dialect ?? .postgresql).exportSchema(params)
    }
}

enum SchemaGeneratorImportSchema: RPCMethod {
    typealias Params = ImportSchemaParams
    typealias Result = SchemaDefinition
    static let name = "SchemaGenerator.import_schema"
    static let summary = "Reads a schema file: the toolkit's JSON or YAML, or SQL DDL (applied to a scratch database and inspected)."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await SchemaGenerator(dialect: params.dialect ?? .postgresql).importSchema(params)
    }
}

/// Params of the methods that read or change a live database: a target and, for apply, the schema.
struct SchemaDatabaseParams: Decodable, Sendable {
    let target: DatabaseTarget
    let schema: SchemaDefinition?
    let schema_name: String?
    enum CodingKeys: String, CodingKey { case schema, schema_name }
    init(from decoder: any Decoder) throws {
        target = try DatabaseTarget(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decodeIfPresent(SchemaDefinition.self, forKey: .schema)
        schema_name = try c.decodeIfPresent(String.self, forKey: .schema_name)
    }

    func schemaParams(_ state: ServerState) async throws -> DatabaseSchemaParams {
        DatabaseSchemaParams(connectionConfig: try await state.connections.configuration(for: target), schema: schema, schemaName: schema_name)
    }
}

enum SchemaGeneratorInspectDatabase: RPCMethod {
    typealias Params = SchemaDatabaseParams
    typealias Result = SchemaDefinition
    static let name = "SchemaGenerator.inspect_database"
    static let summary = "Reads a live database's schema from its catalogs (a fixed number of catalog queries); objects the model does not cover are listed in unsupported_objects."
    static let paramDescriptions = ["schema_name": "PostgreSQL namespace to inspect (default public)"]
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await SchemaGenerator(dialect: .postgresql).inspectDatabase(params.schemaParams(state))
    }
}

enum SchemaDefinitionToSQL: RPCMethod {
    typealias Params = SchemaParams
    typealias Result = String
    static let name = "SchemaDefinition.to_sql"
    static let summary = "DDL for the dialect in dependency order, with per-dialect types and quoting; the same schema gives the same bytes."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        SchemaDefinitionMethods.toSQL(params)
    }
}

enum SchemaDefinitionValidate: RPCMethod {
    typealias Params = SchemaParams
    typealias Result = [String]
    static let name = "SchemaDefinition.validate"
    static let summary = "Validation errors of the schema, each with its location; empty when valid."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        SchemaDefinitionMethods.validate(params)
    }
}

enum SchemaDefinitionDiff: RPCMethod {
    typealias Params = DiffParams
    typealias Result = DiffResult
    static let name = "SchemaDefinition.diff"
    static let summary = "The ordered changes from schema to other (renames through renamed_from); differences the diff cannot express are errors, never ignored."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        SchemaDefinitionMethods.diff(params)
    }
}

enum SchemaDefinitionApplyToDatabase: RPCMethod {
    typealias Params = SchemaDatabaseParams
    typealias Result = SchemaApplier.Result
    static let name = "SchemaDefinition.apply_to_database"
    static let summary = "Creates the schema in a database, in one transaction where the engine allows (on MySQL what was created is dropped again on failure)."
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        let schemaParams = try await params.schemaParams(state)
        try DatabaseNaming.refuseWhenReadOnly(state, schemaParams.connectionConfig, "apply_to_database")
        return try await SchemaDefinitionMethods.applyToDatabase(schemaParams)
    }
}
