import Drivers
import JSONRPC
import JSONRPCServer
import Logging

/// Builds the dbm JSON-RPC server: every implemented method, the capabilities `initialize` answers,
/// the error mapping, and closing every database at the end.
public enum ServerFactory {
    public static let name = "dbm-server"
    public static let version = "0.1.0"

    /// The server, ready to `run()` on stdin/stdout (or any pair of file descriptors).
    public static func makeServer(state: ServerState, maxMessageSize: Int? = nil) -> RPCServer {
        let registry = MethodCatalog.registry(state: state)
        var configuration = ServerConfiguration(
            serverInfo: ServerInfo(name: name, version: version),
            protocolVersion: "1.0",
            capabilities: capabilities(registry: registry, state: state),
            logger: state.logger)
        configuration.documentInfo = OpenRPCInfo(title: "dbm", version: version,
            description: "Database management for SQLite, PostgreSQL and MySQL/MariaDB: connections, migrations, backups, monitoring and schemas.")
        if let maxMessageSize { configuration.maxMessageSize = maxMessageSize }
        configuration.errorMapper = { error in
            let mapped = ErrorMapping.rpcError(for: error)
            if mapped.code == RPCError.Code.internalError { state.logger.error("internal error: \(error)") }
            return mapped
        }
        configuration.onShutdown = {
            await state.backupScheduler.stop()
            await state.connections.closeAll()
            await state.statements.close()
        }
        let scheduler = state.backupScheduler
        let logger = state.logger
        Task { await scheduler.start(logger: logger) }
        return RPCServer(registry: registry, configuration: configuration)
    }

    static func capabilities(registry: MethodRegistry, state: ServerState) -> JSONValue {
        [
            "engines": ["sqlite", "postgresql", "mysql"],
            "methods": .array(registry.descriptors.map { .string($0.name) }.sorted { "\($0)" < "\($1)" }),
            "cancellation": true,
            "progress": true,
            "framing": ["content-length", "newline-delimited"],
            "read_only": .bool(state.readOnly),
            "error_types": .object(JSONObject(dictionaryLiteralPairs: ToolkitErrorType.allCases.map { ($0.rawValue, .integer(Int64($0.code))) })),
        ]
    }
}

extension JSONObject {
    init(dictionaryLiteralPairs pairs: [(String, JSONValue)]) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }
}
