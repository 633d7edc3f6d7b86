import Drivers
import Foundation
import JSONRPC

/// The params of the `DatabaseConnection.*` methods: the class's constructor fields (`url`, or `driver`,
/// `host`, `port`, `database`, `username`, `password`, `ssl_config`) in the params object, or a
/// `connection` handle.
struct DatabaseConnectionParams: Decodable, Sendable {
    let target: DatabaseTarget

    enum CodingKeys: String, CodingKey { case driver }

    init(from decoder: any Decoder) throws {
        var target = try DatabaseTarget(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if target.isEmpty || (target.url == nil && target.connectionID == nil && target.configuration == nil),
           c.contains(.driver) {
            target.configuration = try ConnectionConfiguration(from: decoder)
        }
        self.target = target
    }
}

/// `DatabaseConnection.connect()`: opens the connection the fields describe; returns it with its connection_id.
enum DatabaseConnectionConnect: RPCMethod {
    typealias Params = DatabaseConnectionParams
    typealias Result = ConnectionInfo
    static let name = "DatabaseConnection.connect"
    static let summary = "Opens the connection described by url or driver/host/port/database/username/password; returns it with a connection_id."

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        if let id = params.target.connectionID {
            return ConnectionInfo(try await state.connections.handle(id).configuration, id: id)
        }
        return try await DatabaseManagerConnect.handle(.init(target: params.target), state)
    }
}

extension DatabaseManagerConnect.Params {
    init(target: DatabaseTarget) { self.target = target }
}

/// `DatabaseConnection.test_connection()`: true when the database answers, false when it cannot be reached.
enum DatabaseConnectionTestConnection: RPCMethod {
    typealias Params = DatabaseConnectionParams
    typealias Result = Bool
    static let name = "DatabaseConnection.test_connection"
    static let summary = "Connects and runs a trivial query: true when the database answers, false when it cannot be reached or refuses the login."

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        if let id = params.target.connectionID {
            return try await state.connections.handle(id).pool.withConnection { await $0.isAlive() }
        }
        let configuration = try await state.connections.configuration(for: params.target)
        do {
            return try await Database.testConnection(configuration)
        } catch let error as DatabaseError where [.connectionRefused, .authenticationFailed, .unknownDatabase, .connectionLost].contains(error.code) {
            state.logger.info("test_connection to \(configuration.redactedURL) failed: \(error)")
            return false
        }
    }
}

/// `DatabaseConnection.get_connection_info()`: the connection's fields, password redacted.
enum DatabaseConnectionGetConnectionInfo: RPCMethod {
    typealias Params = DatabaseConnectionParams
    typealias Result = ConnectionInfo
    static let name = "DatabaseConnection.get_connection_info"
    static let summary = "The connection's url, driver, host, port, database, username, ssl_config and pool settings; the password is always \"***\"."

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        if let id = params.target.connectionID {
            return ConnectionInfo(try await state.connections.handle(id).configuration, id: id)
        }
        return ConnectionInfo(try await state.connections.configuration(for: params.target), id: nil)
    }
}

/// `DatabaseConnection.close()`: closes a handle.
enum DatabaseConnectionClose: RPCMethod {
    typealias Params = DatabaseConnectionParams
    typealias Result = NullResult
    static let name = "DatabaseConnection.close"
    static let summary = "Closes a connection handle (the connection_id from connect)."

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        guard let id = params.target.connectionID else {
            throw RPCError(code: RPCError.Code.invalidParams, message: "close needs connection (a connection_id)")
        }
        try await state.connections.close(id)
        return NullResult()
    }
}
