/// `initialize`: the first request of a session. Answers the server's identity, protocol version and
/// capabilities. Sent once; a second `initialize` is an invalid request.
public enum InitializeMethod: RPCMethod {
    /// What the client says about itself (LSP-style). Every member is optional; unknown ones are ignored.
    public struct Params: Codable, Sendable, Hashable {
        public var processId: Int?
        public var clientInfo: ClientInfo?
        public var protocolVersion: String?
        public var capabilities: JSONValue?
        public var initializationOptions: JSONValue?
        public var trace: String?

        public init(
            processId: Int? = nil, clientInfo: ClientInfo? = nil, protocolVersion: String? = nil,
            capabilities: JSONValue? = nil, initializationOptions: JSONValue? = nil, trace: String? = nil
        ) {
            self.processId = processId
            self.clientInfo = clientInfo
            self.protocolVersion = protocolVersion
            self.capabilities = capabilities
            self.initializationOptions = initializationOptions
            self.trace = trace
        }
    }

    /// The server's answer.
    public struct Result: Codable, Sendable, Hashable {
        public var serverInfo: ServerInfo
        public var protocolVersion: String
        /// Application-defined capabilities.
        public var capabilities: JSONValue

        public init(serverInfo: ServerInfo, protocolVersion: String, capabilities: JSONValue) {
            self.serverInfo = serverInfo
            self.protocolVersion = protocolVersion
            self.capabilities = capabilities
        }
    }

    public static let name = "initialize"
    public static let summary = "Starts the session: returns the server's name, version, protocol version and capabilities."
    public static let details = "Must be the first request; any other request before it fails with -32002. May be sent only once."
    public static let paramDescriptions = [
        "processId": "The client's process id.",
        "clientInfo": "The client's name and version.",
        "protocolVersion": "The protocol version the client speaks.",
        "capabilities": "What the client supports.",
    ]
    public static let tags = ["lifecycle"]
}

/// Who the client is.
public struct ClientInfo: Codable, Sendable, Hashable {
    public var name: String
    public var version: String?

    public init(name: String, version: String? = nil) {
        self.name = name
        self.version = version
    }
}

/// Who the server is.
public struct ServerInfo: Codable, Sendable, Hashable {
    public var name: String
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

/// `initialized`: the client acknowledges the `initialize` answer. No reply.
public enum InitializedNotification: RPCNotificationMethod {
    public static let name = "initialized"
    public static let summary = "Acknowledges the initialize answer; the session is ready."
    public static let tags = ["lifecycle"]
}

/// `shutdown`: asks the server to stop accepting requests; answers `null`. Requests after it fail with -32600.
public enum ShutdownMethod: RPCMethod {
    public typealias Result = NullResult

    public static let name = "shutdown"
    public static let summary = "Stops accepting requests; the client should then send 'exit'."
    public static let tags = ["lifecycle"]
}

/// `exit`: ends the server process: exit code 0 after `shutdown`, 1 without.
public enum ExitNotification: RPCNotificationMethod {
    public static let name = "exit"
    public static let summary = "Ends the server; the exit code is 0 after shutdown and 1 otherwise."
    public static let tags = ["lifecycle"]
}

/// `$/cancelRequest`: cancels a running request, which then answers -32800. Unknown or finished ids are ignored.
public enum CancelRequestNotification: RPCNotificationMethod {
    public struct Params: Codable, Sendable, Hashable {
        public var id: RequestID

        public init(id: RequestID) {
            self.id = id
        }
    }

    public static let name = "$/cancelRequest"
    public static let summary = "Cancels the running request with the given id; it then answers -32800."
    public static let paramDescriptions = ["id": "The id of the request to cancel."]
    public static let tags = ["lifecycle"]
}

/// The server's own methods, as they appear in its OpenRPC document.
public enum BuiltinMethods {
    public static var descriptors: [MethodDescriptor] {
        [
            MethodDescriptor(InitializeMethod.self),
            MethodDescriptor(notification: InitializedNotification.self),
            MethodDescriptor(ShutdownMethod.self),
            MethodDescriptor(notification: ExitNotification.self),
            MethodDescriptor(notification: CancelRequestNotification.self),
            MethodDescriptor(DiscoverMethod.self),
        ]
    }
}
