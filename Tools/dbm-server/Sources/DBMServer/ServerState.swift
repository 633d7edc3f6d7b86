import Drivers
import Logging

/// What every handler shares: the open databases and the server's settings.
public struct ServerState: Sendable {
    public let connections: ConnectionRegistry
    public let logger: Logger
    public let readOnly: Bool
    /// Runs due backup schedules in the background while the server runs.
    public let backupScheduler: BackupScheduler

    public init(defaultConfiguration: ConnectionConfiguration? = nil, readOnly: Bool = false, logger: Logger = Logger(label: "dbm.server")) {
        self.connections = ConnectionRegistry(defaultConfiguration: defaultConfiguration, readOnly: readOnly)
        self.logger = logger
        self.readOnly = readOnly
        self.backupScheduler = BackupScheduler()
    }
}
