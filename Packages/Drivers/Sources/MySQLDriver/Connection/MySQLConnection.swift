import CMariaDB
import Synchronization

/// An open connection to one MariaDB or MySQL database, on libmariadb.
///
/// Every C call runs on the actor's own serial `QueueExecutor` (`dbm.mysql.<n>`), never on Swift's
/// cooperative pool. The `MYSQL*` handle is owned here and freed exactly once: by `close()`, or when the
/// actor is released without being closed.
///
/// Statements with arguments run as server-side prepared statements (values bound in the binary
/// protocol); statements without arguments are sent as text. Rows stream unbuffered in both cases.
/// Cancelling the calling task, or calling `cancel()`, sends `KILL QUERY` from a second short-lived
/// connection; the interrupted call throws `.cancelled` and the connection stays usable.
public actor MySQLConnection: DatabaseConnection {
    /// Always `.mysql`.
    public nonisolated let dialect: Dialect = .mysql
    /// The configuration the connection was opened with; print its `redactedURL`, never the password.
    public nonisolated let configuration: ConnectionConfiguration
    private let executor: QueueExecutor
    let canceller: QueryCanceller
    /// The libmariadb handle; nil once closed.
    private var handle: MySQLHandle?
    private var closed = false
    /// True when opened with `localInfileStreams`, so `loadDataLocal` may run.
    let allowsLocalInfileStreams: Bool

    /// The connection's own serial queue: every libmariadb call of this connection runs there.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private static let counter = Atomic<Int>(0)

    private init(configuration: ConnectionConfiguration, localInfileStreams: Bool) {
        self.configuration = configuration
        allowsLocalInfileStreams = localInfileStreams
        let number = Self.counter.wrappingAdd(1, ordering: .relaxed).newValue
        executor = QueueExecutor(label: "dbm.mysql.\(number)")
        canceller = QueryCanceller(configuration: configuration)
    }

    /// Opens a connection. See `MySQLDriver.connect` for what it throws.
    ///
    /// - Parameters:
    ///   - selectDatabase: false to open a session with no default database (administration).
    ///   - localInfileStreams: true to allow `loadDataLocal` (bulk loads streamed from memory). The client
    ///     still never reads a local file: a server request outside `loadDataLocal` is refused.
    public static func connect(_ configuration: ConnectionConfiguration, selectDatabase: Bool = true,
                               localInfileStreams: Bool = false) async throws -> MySQLConnection {
        guard configuration.dialect == .mysql else {
            throw DatabaseError.mysqlDriver(.invalidConfiguration, "MySQLConnection needs a mysql configuration, not \(configuration.dialect.rawValue)")
        }
        let connection = MySQLConnection(configuration: configuration, localInfileStreams: localInfileStreams)
        try await connection.open(selectDatabase: selectDatabase)
        return connection
    }

    private func open(selectDatabase: Bool) throws(DatabaseError) {
        let handle = try MySQLHandle.connect(configuration, selectDatabase: selectDatabase, localInfileStreams: allowsLocalInfileStreams)
        self.handle = handle
        canceller.setThreadID(handle.threadID)
    }

    /// The open handle, or `.misuse` after `close()`.
    func requireHandle() throws(DatabaseError) -> MySQLHandle {
        guard let handle else { throw .mysqlClosed }
        return handle
    }

    /// True while the server reports an open transaction (`SERVER_STATUS_IN_TRANS`), so it also follows
    /// `BEGIN`/`COMMIT` sent as SQL and the implicit commit MariaDB makes before DDL.
    public var inTransaction: Bool { handle?.inTransaction ?? false }

    /// The server's version string, such as `10.11.19-MariaDB-0+deb12u1`.
    public func serverVersion() async throws -> String {
        let handle = try requireHandle()
        guard let info = mysql_get_server_info(handle.raw) else { throw handle.lastError(sql: nil) }
        return String(cString: info)
    }

    /// Pings the server (`mysql_ping`); false when closed or the server does not answer.
    public func isAlive() async -> Bool {
        guard let handle else { return false }
        return mysql_ping(handle.raw) == 0
    }

    /// Sends `KILL QUERY` for the statement running now, from a background thread. Safe from any thread;
    /// does nothing when no statement is running.
    public nonisolated func cancel() {
        canceller.cancel()
    }

    /// Closes the connection and frees the handle. Idempotent; other methods then throw `.misuse`.
    public func close() async {
        guard !closed else { return }
        closed = true
        canceller.setThreadID(nil)
        handle = nil
    }

    /// Runs `operation` as one cancellable statement: cancelling the calling task (or `cancel()`) kills the
    /// statement on the server, and the call then throws `.cancelled` even when the server finished it
    /// anyway (a killed `SLEEP` returns normally).
    func runCancellable<T>(sql: String, _ operation: (MySQLHandle, CancellationCheck) throws -> T) async throws -> T {
        let handle = try requireHandle()
        let canceller = self.canceller
        return try await withTaskCancellationHandler {
            canceller.begin()
            let outcome: Result<T, any Error>
            if Task.isCancelled {
                outcome = .failure(DatabaseError.mysqlCancelled(sql: sql))
            } else {
                outcome = Result { try operation(handle, CancellationCheck(canceller: canceller)) }
            }
            let cancelRequested = canceller.end()
            switch outcome {
            case .success(let value):
                if cancelRequested { throw DatabaseError.mysqlCancelled(sql: sql) }
                return value
            case .failure(let error):
                throw error
            }
        } onCancel: {
            canceller.cancel()
        }
    }
}
