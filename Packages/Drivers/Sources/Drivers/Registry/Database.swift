@_exported import DatabaseDriver
@_exported import MySQLDriver
@_exported import PostgreSQLDriver
@_exported import SQLiteDriver

/// The entry point to the drivers: picks the engine for a URL or configuration.
///
/// ```swift
/// let db = try await Database.connect("sqlite:///app.db")
/// try await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
/// try await db.execute("INSERT INTO t (name) VALUES (:name)", ["name": "Ada"])
/// ```
public enum Database {
    /// The driver for a dialect.
    public static func driver(for dialect: Dialect) -> any DatabaseDriver {
        switch dialect {
        case .sqlite: SQLiteDriver()
        case .postgresql: PostgreSQLDriver()
        case .mysql: MySQLDriver()
        }
    }

    /// Opens one connection for a configuration.
    public static func connect(_ configuration: ConnectionConfiguration) async throws -> any DatabaseConnection {
        try await driver(for: configuration.dialect).connect(configuration)
    }

    /// Opens one connection for a URL (`sqlite:///app.db`, `postgresql://...`, `mysql://...`).
    public static func connect(_ url: String) async throws -> any DatabaseConnection {
        try await connect(ConnectionConfiguration(url: url))
    }

    /// Opens a connection and closes it again: true when the database answers. Throws the
    /// `DatabaseError` that says why not.
    public static func testConnection(_ configuration: ConnectionConfiguration) async throws -> Bool {
        let connection = try await connect(configuration)
        let alive = await connection.isAlive()
        await connection.close()
        return alive
    }
}
