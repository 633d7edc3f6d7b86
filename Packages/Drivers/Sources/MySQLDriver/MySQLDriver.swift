@_exported import DatabaseDriver

/// The MariaDB / MySQL engine, on libmariadb (MariaDB Connector/C).
///
/// Opens `MySQLConnection`s and administers databases on a server. Administration opens a short-lived
/// connection without a default database, so the configuration's own database need not exist.
public struct MySQLDriver: DatabaseDriver {
    /// Always `.mysql`.
    public var dialect: Dialect { .mysql }

    /// A driver value; it holds no state (every call opens its own connection).
    public init() {}

    /// Opens a connection.
    ///
    /// - Throws: `DatabaseError` with `.connectionRefused` (server unreachable), `.authenticationFailed`,
    ///   `.unknownDatabase`, `.invalidConfiguration` (not a mysql configuration), or another mapped code.
    public func connect(_ configuration: ConnectionConfiguration) async throws -> any DatabaseConnection {
        try await MySQLConnection.connect(configuration)
    }
}
