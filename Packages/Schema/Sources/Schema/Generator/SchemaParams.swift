import DatabaseDriver
import Foundation

// The Codable inputs and results of the spec's schema methods, with the spec's snake_case keys. Each
// JSON-RPC method of the server decodes one of these params and encodes the result of one call.

/// A dialect given by any of its names (`postgres`, `mariadb`, `sqlite3`); decoding fails for others.
struct DialectName: Codable {
    var dialect: Dialect
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let name = try c.decode(String.self)
        guard let d = Dialect(name: name) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown dialect '\(name.prefix(40))'; use postgresql, mysql or sqlite")
        }
        dialect = d
    }
    func encode(to encoder: any Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(dialect.rawValue) }
}

extension KeyedDecodingContainer where Key == AnyKey {
    func dialect(_ keys: String...) throws -> Dialect? {
        for key in keys { if let d = try first(DialectName.self, key) { return d.dialect } }
        return nil
    }
}

/// `SchemaGenerator(dialect).generate_from_models(models)`.
public struct GenerateFromModelsParams: Sendable, Codable {
    public var dialect: Dialect?
    /// JSON Schema documents and/or dbm entity descriptions.
    public var models: [JSONNode]
    public init(dialect: Dialect? = nil, models: [JSONNode]) { self.dialect = dialect; self.models = models }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        dialect = try c.dialect("dialect", "database_type")
        models = try c.first([JSONNode].self, "models") ?? []
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.putIfPresent(dialect?.rawValue, "dialect")
        try c.put(models, "models")
    }
}

/// `SchemaGenerator(dialect).generate_migrations(current_schema, target_schema)`.
public struct GenerateMigrationsParams: Sendable, Codable {
    public var dialect: Dialect?
    public var currentSchema: SchemaDefinition
    public var targetSchema: SchemaDefinition
    /// The migration's version; a UTC timestamp (`20260101120000`) when absent.
    public var version: String?
    public var name: String?
    public var dependencies: [String]?

    public init(dialect: Dialect? = nil, currentSchema: SchemaDefinition, targetSchema: SchemaDefinition, version: String? = nil, name: String? = nil, dependencies: [String]? = nil) {
        self.dialect = dialect
        self.currentSchema = currentSchema
        self.targetSchema = targetSchema
        self.version = version
        self.name = name
        self.dependencies = dependencies
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        dialect = try c.dialect("dialect", "database_type")
        guard let current = try c.first(SchemaDefinition.self, "current_schema", "current"),
              let target = try c.first(SchemaDefinition.self, "target_schema", "target") else {
            throw DecodingError.keyNotFound(AnyKey("current_schema"), .init(codingPath: c.codingPath, debugDescription: "needs current_schema and target_schema"))
        }
        currentSchema = current
        targetSchema = target
        version = try c.first(String.self, "version", "revision")
        name = try c.first(String.self, "name")
        dependencies = try c.first([String].self, "dependencies")
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.putIfPresent(dialect?.rawValue, "dialect")
        try c.put(currentSchema, "current_schema")
        try c.put(targetSchema, "target_schema")
        try c.putIfPresent(version, "version")
        try c.putIfPresent(name, "name")
        try c.putIfPresent(dependencies, "dependencies")
    }
}

/// Params holding one schema and an optional dialect: `validate_schema`, `SchemaDefinition.validate`,
/// `SchemaDefinition.to_sql`.
public struct SchemaParams: Sendable, Codable {
    public var dialect: Dialect?
    public var schema: SchemaDefinition
    public init(dialect: Dialect? = nil, schema: SchemaDefinition) { self.dialect = dialect; self.schema = schema }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        dialect = try c.dialect("dialect", "target_database")
        guard let schema = try c.first(SchemaDefinition.self, "schema", "schema_definition") else {
            throw DecodingError.keyNotFound(AnyKey("schema"), .init(codingPath: c.codingPath, debugDescription: "needs schema"))
        }
        self.schema = schema
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.putIfPresent(dialect?.rawValue, "dialect")
        try c.put(schema, "schema")
    }
}

/// `SchemaGenerator(dialect).export_schema(schema, format)`.
public struct ExportSchemaParams: Sendable, Codable {
    public var dialect: Dialect?
    public var schema: SchemaDefinition
    public var format: SchemaFormat
    public init(dialect: Dialect? = nil, schema: SchemaDefinition, format: SchemaFormat = .sql) { self.dialect = dialect; self.schema = schema; self.format = format }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        dialect = try c.dialect("dialect", "target_database")
        guard let schema = try c.first(SchemaDefinition.self, "schema", "schema_definition") else {
            throw DecodingError.keyNotFound(AnyKey("schema"), .init(codingPath: c.codingPath, debugDescription: "needs schema"))
        }
        self.schema = schema
        format = try SchemaFormat(name: try c.first(String.self, "format") ?? "sql")
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.putIfPresent(dialect?.rawValue, "dialect")
        try c.put(schema, "schema")
        try c.put(format, "format")
    }
}

