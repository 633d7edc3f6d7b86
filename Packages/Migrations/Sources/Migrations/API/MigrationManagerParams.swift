import DatabaseDriver

/// The constructor arguments every `MigrationManager.*` method takes, flat in its params:
/// `migration_dir` (or `migration_path`), `database_url` (or `connection_config`), and the optional
/// `migrations_table`, `format`, `tool_table`, `lock_timeout`, `out_of_order`.
public struct MigrationManagerParams: Sendable, Codable {
    public var migrationDir: String
    /// `nil` only for `create_migration`, which needs no database.
    public var connection: ConnectionConfiguration?
    public var options: MigrationOptions

    public init(migrationDir: String, connection: ConnectionConfiguration?, options: MigrationOptions = .init()) {
        self.migrationDir = migrationDir
        self.connection = connection
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case migrationDir = "migration_dir", migrationPath = "migration_path"
        case databaseURL = "database_url", connectionConfig = "connection_config"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let dir = try c.decodeIfPresent(String.self, forKey: .migrationDir) ?? c.decodeIfPresent(String.self, forKey: .migrationPath) else {
            throw DecodingError.keyNotFound(CodingKeys.migrationDir, .init(codingPath: c.codingPath,
                debugDescription: "params need \"migration_dir\" (or \"migration_path\")"))
        }
        migrationDir = dir
        // An empty `database_url` counts as absent (the server then resolves its other ways to name a database).
        if let url = try c.decodeIfPresent(String.self, forKey: .databaseURL), !url.isEmpty {
            do { connection = try ConnectionConfiguration(url: url) } catch {
                throw DecodingError.dataCorruptedError(forKey: .databaseURL, in: c, debugDescription: error.message)
            }
        } else {
            connection = try c.decodeIfPresent(ConnectionConfiguration.self, forKey: .connectionConfig)
        }
        options = try MigrationOptions(from: decoder)
    }

    /// Writes `database_url` redacted: the encoded form is safe to log.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(migrationDir, forKey: .migrationDir)
        try c.encodeIfPresent(connection?.redactedURL, forKey: .databaseURL)
        try options.encode(to: encoder)
    }

    /// The manager these params describe.
    /// - Throws: `MigrationError.invalidRequest` when neither `database_url` nor `connection_config` was given.
    public func manager(progress: MigrationProgressHandler? = nil,
                        connect: MigrationConnectionFactory? = nil) throws(MigrationError) -> MigrationManager {
        guard let connection else {
            throw MigrationError(.invalidRequest, "params need \"database_url\" or \"connection_config\"")
        }
        return MigrationManager(migrationDirectory: migrationDir, configuration: connection, options: options,
                                progress: progress, connect: connect)
    }
}
