import Drivers
import Logging

/// What every handler shares: the open databases and the server's settings.
public struct ServerState: Sendable {
    public let connections: ConnectionRegistry
    public let logger: Logger
    public let readOnly: Bool
    /// The `--config` settings: allow-list, paths, audit log path.
    public let policy: ServerPolicy
    /// Where mutating calls are recorded, when an audit log is configured.
    public let audit: AuditLog?
    /// Runs due backup schedules in the background while the server runs.
    public let backupScheduler: BackupScheduler

    public init(defaultConfiguration: ConnectionConfiguration? = nil, readOnly: Bool = false, policy: ServerPolicy = ServerPolicy(),
                audit: AuditLog? = nil, logger: Logger = Logger(label: "dbm.server")) {
        let readOnly = readOnly || policy.readOnly
        let connections = ConnectionRegistry(defaultConfiguration: defaultConfiguration, readOnly: readOnly, allowList: policy.allowList, paths: policy.paths)
        self.connections = connections
        self.logger = logger
        self.readOnly = readOnly
        self.policy = policy
        self.audit = audit
        self.backupScheduler = BackupScheduler(passwords: { await connections.knownPassword(for: $0) })
    }
}
