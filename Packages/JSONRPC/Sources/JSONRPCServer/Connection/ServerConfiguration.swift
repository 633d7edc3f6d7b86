import JSONRPC
import Logging

/// How an ``RPCServer`` presents itself and behaves.
public struct ServerConfiguration: Sendable {
    /// Name and version answered by `initialize` (and the OpenRPC `info`).
    public var serverInfo: ServerInfo
    /// The protocol version answered by `initialize`.
    public var protocolVersion: String
    /// The `capabilities` answered by `initialize`; application-defined.
    public var capabilities: JSONValue
    /// The OpenRPC `info` served by `rpc.discover`; defaults to the server's name and version.
    public var documentInfo: OpenRPCInfo
    /// Largest accepted message body, in bytes (default 64 MiB). Larger messages are answered with -32600
    /// and skipped.
    public var maxMessageSize: Int
    /// Deepest accepted nesting of arrays/objects in a message (default 512).
    public var maxNestingDepth: Int
    /// How long the reader keeps polling for the client's next message before it sleeps in `poll`, when no
    /// request is running (default 100 µs; `.zero` sleeps at once). A client that sends its next request as soon as it has an
    /// answer finds the reader awake: an idle core takes tens of microseconds to wake a sleeping thread,
    /// more than the call itself costs. The price is at most this much CPU after each burst of input.
    public var inputSpin: Duration
    /// Whether requests before `initialize` fail with -32002 (default `true`, as in LSP). When `false`,
    /// clients may call methods at once; `initialize` is still accepted once.
    public var requiresInitialize: Bool
    /// What happens to requests still running when the input ends (default: they finish and answer).
    public var pendingRequestsAtEndOfInput: PendingRequestPolicy
    /// Turns errors that are not ``RPCError``s into the error sent to the client.
    /// Default: -32603 with the error's description and `data.type` = its type name.
    public var errorMapper: @Sendable (any Error) -> RPCError
    /// Sees the client's `initialize` params before the server answers (to note the client, or pick a
    /// protocol variant). Throwing refuses the session: the error (an ``RPCError`` as is, anything else
    /// through ``errorMapper``) is the answer and the server keeps waiting for `initialize`.
    /// - Important: runs on the reader thread, in message order; keep it quick and non-blocking.
    public var onInitialize: @Sendable (InitializeMethod.Params) throws -> Void
    /// Called once when ``RPCServer/run(input:output:)`` ends, after running requests finished;
    /// close databases and connections here.
    public var onShutdown: @Sendable () async -> Void
    /// Where the server logs (framing problems, dropped messages, handler failures in notifications).
    /// - Important: the logging backend must write to stderr (or a file): stdout carries the protocol.
    public var logger: Logger

    /// What to do with running requests at end of input.
    public enum PendingRequestPolicy: Sendable {
        /// Let them complete and send their answers.
        case finish
        /// Cancel them (they answer -32800 if the output is still open).
        case cancel
    }

    /// A configuration with the defaults described on each property.
    public init(
        serverInfo: ServerInfo,
        protocolVersion: String = "1.0",
        capabilities: JSONValue = .emptyObject,
        logger: Logger = Logger(label: "dbm.jsonrpc")
    ) {
        self.serverInfo = serverInfo
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.documentInfo = OpenRPCInfo(title: serverInfo.name, version: serverInfo.version)
        self.maxMessageSize = 64 << 20
        self.maxNestingDepth = JSONValue.defaultMaxDepth
        self.inputSpin = .microseconds(100)
        self.requiresInitialize = true
        self.pendingRequestsAtEndOfInput = .finish
        self.errorMapper = ServerConfiguration.defaultErrorMapper
        self.onInitialize = { _ in }
        self.onShutdown = {}
        self.logger = logger
    }

    /// -32603 "Internal error: <description>" with `data: {"type": "<Swift type name>"}`.
    public static func defaultErrorMapper(_ error: any Error) -> RPCError {
        RPCError(
            code: RPCError.Code.internalError, message: "Internal error: \(error)",
            data: ["type": .string(String(describing: type(of: error)))])
    }
}
