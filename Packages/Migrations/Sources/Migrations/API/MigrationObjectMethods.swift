import DatabaseDriver
import Foundation

/// Params of `Migration.apply` and `Migration.rollback`: the `migration` object (either key set) and the
/// database (`database_url` or `connection_config`).
public struct MigrationExecutionParams: Sendable, Codable {
    public var migration: Migration
    public var connection: ConnectionConfiguration

    public init(migration: Migration, connection: ConnectionConfiguration) {
        self.migration = migration
        self.connection = connection
    }

    enum CodingKeys: String, CodingKey {
        case migration, databaseURL = "database_url", connectionConfig = "connection_config"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        migration = try c.decode(Migration.self, forKey: .migration)
        if let url = try c.decodeIfPresent(String.self, forKey: .databaseURL) {
            do { connection = try ConnectionConfiguration(url: url) } catch {
                throw DecodingError.dataCorruptedError(forKey: .databaseURL, in: c, debugDescription: error.message)
            }
        } else if let config = try c.decodeIfPresent(ConnectionConfiguration.self, forKey: .connectionConfig) {
            connection = config
        } else {
            throw DecodingError.keyNotFound(CodingKeys.databaseURL, .init(codingPath: c.codingPath,
                debugDescription: "params need \"database_url\" or \"connection_config\""))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(migration, forKey: .migration)
        try c.encode(connection.redactedURL, forKey: .databaseURL)
    }

    /// Runs the migration's upgrade (`rollback: false`) or downgrade SQL on a fresh connection.
    public func run(rollback: Bool, connect: MigrationConnectionFactory? = nil) async throws -> MigrationExecutionResult {
        let connection = try await (connect ?? MigrationManager.defaultConnect)(connection)
        let started = ContinuousClock.now
        do {
            let ok = rollback ? try await migration.rollback(on: connection) : try await migration.apply(on: connection)
            await connection.close()
            let elapsed = ContinuousClock.now - started
            return MigrationExecutionResult(success: ok, revision: migration.revision,
                                            executionTimeMs: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
        } catch {
            await connection.close()
            throw error
        }
    }
}

/// What `Migration.apply` and `Migration.rollback` return (the spec's `bool`, with the revision and timing).
public struct MigrationExecutionResult: Sendable, Hashable, Codable {
    public var success: Bool
    public var revision: String
    public var executionTimeMs: Int

    enum CodingKeys: String, CodingKey {
        case success, revision
        case executionTimeMs = "execution_time_ms"
    }
}

/// Params of `Migration.validate` and `Migration.to_dict`: the `migration` object, and for `validate` the
/// optional `dialect` whose quoting rules split its SQL (default `postgresql`).
public struct MigrationObjectParams: Sendable, Codable {
    public var migration: Migration
    public var dialect: Dialect?

    public init(migration: Migration, dialect: Dialect? = nil) {
        self.migration = migration
        self.dialect = dialect
    }
}
