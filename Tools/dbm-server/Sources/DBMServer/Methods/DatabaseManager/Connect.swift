import Drivers
import JSONRPC

/// `DatabaseManager.connect(connection_string)`: opens a handle that later calls pass as `connection`.
enum DatabaseManagerConnect: RPCMethod {
    struct Params: Decodable, Sendable {
        let target: DatabaseTarget
        init(from decoder: any Decoder) throws { target = try DatabaseTarget(from: decoder) }
    }
    typealias Result = ConnectionInfo

    static let name = "DatabaseManager.connect"
    static let summary = "Opens a connection (a pooled handle) and returns its connection_id and redacted details."
    static let paramDescriptions = [
        "connection_string": "Connection URL: sqlite:///file.db, postgresql://user:pw@host:5432/db, mysql://user:pw@host/db",
        "connection_config": "The spec's connection_config object instead of a URL",
    ]

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        let configuration = try await state.connections.configuration(for: params.target)
        let handle = try await state.connections.open(configuration)
        state.logger.info("opened \(handle.id) to \(configuration.redactedURL)")
        return ConnectionInfo(handle.configuration, id: handle.id)
    }
}

/// `DatabaseManager.disconnect(connection)`: closes a handle.
enum DatabaseManagerDisconnect: RPCMethod {
    struct Params: Decodable, Sendable {
        let target: DatabaseTarget
        init(from decoder: any Decoder) throws { target = try DatabaseTarget(from: decoder) }
    }
    typealias Result = NullResult

    static let name = "DatabaseManager.disconnect"
    static let summary = "Closes a connection handle and every pooled connection in it."

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        guard let id = params.target.connectionID else {
            throw RPCError(code: RPCError.Code.invalidParams, message: "disconnect needs connection (a connection_id)")
        }
        try await state.connections.close(id)
        return NullResult()
    }
}
