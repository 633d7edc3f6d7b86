import DatabaseDriver
import Foundation

/// `generate_schema` in both of the spec's forms, and `generate_schema_from_models`.
///
/// - 000: `generate_schema(models, output_dir)` is `generate_schema_from_models`.
/// - 001: `generate_schema(schema_definition, target_database, validate_only=, migration_path=, template=)`
///   returns the schema with `ddl_statements` and `validation_errors` filled in; `template` starts from one
///   of `SchemaTemplates` (tables in `schema_definition` replace or extend it); `migration_path` writes the
///   initial migration there unless `validate_only`.
public struct GenerateSchemaParams: Sendable, Codable {
    public var schemaDefinition: SchemaDefinition?
    public var targetDatabase: Dialect?
    public var validateOnly: Bool
    public var migrationPath: String?
    public var template: String?
    public var models: [JSONNode]?
    public var outputDir: String?
    /// Dialects to write DDL for with `models`/`output_dir` (all three when absent).
    public var dialects: [Dialect]?

    public init(schemaDefinition: SchemaDefinition? = nil, targetDatabase: Dialect? = nil, validateOnly: Bool = false,
                migrationPath: String? = nil, template: String? = nil, models: [JSONNode]? = nil, outputDir: String? = nil, dialects: [Dialect]? = nil) {
        self.schemaDefinition = schemaDefinition
        self.targetDatabase = targetDatabase
        self.validateOnly = validateOnly
        self.migrationPath = migrationPath
        self.template = template
        self.models = models
        self.outputDir = outputDir
        self.dialects = dialects
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        schemaDefinition = try c.first(SchemaDefinition.self, "schema_definition", "schema")
        targetDatabase = try c.dialect("target_database", "dialect", "database_type")
        // **kwargs may arrive flat or under "kwargs"/"options".
        let options = (try? c.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("kwargs"))) ?? (try? c.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("options")))
        validateOnly = try c.first(Bool.self, "validate_only") ?? options?.first(Bool.self, "validate_only") ?? false
        migrationPath = try c.first(String.self, "migration_path") ?? options?.first(String.self, "migration_path")
        template = try c.first(String.self, "template") ?? options?.first(String.self, "template")
        models = try c.first([JSONNode].self, "models")
        outputDir = try c.first(String.self, "output_dir")
        dialects = try c.first([DialectName].self, "dialects")?.map(\.dialect)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.putIfPresent(schemaDefinition, "schema_definition")
        try c.putIfPresent(targetDatabase?.rawValue, "target_database")
        try c.put(validateOnly, "validate_only")
        try c.putIfPresent(migrationPath, "migration_path")
        try c.putIfPresent(template, "template")
        try c.putIfPresent(models, "models")
        try c.putIfPresent(outputDir, "output_dir")
        try c.putIfPresent(dialects?.map(\.rawValue), "dialects")
    }
}

/// `generate_schema_from_models(models, output_dir)`.
public struct GenerateSchemaFromModelsParams: Sendable, Codable {
    public var models: [JSONNode]
    public var outputDir: String
    public var dialects: [Dialect]?
    public init(models: [JSONNode], outputDir: String, dialects: [Dialect]? = nil) { self.models = models; self.outputDir = outputDir; self.dialects = dialects }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        models = try c.first([JSONNode].self, "models") ?? []
        guard let dir = try c.first(String.self, "output_dir", "output_directory") else {
            throw DecodingError.keyNotFound(AnyKey("output_dir"), .init(codingPath: c.codingPath, debugDescription: "needs output_dir"))
        }
        outputDir = dir
        dialects = try c.first([DialectName].self, "dialects")?.map(\.dialect) ?? c.dialect("dialect").map { [$0] }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(models, "models")
        try c.put(outputDir, "output_dir")
        try c.putIfPresent(dialects?.map(\.rawValue), "dialects")
    }
}

/// What `generate_schema` and `generate_schema_from_models` return: the schema (its keys at the top
/// level, as the spec's `SchemaDefinition` result), plus the files written and the initial migrations.
public struct GenerateSchemaResult: Sendable, Codable {
    public var schema: SchemaDefinition
    public var success: Bool
    /// Paths written, by role: `schema`, `ddl_postgresql`, `migration_sqlite_up`, ...
    public var files: [String: String]
    public var migrations: [SchemaMigration]

    public init(from decoder: any Decoder) throws {
        schema = try SchemaDefinition(from: decoder)
        let c = try decoder.container(keyedBy: AnyKey.self)
        success = try c.first(Bool.self, "success") ?? schema.validationErrors.isEmpty
        files = try c.first([String: String].self, "files") ?? [:]
        migrations = try c.first([SchemaMigration].self, "migrations") ?? []
    }
    public init(schema: SchemaDefinition, success: Bool, files: [String: String], migrations: [SchemaMigration]) {
        self.schema = schema; self.success = success; self.files = files; self.migrations = migrations
    }
    public func encode(to encoder: any Encoder) throws {
        try schema.encode(to: encoder)
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(success, "success")
        try c.put(files, "files")
        try c.put(migrations, "migrations")
    }
}

