/// `initialize`: the first request of a session. Answers the server's identity, protocol version and
/// capabilities. Sent once; a second `initialize` is an invalid request.
public enum InitializeMethod: RPCMethod {
    /// What the client says about itself (LSP-style). Every member is optional; unknown ones are ignored.
    public struct Params: Codable, Sendable, Hashable {
        /// The client's process id.
        public var processId: Int?
        /// The client's name and version.
        public var clientInfo: ClientInfo?
        /// The protocol version the client speaks.
        public var protocolVersion: String?
        /// What the client supports; application-defined.
        public var capabilities: JSONValue?
        /// Free-form options for the application.
        public var initializationOptions: JSONValue?
        /// The trace level the client wants (LSP: "off", "messages", "verbose").
        public var trace: String?

        /// Creates initialize params (clients and tests).
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
        /// The server's name and version.
        public var serverInfo: ServerInfo
        /// The protocol version the server speaks.
        public var protocolVersion: String
        /// Application-defined capabilities.
        public var capabilities: JSONValue

        /// Creates an initialize result.
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
    /// The client's name, e.g. "dbm-client".
    public var name: String
    /// The client's version.
    public var version: String?

    /// Creates client info.
    public init(name: String, version: String? = nil) {
        self.name = name
        self.version = version
    }
}

/// Who the server is.
public struct ServerInfo: Codable, Sendable, Hashable {
    /// The server's name, e.g. "dbm-server".
    public var name: String
    /// The server's version.
    public var version: String

    /// Creates server info.
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}
