import JSONRPC
import Monitoring

extension MonitoringError: ToolkitErrorConvertible {
    /// `MonitoringError` (-32040) with `kind` its code.
    public var rpcError: RPCError {
        ToolkitErrorType.monitoringError.rpcError(kind: code.rawValue, message: description)
    }
}

extension OptimizationError: ToolkitErrorConvertible {
    /// `OptimizationError` (-32050) with `kind` its code.
    public var rpcError: RPCError {
        ToolkitErrorType.optimizationError.rpcError(kind: code.rawValue, message: description)
    }
}
