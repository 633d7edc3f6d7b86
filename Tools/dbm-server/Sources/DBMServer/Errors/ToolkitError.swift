import Drivers
import JSONRPC

/// The spec's error classes and the JSON-RPC code each is answered with.
///
/// | `data.type` | code |
/// | --- | --- |
/// | `DatabaseError` | -32010 |
/// | `MigrationError` | -32020 |
/// | `BackupError` | -32030 |
/// | `MonitoringError` | -32040 |
/// | `OptimizationError` | -32050 |
/// | `SchemaError` | -32060 |
///
/// `data` always has `type` (the class name) and `kind` (the specific failure, e.g. `unique_violation`),
/// and where the engine said so `engine` and `engine_code` (SQLSTATE, MySQL errno, SQLite extended code).
public enum ToolkitErrorType: String, CaseIterable, Sendable {
    case databaseError = "DatabaseError"
    case migrationError = "MigrationError"
    case backupError = "BackupError"
    case monitoringError = "MonitoringError"
    case optimizationError = "OptimizationError"
    case schemaError = "SchemaError"

    public var code: Int {
        switch self {
        case .databaseError: -32010
        case .migrationError: -32020
        case .backupError: -32030
        case .monitoringError: -32040
        case .optimizationError: -32050
        case .schemaError: -32060
        }
    }

    /// An `RPCError` of this class.
    public func rpcError(kind: String, message: String, extra: JSONObject = [:]) -> RPCError {
        var data: JSONObject = ["type": .string(rawValue), "kind": .string(kind)]
        for (key, value) in extra { data[key] = value }
        return RPCError(code: code, message: message, data: .object(data))
    }
}

/// Maps any error a handler throws onto the JSON-RPC error the client sees. Used once, at the server's edge.
public enum ErrorMapping {
    public static func rpcError(for error: any Error) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case is CancellationError:
            return RPCError(code: RPCError.Code.requestCancelled, message: "Request cancelled")
        case let error as DatabaseError:
            var extra: JSONObject = [:]
            if let engine = error.engine { extra["engine"] = .string(engine) }
            if let code = error.engineCode { extra["engine_code"] = .string(code) }
            return ToolkitErrorType.databaseError.rpcError(kind: error.code.rawValue, message: error.message, extra: extra)
        case let error as any ToolkitErrorConvertible:
            return error.rpcError
        default:
            return RPCError(code: RPCError.Code.internalError, message: "internal error: \(error)")
        }
    }
}

/// An error of a module package that knows its spec class and kind.
public protocol ToolkitErrorConvertible: Error {
    var rpcError: RPCError { get }
}
