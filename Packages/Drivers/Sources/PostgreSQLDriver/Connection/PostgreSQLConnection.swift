import CLibPQ

/// An open connection to one PostgreSQL database, on libpq.
///
/// The actor runs on its own serial `QueueExecutor` (`dbm.postgresql.<n>`): every libpq call happens on
/// that queue, and a blocking call never occupies a thread of Swift's cooperative pool. The session is
/// set up for exact text output: `DateStyle=ISO`, `IntervalStyle=postgres`, `TimeZone=UTC`,
/// `extra_float_digits=3`, `bytea_output=hex`, client encoding UTF-8 (and
/// `default_transaction_read_only=on` for a read-only configuration). Server notices (`NOTICE`, `WARNING`)
/// are discarded.
///
/// Open one with `PostgreSQLDriver().connect(_:)` or `PostgreSQLConnection.open(_:)`.
public actor PostgreSQLConnection: DatabaseConnection {
    public nonisolated let configuration: ConnectionConfiguration
    public nonisolated var dialect: Dialect { .postgresql }

    private nonisolated let executor: QueueExecutor
    /// The connection's serial executor: its own dispatch queue.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Reaches the server from any thread to cancel the running statement.
    nonisolated let cancelSignal = CancelSignal(nil)
    /// `nil` before `connect` succeeded and after `close()`.
    var handle: ConnectionHandle?
    var catalog = TypeCatalog()
    private var wasClosed = false

    private init(configuration: ConnectionConfiguration) {
        self.configuration = configuration
        self.executor = QueueExecutor(label: "dbm.postgresql.\(ConnectionCounter.shared.next())")
    }

    /// Opens a connection.
    ///
    /// - Throws: `DatabaseError` with code `.connectionRefused` (server unreachable, refused, timed out),
    ///   `.authenticationFailed`, `.unknownDatabase`, or `.invalidConfiguration` (not a PostgreSQL
    ///   configuration, or an option libpq rejects).
    public static func open(_ configuration: ConnectionConfiguration) async throws -> PostgreSQLConnection {
        guard configuration.dialect == .postgresql else {
            throw DatabaseError(.invalidConfiguration,
                "the PostgreSQL driver cannot open a \(configuration.dialect.rawValue) configuration",
                engine: PostgreSQLErrors.engine)
        }
        let connection = PostgreSQLConnection(configuration: configuration)
        try await connection.connect()
        return connection
    }

    /// Runs `PQconnectdbParams` on the connection's queue.
    private func connect() throws {
        let parameters = ConnectionParameters(configuration)
        let raw = parameters.withCArrays { keywords, values in PQconnectdbParams(keywords, values, 0) }
        guard let raw else {
            throw DatabaseError(.other, "libpq could not allocate a connection", engine: PostgreSQLErrors.engine)
        }
        let owned = ConnectionHandle(raw)
        guard PQstatus(raw) == CONNECTION_OK else {
            let message = PQerrorMessage(raw).map { String(cString: $0) } ?? "could not connect"
            owned.finish()
            throw PostgreSQLErrors.connectFailure(message)
        }
        // libpq's default prints server notices to stderr; a library must not write there.
        _ = PQsetNoticeProcessor(raw, { _, _ in }, nil)
        cancelSignal.install(PQgetCancel(raw))
        handle = owned
    }

    /// The live libpq connection.
    ///
    /// - Throws: `.misuse` after `close()`, `.connectionLost` when the server went away.
    func livePointer() throws(DatabaseError) -> OpaquePointer {
        guard let pointer = handle?.pointer else {
            throw DatabaseError(.misuse, wasClosed ? "the connection is closed" : "the connection is not open",
                engine: PostgreSQLErrors.engine)
        }
        guard PQstatus(pointer) == CONNECTION_OK else {
            throw DatabaseError(.connectionLost,
                PostgreSQLErrors.connectionMessage(pointer) ?? "the connection to the server was lost",
                engine: PostgreSQLErrors.engine)
        }
        return pointer
    }

    /// The server version without the build details (`"15.18"`), from the connection's parameters: no round trip.
    public func serverVersion() async throws -> String {
        let pointer = try livePointer()
        guard let raw = PQparameterStatus(pointer, "server_version") else {
            return String(PQserverVersion(pointer))
        }
        let full = String(cString: raw)
        return full.split(separator: " ", maxSplits: 1).first.map(String.init) ?? full
    }

    /// True when the connection is open and the server answers an empty query.
    public func isAlive() async -> Bool {
        guard let pointer = handle?.pointer, PQstatus(pointer) == CONNECTION_OK,
              let result = PQexec(pointer, "") else { return false }
        defer { PQclear(result) }
        return PQresultStatus(result) == PGRES_EMPTY_QUERY
    }

    /// Asks the server to cancel the running statement (`PQcancel`); the statement throws `.cancelled`.
    /// Safe from any thread; does nothing when no statement runs.
    public nonisolated func cancel() {
        cancelSignal.cancel()
    }

    /// Closes the connection. Idempotent; other methods then throw `.misuse`.
    public func close() async {
        cancelSignal.invalidate()
        handle?.finish()
        handle = nil
        wasClosed = true
    }
}
