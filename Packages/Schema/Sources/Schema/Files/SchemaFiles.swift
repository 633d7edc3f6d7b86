import DatabaseDriver
import Drivers
import Foundation
import Yams

/// The formats `export_schema` writes and `import_schema` reads.
public enum SchemaFormat: String, Sendable, Codable, CaseIterable {
    case sql, json, yaml

    /// Reads `sql`, `json`, `yaml`/`yml`.
    public init(name: String) throws {
        switch name.lowercased() {
        case "sql", "ddl": self = .sql
        case "json": self = .json
        case "yaml", "yml": self = .yaml
        default: throw SchemaError(.unknownName, "unknown format '\(name.prefix(20))'; use sql, json or yaml", location: "format")
        }
    }
}

/// Schema files: JSON and YAML in dbm's schema shape (either spec shape on input), SQL as DDL.
public enum SchemaFiles {
    /// The schema in `format`. JSON is pretty-printed with sorted keys and YAML keeps the same keys, so
    /// both are deterministic.
    public static func export(_ schema: SchemaDefinition, format: SchemaFormat, dialect: Dialect) throws -> String {
        switch format {
        case .sql: return schema.toSQL(dialect: dialect)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(schema), as: UTF8.self) + "\n"
        case .yaml:
            let encoder = YAMLEncoder()
            encoder.options.sortKeys = true
            return try encoder.encode(schema)
        }
    }

    /// Reads a schema from JSON or YAML text.
    public static func decode(_ text: String, format: SchemaFormat) throws -> SchemaDefinition {
        do {
            switch format {
            case .json:
                // JSON is YAML; Yams keeps object keys in document order (000's column dicts), Foundation does not.
                if let schema = try? YAMLDecoder().decode(SchemaDefinition.self, from: text) { return schema }
                return try JSONDecoder().decode(SchemaDefinition.self, from: Data(text.utf8))
            case .yaml: return try YAMLDecoder().decode(SchemaDefinition.self, from: text)
            case .sql: throw SchemaError(.invalidDefinition, "SQL is imported through a database; use importFile")
            }
        } catch let error as SchemaError {
            throw error
        } catch let error as DecodingError {
            throw SchemaError(.invalidDefinition, "the schema file does not describe a schema: " + Self.describe(error))
        } catch {
            throw SchemaError(.invalidDefinition, "the schema file could not be parsed: \(error)")
        }
    }

    /// Reads a schema file. `.json`, `.yaml`/`.yml` are decoded; `.sql` is applied to a scratch database
    /// for `dialect` and inspected: an in-memory SQLite database, or for PostgreSQL and MySQL a database
    /// created (and dropped afterwards) on the server `server` points at.
    public static func importFile(_ path: String, dialect: Dialect, server: ConnectionConfiguration? = nil) async throws -> SchemaDefinition {
        let url = URL(fileURLWithPath: path)
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw SchemaError(.fileError, "cannot read schema file \(path): \(error.localizedDescription)", location: path)
        }
        switch url.pathExtension.lowercased() {
        case "json": return try decode(text, format: .json)
        case "yaml", "yml": return try decode(text, format: .yaml)
        case "sql", "ddl": return try await importSQL(text, dialect: server?.dialect ?? dialect, server: server)
        default:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("{") { return try decode(text, format: .json) }
            throw SchemaError(.unknownName, "cannot tell the format of \(url.lastPathComponent); name it .json, .yaml or .sql", location: path)
        }
    }

    /// Applies DDL to a scratch database and inspects the result.
    public static func importSQL(_ sql: String, dialect: Dialect, server: ConnectionConfiguration?) async throws -> SchemaDefinition {
        if dialect == .sqlite {
            let connection = try await Database.connect(ConnectionConfiguration(dialect: .sqlite, database: ":memory:"))
            do {
                try await runScript(sql, on: connection)
                let schema = try await SchemaInspector().inspect(connection)
                await connection.close()
                return schema
            } catch {
                await connection.close()
                throw error
            }
        }
        guard let server, server.dialect == dialect else {
            throw SchemaError(.invalidDefinition, "importing \(dialect.rawValue) DDL needs connection_config for a \(dialect.rawValue) server, where dbm creates and drops a scratch database")
        }
        let driver = Database.driver(for: dialect)
        let name = "dbm_import_\(UInt32.random(in: 0...UInt32.max))"
        try await driver.createDatabase(name, options: CreateDatabaseOptions(), on: server)
        do {
            let connection = try await driver.connect(server.with(database: name))
            do {
                try await runScript(sql, on: connection)
                let schema = try await SchemaInspector().inspect(connection)
                await connection.close()
                try await driver.dropDatabase(name, ifExists: true, on: server)
                return schema
            } catch {
                await connection.close()
                throw error
            }
        } catch {
            try? await driver.dropDatabase(name, ifExists: true, on: server)
            throw error
        }
    }

    private static func runScript(_ sql: String, on connection: any DatabaseConnection) async throws {
        do { try await connection.executeScript(sql) } catch {
            throw SchemaError(.invalidDefinition, "the SQL file could not be applied to a scratch \(connection.dialect.rawValue) database", underlying: String(describing: error))
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : " at \(p)"
        }
        switch error {
        case .keyNotFound(let key, let c): return "missing \(key.stringValue)\(path(c)): \(c.debugDescription)"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return c.debugDescription + path(c)
        @unknown default: return String(describing: error)
        }
    }
}
