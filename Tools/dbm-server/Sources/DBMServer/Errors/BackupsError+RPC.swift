import Backups
import JSONRPC

extension BackupError: ToolkitErrorConvertible {
    /// `BackupError` (-32030) with `kind` its code, and `backup_path` and the underlying database error's
    /// kind (`database_error`) where known.
    public var rpcError: RPCError {
        var extra: JSONObject = [:]
        if let backupPath { extra["backup_path"] = .string(backupPath) }
        if let underlying { extra["database_error"] = .string(underlying) }
        return ToolkitErrorType.backupError.rpcError(kind: code.rawValue, message: description, extra: extra)
    }
}