/// The free functions of the spec's schema section.
public enum SchemaGeneration {
    /// `generate_schema`, both forms (see `GenerateSchemaParams`).
    public static func generateSchema(_ params: GenerateSchemaParams) throws -> GenerateSchemaResult {
        if params.schemaDefinition == nil && params.template == nil, let models = params.models {
            guard let dir = params.outputDir else { throw SchemaError(.invalidDefinition, "generate_schema with models needs output_dir") }
            return try generateSchemaFromModels(GenerateSchemaFromModelsParams(models: models, outputDir: dir, dialects: params.dialects ?? params.targetDatabase.map { [$0] }))
        }
        var schema = try params.template.map(SchemaTemplates.template(named:)) ?? SchemaDefinition()
        if let definition = params.schemaDefinition {
            for table in definition.tables {
                if let i = schema.tables.firstIndex(where: { $0.name == table.name }) { schema.tables[i] = table } else { schema.tables.append(table) }
            }
            schema.views += definition.views.filter { v in !schema.views.contains { $0.name == v.name } }
            schema.enums += definition.enums.filter { e in !schema.enums.contains { $0.name == e.name } }
            schema.domains += definition.domains
            schema.sequences += definition.sequences
            schema.databaseType = definition.databaseType
        } else if params.template == nil {
            throw SchemaError(.invalidDefinition, "generate_schema needs schema_definition, template, or models with output_dir")
        }
        let dialect = params.targetDatabase ?? schema.databaseType ?? .postgresql
        schema.databaseType = dialect
        schema.validationErrors = SchemaValidator(dialect: dialect).validate(schema)
        schema.ddlStatements = DDLGenerator(dialect: dialect, schema: schema).statements()
        var files: [String: String] = [:]
        var migrations: [SchemaMigration] = []
        let hasErrors = schema.validationErrors.contains { $0.hasPrefix("error:") }
        if let path = params.migrationPath, !params.validateOnly, !hasErrors {
            migrations = try MigrationPlanner.migrations(from: SchemaDefinition(), to: schema, dialect: dialect, name: "initial_schema")
            for migration in migrations { files.merge(try MigrationFiles.write(migration, to: path)) { a, _ in a } }
        }
        return GenerateSchemaResult(schema: schema, success: !hasErrors, files: files, migrations: migrations)
    }

    /// `generate_schema_from_models(models, output_dir)`: writes `schema.json`, `schema.<dialect>.sql` for
    /// each dialect, and `migrations/<dialect>/<version>_initial_schema.up.sql` / `.down.sql`.
    public static func generateSchemaFromModels(_ params: GenerateSchemaFromModelsParams) throws -> GenerateSchemaResult {
        var schema = try ModelSchemaBuilder().build(params.models)
        let dialects = params.dialects ?? Dialect.allCases.sorted { $0.rawValue < $1.rawValue }
        let primary = dialects.first ?? .postgresql
        schema.databaseType = primary
        schema.validationErrors = SchemaValidator(dialect: primary).validate(schema)
        schema.ddlStatements = DDLGenerator(dialect: primary, schema: schema).statements()
        let dir = URL(fileURLWithPath: params.outputDir, isDirectory: true)
        var files: [String: String] = [:]
        var migrations: [SchemaMigration] = []
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let json = dir.appendingPathComponent("schema.json")
            try SchemaFiles.export(schema, format: .json, dialect: primary).write(to: json, atomically: true, encoding: .utf8)
            files["schema"] = json.path
            let now = Date()
            for dialect in dialects {
                let ddl = dir.appendingPathComponent("schema.\(dialect.rawValue).sql")
                try schema.toSQL(dialect: dialect).write(to: ddl, atomically: true, encoding: .utf8)
                files["ddl_\(dialect.rawValue)"] = ddl.path
                let migration = try MigrationPlanner.migrations(from: SchemaDefinition(), to: schema, dialect: dialect, name: "initial_schema", now: now)
                for m in migration {
                    for (role, path) in try MigrationFiles.write(m, to: dir.appendingPathComponent("migrations/\(dialect.rawValue)").path) {
                        files["\(role)_\(dialect.rawValue)"] = path
                    }
                }
                migrations += migration
            }
        } catch let error as SchemaError {
            throw error
        } catch {
            throw SchemaError(.fileError, "cannot write to \(params.outputDir): \(error.localizedDescription)", location: params.outputDir)
        }
        return GenerateSchemaResult(schema: schema, success: !schema.validationErrors.contains { $0.hasPrefix("error:") }, files: files, migrations: migrations)
    }
}

/// Writes a migration as `<version>_<name>.up.sql` and `.down.sql` (the golang-migrate layout the
/// Migrations package reads).
enum MigrationFiles {
    static func write(_ migration: SchemaMigration, to directory: String) throws -> [String: String] {
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let up = dir.appendingPathComponent("\(migration.version)_\(migration.name).up.sql")
            let down = dir.appendingPathComponent("\(migration.version)_\(migration.name).down.sql")
            try migration.upSQL.write(to: up, atomically: true, encoding: .utf8)
            try migration.downSQL.write(to: down, atomically: true, encoding: .utf8)
            return ["migration_up": up.path, "migration_down": down.path]
        } catch {
            throw SchemaError(.fileError, "cannot write the migration to \(directory): \(error.localizedDescription)", location: directory)
        }
    }
}
