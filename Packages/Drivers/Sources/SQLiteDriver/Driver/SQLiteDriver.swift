import DatabaseDriver

/// The SQLite engine: opens `SQLiteConnection`s and manages database files.
///
/// A SQLite "database" is a file; administration creates, lists and deletes files in the directory of
/// the configuration's database (see `DatabaseFiles`).
public struct SQLiteDriver: DatabaseDriver {
    /// Always `.sqlite`.
    public var dialect: Dialect { .sqlite }

    /// The driver holds no state; create one wherever needed.
    public init() {}

    /// Opens the file `configuration.database` names (see `SQLiteConnection.open(_:)` for what it throws).
    public func connect(_ configuration: ConnectionConfiguration) async throws -> any DatabaseConnection {
        try await SQLiteConnection.open(configuration)
    }

    /// The `.db`, `.sqlite` and `.sqlite3` files in the directory of `configuration.database` (the working
    /// directory for an in-memory database), sorted by name.
    public func listDatabases(_ configuration: ConnectionConfiguration) async throws -> [String] {
        try DatabaseFiles(configuration).list()
    }

    /// Creates an empty database file `name` (a path; relative names resolve against the directory of
    /// `configuration.database`). `options.encoding` (`UTF-8`, `UTF-16`, `UTF-16le`, `UTF-16be`) sets the
    /// text encoding; SQLite has no collation, template or owner per database, so those are refused.
    /// - Throws: `.duplicateObject` when the file exists (unless `options.ifNotExists`), `.invalidValue`
    ///   for an empty name, a NUL byte or an unsupported option.
    public func createDatabase(_ name: String, options: CreateDatabaseOptions, on configuration: ConnectionConfiguration) async throws {
        try DatabaseFiles(configuration).create(name, options: options)
    }

    /// Deletes the database file `name` and its `-wal`, `-shm` and `-journal` files.
    /// - Throws: `.unknownDatabase` when it does not exist and `ifExists` is false; `.invalidValue` when the
    ///   file is not a SQLite database (it is left alone).
    public func dropDatabase(_ name: String, ifExists: Bool, on configuration: ConnectionConfiguration) async throws {
        try DatabaseFiles(configuration).drop(name, ifExists: ifExists)
    }
}
