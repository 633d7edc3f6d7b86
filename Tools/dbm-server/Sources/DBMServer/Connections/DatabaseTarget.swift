import Drivers
import JSONRPC

/// Which database a call is about, read from the same params object as the method's own parameters.
///
/// Any one of: `connection` (a `connection_id` from `DatabaseManager.connect`, or a DatabaseConnection
/// object), `connection_id`, `database_url` / `connection_string` / `url` (a connection URL), or
/// `connection_config` (the spec's configuration object). With none, the server's default database
/// (`dbm-server --database-url`, or `DATABASE_URL`) is used.
public struct DatabaseTarget: Decodable, Sendable {
    public var connectionID: String?
    public var url: String?
    public var configuration: ConnectionConfiguration?

    enum CodingKeys: String, CodingKey {
        case connection, connection_id, database_url, connection_string, url, connection_config
    }

    public init(connectionID: String? = nil, url: String? = nil, configuration: ConnectionConfiguration? = nil) {
        self.connectionID = connectionID
        self.url = url
        self.configuration = configuration
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let reference = try c.decodeIfPresent(ConnectionReference.self, forKey: .connection) {
            switch reference {
            case .id(let id): connectionID = id
            case .configuration(let config): configuration = config
            }
        }
        if let id = try c.decodeIfPresent(String.self, forKey: .connection_id) { connectionID = id }
        // Each alternative is decoded on its own (not with ??) so every accepted name is documented.
        let databaseURL = try c.decodeIfPresent(String.self, forKey: .database_url)
        let connectionString = try c.decodeIfPresent(String.self, forKey: .connection_string)
        let plainURL = try c.decodeIfPresent(String.self, forKey: .url)
        url = databaseURL ?? connectionString ?? plainURL
        if let config = try c.decodeIfPresent(ConnectionConfiguration.self, forKey: .connection_config) { configuration = config }
    }

    /// True when the params named no database at all.
    public var isEmpty: Bool { connectionID == nil && url == nil && configuration == nil }
}

/// The `connection` parameter: a connection id, or an object (`{"connection_id": ...}` or a connection configuration).
enum ConnectionReference: Decodable, JSONSchemaProviding {
    case id(String)
    case configuration(ConnectionConfiguration)

    init(from decoder: any Decoder) throws {
        if let id = try? decoder.singleValueContainer().decode(String.self) {
            self = .id(id)
            return
        }
        struct IDOnly: Decodable { let connection_id: String }
        if let object = try? IDOnly(from: decoder) {
            self = .id(object.connection_id)
            return
        }
        self = .configuration(try ConnectionConfiguration(from: decoder))
    }

    static var jsonSchema: JSONValue {
        ["oneOf": [
            ["type": "string", "description": "a connection_id returned by DatabaseManager.connect"],
            ["type": "object", "description": "a DatabaseConnection object: {connection_id} or a connection_config"],
        ]]
    }
}

extension ConnectionConfiguration: @retroactive JSONSchemaProviding {
    /// The spec's `connection_config` object.
    public static var jsonSchema: JSONValue {
        ["type": "object",
         "description": "connection_config: driver (sqlite|postgresql|mysql), host, port, database, username, password, ssl_config {enabled, mode, ca_path, cert_path, key_path}, connection_pool {min_connections, max_connections, connection_timeout, idle_timeout}, read_only; or url",
         "properties": [
            "url": ["type": "string"], "driver": ["type": "string", "enum": ["sqlite", "postgresql", "mysql"]],
            "host": ["type": "string"], "port": ["type": "integer"], "database": ["type": "string"],
            "username": ["type": "string"], "password": ["type": "string"],
            "ssl_config": ["type": "object"], "connection_pool": ["type": "object"], "read_only": ["type": "boolean"],
         ]]
    }
}
