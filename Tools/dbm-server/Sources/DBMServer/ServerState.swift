import Drivers
import Logging

/// What every handler shares: the open databases and the server's settings.
public struct ServerState: Sendable {
    public let connections: ConnectionRegistry
    public let logger: Logger
    public let readOnly: Bool

    public init(defaultConfiguration: ConnectionConfiguration? = nil, readOnly: Bool = false, logger: Logger = Logger(label: "dbm.server")) {
        self.connections = ConnectionRegistry(defaultConfiguration: defaultConfiguration, readOnly: readOnly)
        self.logger = logger
        self.readOnly = readOnly
    }
}
