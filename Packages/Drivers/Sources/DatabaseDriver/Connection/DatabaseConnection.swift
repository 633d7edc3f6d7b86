/// An open connection to one database on one engine.
///
/// Each implementation is an actor whose executor is its own `QueueExecutor`: the C handle is only ever
/// touched from that queue, and a blocking call never starves Swift's cooperative pool. Every method
/// throws `DatabaseError`.
///
/// Cancellation: cancelling the calling `Task` cancels the statement on the server (`sqlite3_interrupt`,
/// `PQcancel`, `KILL QUERY`), and `cancel()` does the same from any thread. The interrupted call throws
/// `DatabaseError` with code `.cancelled`.
public protocol DatabaseConnection: Actor {
    /// The engine's dialect.
    nonisolated var dialect: Dialect { get }
    /// The configuration the connection was opened with (print `redactedURL`, never the password).
    nonisolated var configuration: ConnectionConfiguration { get }

    /// Runs one statement and discards any rows.
    func execute(_ sql: String, _ arguments: StatementArguments) async throws -> ExecutionResult

    /// Runs several statements separated by semicolons, with no arguments (DDL scripts, migrations).
    func executeScript(_ sql: String) async throws

    /// Runs a query and hands its rows, one at a time, to `body` on the connection's executor.
    ///
    /// Rows stream from the engine (SQLite steps, PostgreSQL single-row mode, MariaDB unbuffered
    /// results): memory stays flat whatever the result size.
    /// - Important: the cursor is valid only inside `body`; do not let it escape.
    func withCursor<T: Sendable>(
        _ sql: String, _ arguments: StatementArguments,
        _ body: @Sendable (any RowCursor) throws -> T
    ) async throws -> T

    /// Runs statements in one transaction, rolled back at the first failure (see the default in
    /// `DatabaseConnection+Batch.swift`; PostgreSQL pipelines it in one round trip).
    func executeInTransaction(_ statements: [BatchStatement]) async throws -> [ExecutionResult]

    /// Starts a transaction. Throws `.misuse` when one is already open (use savepoints to nest).
    func begin() async throws
    func commit() async throws
    func rollback() async throws
    func savepoint(_ name: String) async throws
    func releaseSavepoint(_ name: String) async throws
    func rollbackToSavepoint(_ name: String) async throws
    /// True while a transaction is open.
    var inTransaction: Bool { get }

    /// The server version as the engine reports it (`"15.18"`, `"10.11.19-MariaDB"`, `"3.40.1"`).
    func serverVersion() async throws -> String
    /// Version, size, encoding and table count of the connected database.
    func databaseInfo() async throws -> DatabaseInfo
    /// True when the connection is open and the server answers (used by pools before handing it out).
    func isAlive() async -> Bool

    /// Cancels the statement running now, if any. Safe from any thread.
    nonisolated func cancel()
    /// Closes the connection. Idempotent; later calls throw `.misuse`.
    func close() async
}

/// A forward-only stream of rows from one query.
public protocol RowCursor: AnyObject {
    var columns: [Column] { get }
    /// The next row, or `nil` at the end.
    func next() throws -> Row?
}

/// What `DatabaseManager.get_database_info` reports.
public struct DatabaseInfo: Sendable, Hashable, Codable {
    public var engine: String
    public var serverVersion: String
    public var databaseName: String
    public var sizeBytes: Int64?
    public var encoding: String?
    public var tableCount: Int
    public var viewCount: Int?
    public var indexCount: Int?

    public init(engine: String, serverVersion: String, databaseName: String, sizeBytes: Int64?, encoding: String?,
                tableCount: Int, viewCount: Int? = nil, indexCount: Int? = nil) {
        self.engine = engine
        self.serverVersion = serverVersion
        self.databaseName = databaseName
        self.sizeBytes = sizeBytes
        self.encoding = encoding
        self.tableCount = tableCount
        self.viewCount = viewCount
        self.indexCount = indexCount
    }

    enum CodingKeys: String, CodingKey {
        case engine
        case serverVersion = "server_version"
        case databaseName = "database_name"
        case sizeBytes = "size_bytes"
        case encoding
        case tableCount = "table_count"
        case viewCount = "view_count"
        case indexCount = "index_count"
    }
}

/// A materialized result, for small queries. Large results should stream through `withCursor`.
public struct QueryResult: Sendable, Hashable {
    public var columns: [Column]
    public var rows: [Row]
}

extension DatabaseConnection {
    /// Runs one statement with no arguments.
    public func execute(_ sql: String) async throws -> ExecutionResult {
        try await execute(sql, .none)
    }

    /// Runs a query and collects all rows. For results that fit in memory.
    public func query(_ sql: String, _ arguments: StatementArguments = .none) async throws -> QueryResult {
        try await withCursor(sql, arguments) { cursor in
            var rows = [Row]()
            while let row = try cursor.next() { rows.append(row) }
            return QueryResult(columns: cursor.columns, rows: rows)
        }
    }

    /// The first column of the first row, or `nil` when there is no row.
    public func scalar(_ sql: String, _ arguments: StatementArguments = .none) async throws -> DatabaseValue? {
        try await withCursor(sql, arguments) { cursor in try cursor.next()?.values.first }
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    public func transaction<T: Sendable>(_ body: @Sendable (isolated Self) async throws -> T) async throws -> T {
        try await begin()
        do {
            let result = try await body(self)
            try await commit()
            return result
        } catch {
            if inTransaction { try? await rollback() }
            throw error
        }
    }
}
