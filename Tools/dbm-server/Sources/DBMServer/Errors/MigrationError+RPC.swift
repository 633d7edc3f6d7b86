import JSONRPC
import Migrations

extension MigrationError: ToolkitErrorConvertible {
    /// `MigrationError` (-32020) with `kind` its code (`drift`, `dirty`, `lock_timeout`, ...), and where known the
    /// `revision`, the failing statement (`statement_index`, `statement`) and the engine's error
    /// (`engine`, `engine_code`, `engine_message`).
    public var rpcError: RPCError {
        var extra: JSONObject = [:]
        if let revision { extra["revision"] = .string(revision) }
        if let statementIndex { extra["statement_index"] = .integer(Int64(statementIndex)) }
        if let statement { extra["statement"] = .string(statement) }
        if let underlying {
            if let engine = underlying.engine { extra["engine"] = .string(engine) }
            if let code = underlying.engineCode { extra["engine_code"] = .string(code) }
            extra["engine_message"] = .string(underlying.message)
        }
        return ToolkitErrorType.migrationError.rpcError(kind: code.rawValue, message: description, extra: extra)
    }
}
