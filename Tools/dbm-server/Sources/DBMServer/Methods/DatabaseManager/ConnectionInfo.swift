import Drivers
import Foundation

/// The spec's DatabaseConnection as a result: its fields with the password redacted, and the handle id.
public struct ConnectionInfo: Codable, Sendable {
    public var connection_id: String?
    public var url: String
    public var driver: String
    public var host: String?
    public var port: Int?
    public var database: String
    public var username: String?
    /// `"***"` when a password is set; the password itself never leaves the server.
    public var password: String?
    public var ssl_config: TLSConfiguration
    public var connection_pool: PoolConfiguration
    public var read_only: Bool

    public init(_ configuration: ConnectionConfiguration, id: String?) {
        connection_id = id
        url = configuration.redactedURL
        driver = configuration.dialect.rawValue
        host = configuration.host
        port = configuration.effectivePort
        database = configuration.database
        username = configuration.username
        password = configuration.password == nil ? nil : "***"
        ssl_config = configuration.tls
        connection_pool = configuration.pool
        read_only = configuration.readOnly
    }
}
