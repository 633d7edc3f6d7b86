import JSONRPC
import Schema

extension SchemaError: ToolkitErrorConvertible {
    /// `SchemaError` (-32060) with `kind` its code, and `location` where the problem is.
    public var rpcError: RPCError {
        var extra: JSONObject = [:]
        if let location { extra["location"] = .string(location) }
        return ToolkitErrorType.schemaError.rpcError(kind: code.rawValue, message: description, extra: extra)
    }
}
