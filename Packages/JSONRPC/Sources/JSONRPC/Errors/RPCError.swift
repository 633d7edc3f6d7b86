/// A JSON-RPC error object: what a failed request answers with.
///
/// Handlers throw it to control exactly what the client sees; any other error is turned into one by the
/// server's error mapper. Codes -32768…-32000 are reserved by the protocol (see ``Code``); applications
/// define their own in -32099…-32000 (server errors) or outside the reserved range.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error code; see ``Code`` for the standard ones.
    public var code: Int
    /// A short, single-sentence description for humans.
    public var message: String
    /// Optional structured details (for dbm, `{"type": "<spec class name>", ...}`).
    public var data: JSONValue?

    /// Creates an error object.
    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// "RPCError(-32601): Method not found: foo".
    public var description: String { "RPCError(\(code)): \(message)" }

    /// The error as a JSON-RPC error object `{"code", "message", "data"?}`.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["code": .integer(Int64(code)), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    /// Reads a JSON-RPC error object; `nil` when `value` does not have an integer `code` and a string `message`.
    public init?(jsonValue value: JSONValue) {
        guard let code = value["code"]?.integerValue, let intCode = Int(exactly: code),
            let message = value["message"]?.stringValue
        else { return nil }
        self.init(code: intCode, message: message, data: value["data"])
    }
}

extension RPCError {
    /// The codes defined by JSON-RPC 2.0 and the LSP base protocol.
    public enum Code {
        /// Invalid JSON was received (the answer's id is null).
        public static let parseError = -32700
        /// The JSON is not a valid request object (also: batch problems, oversized messages).
        public static let invalidRequest = -32600
        /// No such method.
        public static let methodNotFound = -32601
        /// The params do not match the method's parameters.
        public static let invalidParams = -32602
        /// An unexpected failure inside the server.
        public static let internalError = -32603
        /// A request arrived before `initialize` (LSP).
        public static let serverNotInitialized = -32002
        /// The request was cancelled with `$/cancelRequest` (LSP).
        public static let requestCancelled = -32800
        /// The lowest code of the application-defined server error range -32099…-32000.
        public static let serverErrorRangeStart = -32099
        /// The highest code of the application-defined server error range -32099…-32000.
        public static let serverErrorRangeEnd = -32000
    }

    /// -32700: the bytes received are not valid JSON; `detail` says why and where.
    public static func parseError(_ detail: String) -> RPCError {
        RPCError(code: Code.parseError, message: "Parse error: \(detail)")
    }

    /// -32600: the message is not a valid JSON-RPC request; `detail` says why.
    public static func invalidRequest(_ detail: String) -> RPCError {
        RPCError(code: Code.invalidRequest, message: "Invalid request: \(detail)")
    }

    /// -32601 for `method`.
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: Code.methodNotFound, message: "Method not found: \(method)")
    }

    /// -32602 with a message naming the parameter path, e.g. "params.limit: expected integer, got string".
    public static func invalidParams(_ detail: String) -> RPCError {
        RPCError(code: Code.invalidParams, message: "Invalid params: \(detail)")
    }

    /// -32603 with `detail`.
    public static func internalError(_ detail: String) -> RPCError {
        RPCError(code: Code.internalError, message: "Internal error: \(detail)")
    }

    /// -32002: a request other than `initialize` arrived first.
    public static let serverNotInitialized = RPCError(
        code: Code.serverNotInitialized, message: "Server not initialized: send 'initialize' first")

    /// -32800: the request was cancelled before it completed.
    public static let requestCancelled = RPCError(code: Code.requestCancelled, message: "Request cancelled")

    /// `true` when `error` is an ``RPCError`` with the same code; lets callers write `catch RPCError.requestCancelled`.
    public static func ~= (pattern: RPCError, error: any Error) -> Bool {
        (error as? RPCError)?.code == pattern.code
    }
}
