import DatabaseDriver
import Foundation

/// Reads a live database into a `SchemaDefinition` from its catalogs.
///
/// PostgreSQL and MySQL/MariaDB are read with a fixed number of catalog queries whatever the number of
/// tables (`queryCount` says how many ran); SQLite needs its per-table pragmas. Objects the model does
/// not describe (functions, triggers, partitions, ...) are listed in `unsupported_objects`.
public struct SchemaInspector: Sendable {
    /// The PostgreSQL schema (namespace) to read; `public` by default. Ignored by the other engines.
    public var schemaName: String

    public init(schemaName: String = "public") {
        self.schemaName = schemaName
    }

    /// What an inspection produced, and how many catalog queries it took.
    public struct Result: Sendable {
        public var schema: SchemaDefinition
        public var queryCount: Int
    }

    /// Inspects the database `connection` is connected to.
    public func inspect(_ connection: any DatabaseConnection) async throws -> SchemaDefinition {
        try await inspectCounting(connection).schema
    }

    /// Inspects and counts the catalog queries.
    public func inspectCounting(_ connection: any DatabaseConnection) async throws -> Result {
        let reader = CatalogReader(connection: connection)
        let schema: SchemaDefinition
        switch connection.dialect {
        case .postgresql: schema = try await PostgreSQLInspector(reader: reader, schemaName: schemaName).inspect()
        case .mysql: schema = try await MySQLInspector(reader: reader).inspect()
        case .sqlite: schema = try await SQLiteInspector(reader: reader).inspect()
        }
        return Result(schema: schema.sorted(), queryCount: await reader.count)
    }
}

/// Runs catalog queries and counts them.
actor CatalogReader {
    let connection: any DatabaseConnection
    private(set) var count = 0

    init(connection: any DatabaseConnection) { self.connection = connection }

    func rows(_ sql: String, _ arguments: StatementArguments = .none) async throws -> [CatalogRow] {
        count += 1
        try Task.checkCancellation()
        return try await connection.query(sql, arguments).rows.map(CatalogRow.init)
    }
}

/// One catalog row with typed accessors that tolerate the engines' different value kinds.
struct CatalogRow: Sendable {
    let row: Row

    func string(_ i: Int) -> String? {
        switch row[i] {
        case .null: return nil
        case .blob(let bytes): return String(decoding: bytes, as: UTF8.self)
        case let v: return v.textRepresentation
        }
    }

    func string(_ name: String) -> String? {
        guard let i = row.columns.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        return string(i)
    }

    func text(_ i: Int) -> String { string(i) ?? "" }

    func bool(_ i: Int) -> Bool {
        switch row[i] {
        case .bool(let b): return b
        case .integer(let n): return n != 0
        case .text(let s): return ["t", "true", "1", "yes", "y"].contains(s.lowercased())
        default: return false
        }
    }

    func int(_ i: Int) -> Int64? {
        switch row[i] {
        case .integer(let n): return n
        case .double(let d): return Int64(d)
        case .null: return nil
        default: return string(i).flatMap { Int64($0) }
        }
    }

    /// A JSON array of strings produced by `json_agg` / `JSON_ARRAYAGG`.
    func stringArray(_ i: Int) -> [String] {
        guard let text = string(i), let data = text.data(using: .utf8),
              let list = try? JSONDecoder().decode([String?].self, from: data) else { return [] }
        return list.compactMap { $0 }
    }
}