/// `SchemaGenerator(dialect).import_schema(schema_file)`. `connection_config` names the server for the
/// scratch database a PostgreSQL or MySQL `.sql` file is applied to.
public struct ImportSchemaParams: Sendable, Codable {
    public var dialect: Dialect?
    public var schemaFile: String
    public var connectionConfig: ConnectionConfiguration?
    public init(dialect: Dialect? = nil, schemaFile: String, connectionConfig: ConnectionConfiguration? = nil) {
        self.dialect = dialect; self.schemaFile = schemaFile; self.connectionConfig = connectionConfig
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        dialect = try c.dialect("dialect")
        guard let file = try c.first(String.self, "schema_file", "path", "file") else {
            throw DecodingError.keyNotFound(AnyKey("schema_file"), .init(codingPath: c.codingPath, debugDescription: "needs schema_file"))
        }
        schemaFile = file
        connectionConfig = try ConnectionParams.decode(c)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.putIfPresent(dialect?.rawValue, "dialect")
        try c.put(schemaFile, "schema_file")
        try c.putIfPresent(connectionConfig, "connection_config")
    }
}

/// The connection parameters every method takes: `connection_config` (the spec's dict), or `database_url`
/// / `connection_string` / `url`.
enum ConnectionParams {
    static func decode(_ c: KeyedDecodingContainer<AnyKey>) throws -> ConnectionConfiguration? {
        if let config = try c.first(ConnectionConfiguration.self, "connection_config", "connection") { return config }
        if let url = try c.first(String.self, "database_url", "connection_string", "url") {
            do { return try ConnectionConfiguration(url: url) } catch {
                throw DecodingError.dataCorruptedError(forKey: AnyKey("database_url"), in: c, debugDescription: "invalid database_url: \(error.message)")
            }
        }
        return nil
    }
}

/// `SchemaGenerator.inspect_database(connection)` and `SchemaDefinition.apply_to_database(connection)`.
public struct DatabaseSchemaParams: Sendable, Codable {
    public var connectionConfig: ConnectionConfiguration
    /// The schema to apply (`apply_to_database` only).
    public var schema: SchemaDefinition?
    /// The PostgreSQL namespace to inspect; `public` when absent.
    public var schemaName: String?

    public init(connectionConfig: ConnectionConfiguration, schema: SchemaDefinition? = nil, schemaName: String? = nil) {
        self.connectionConfig = connectionConfig; self.schema = schema; self.schemaName = schemaName
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let config = try ConnectionParams.decode(c) else {
            throw DecodingError.keyNotFound(AnyKey("connection_config"), .init(codingPath: c.codingPath, debugDescription: "needs connection_config or database_url"))
        }
        connectionConfig = config
        schema = try c.first(SchemaDefinition.self, "schema", "schema_definition")
        schemaName = try c.first(String.self, "schema_name", "namespace")
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(connectionConfig, "connection_config")
        try c.putIfPresent(schema, "schema")
        try c.putIfPresent(schemaName, "schema_name")
    }
}

/// `SchemaDefinition.diff(other)`: `schema` is the current one, `other` the target.
public struct DiffParams: Sendable, Codable {
    public var dialect: Dialect?
    public var schema: SchemaDefinition
    public var other: SchemaDefinition
    public init(dialect: Dialect? = nil, schema: SchemaDefinition, other: SchemaDefinition) { self.dialect = dialect; self.schema = schema; self.other = other }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        dialect = try c.dialect("dialect")
        guard let schema = try c.first(SchemaDefinition.self, "schema", "current_schema"),
              let other = try c.first(SchemaDefinition.self, "other", "target_schema") else {
            throw DecodingError.keyNotFound(AnyKey("other"), .init(codingPath: c.codingPath, debugDescription: "needs schema and other"))
        }
        self.schema = schema
        self.other = other
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.putIfPresent(dialect?.rawValue, "dialect")
        try c.put(schema, "schema")
        try c.put(other, "other")
    }
}

/// What `diff` returns: one line per change (the spec's `list[str]`) and the same changes as data.
public struct DiffResult: Sendable, Hashable, Codable {
    public var differences: [String]
    public var changes: [SchemaChangeSummary]
    /// Objects the model does not describe that differ; a migration between these schemas is refused.
    public var errors: [String]
    public var destructive: Bool
    public var equal: Bool
}

/// `generate_migrations` result: the spec's list of migrations.
public struct GenerateMigrationsResult: Sendable, Hashable, Codable {
    public var migrations: [SchemaMigration]
}
