@_exported import DatabaseDriver

/// The PostgreSQL engine, on libpq: opens `PostgreSQLConnection`s and administers databases.
public struct PostgreSQLDriver: DatabaseDriver {
    /// Always `.postgresql`.
    public var dialect: Dialect { .postgresql }

    public init() {}

    /// Opens a connection (`PQconnectdbParams`).
    ///
    /// - Throws: `.connectionRefused`, `.authenticationFailed`, `.unknownDatabase`, `.invalidConfiguration`.
    public func connect(_ configuration: ConnectionConfiguration) async throws -> any DatabaseConnection {
        try await PostgreSQLConnection.open(configuration)
    }
}
