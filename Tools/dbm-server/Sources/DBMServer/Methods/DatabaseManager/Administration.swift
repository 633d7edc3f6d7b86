import Drivers
import Foundation
import JSONRPC

/// `DatabaseManager.get_database_info(connection)`: server version, size, encoding, table count.
enum DatabaseManagerGetDatabaseInfo: RPCMethod {
    struct Params: Decodable, Sendable {
        let target: DatabaseTarget
        init(from decoder: any Decoder) throws { target = try DatabaseTarget(from: decoder) }
    }
    typealias Result = DatabaseInfo

    static let name = "DatabaseManager.get_database_info"
    static let summary = "Server version, size in bytes, encoding and table, view and index counts of a database."

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await state.connections.pool(for: params.target).withConnection { try await $0.databaseInfo() }
    }
}

/// `DatabaseManager.list_databases()`: the databases on the server a target points at.
enum DatabaseManagerListDatabases: RPCMethod {
    struct Params: Decodable, Sendable {
        let target: DatabaseTarget
        init(from decoder: any Decoder) throws { target = try DatabaseTarget(from: decoder) }
    }
    typealias Result = [String]

    static let name = "DatabaseManager.list_databases"
    static let summary = "Lists the databases on the server (SQLite: the database files in the file's directory)."

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        let configuration = try await state.connections.configuration(for: params.target)
        return try await Database.driver(for: configuration.dialect).listDatabases(configuration)
    }
}

/// Where `create_database` / `drop_database` act: the target's server, or the server of a URL given as `name`.
enum DatabaseNaming {
    /// The server configuration and the bare database name for a `name` parameter, which may itself be a URL.
    static func resolve(name: String, target: DatabaseTarget, state: ServerState) async throws -> (ConnectionConfiguration, String) {
        if name.contains("://") || name.hasPrefix("sqlite:") {
            var configuration = try ConnectionConfiguration(url: name)
            try state.connections.checkAccess(&configuration)
            return (configuration, configuration.database)
        }
        var configuration = try await state.connections.configuration(for: target)
        if configuration.dialect == .sqlite, !name.hasPrefix("/"), !configuration.isInMemory {
            let directory = (configuration.database as NSString).deletingLastPathComponent
            configuration.database = directory.isEmpty ? name : directory + "/" + name
            try state.connections.checkAccess(&configuration)
            return (configuration, configuration.database)
        }
        // The database being created or dropped must itself be on the allow-list.
        var named = configuration
        named.database = name
        try state.connections.checkAccess(&named)
        return (configuration, named.database)
    }

    static func refuseWhenReadOnly(_ state: ServerState, _ configuration: ConnectionConfiguration, _ what: String) throws {
        if state.readOnly || configuration.readOnly {
            throw DatabaseError(.permissionDenied, "\(what) refused: the server or connection is read-only")
        }
    }
}

/// `DatabaseManager.create_database(name, config)`.
enum DatabaseManagerCreateDatabase: RPCMethod {
    struct Params: Decodable, Sendable {
        let name: String
        let config: CreateDatabaseOptions?
        let target: DatabaseTarget
        enum CodingKeys: String, CodingKey { case name, config }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            config = try c.decodeIfPresent(CreateDatabaseOptions.self, forKey: .config)
            target = try DatabaseTarget(from: decoder)
        }
    }
    typealias Result = Bool

    static let name = "DatabaseManager.create_database"
    static let summary = "Creates a database (SQLite: a file) on the server a target points at; true when created."
    static let paramDescriptions = [
        "name": "Database name (SQLite: a file path, relative to the target database's directory), or a full URL",
        "config": "{encoding, collation, template, owner, if_not_exists}",
    ]

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        let (server, name) = try await DatabaseNaming.resolve(name: params.name, target: params.target, state: state)
        try DatabaseNaming.refuseWhenReadOnly(state, server, "create_database")
        try await Database.driver(for: server.dialect).createDatabase(name, options: params.config ?? CreateDatabaseOptions(), on: server)
        return true
    }
}

/// `DatabaseManager.drop_database(name)`.
enum DatabaseManagerDropDatabase: RPCMethod {
    struct Params: Decodable, Sendable {
        let name: String
        let if_exists: Bool?
        let target: DatabaseTarget
        enum CodingKeys: String, CodingKey { case name, if_exists }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            if_exists = try c.decodeIfPresent(Bool.self, forKey: .if_exists)
            target = try DatabaseTarget(from: decoder)
        }
    }
    typealias Result = Bool

    static let name = "DatabaseManager.drop_database"
    static let summary = "Drops a database (SQLite: deletes the file); true when dropped."

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        let (server, name) = try await DatabaseNaming.resolve(name: params.name, target: params.target, state: state)
        try DatabaseNaming.refuseWhenReadOnly(state, server, "drop_database")
        try await Database.driver(for: server.dialect).dropDatabase(name, ifExists: params.if_exists ?? false, on: server)
        return true
    }
}
