import CSQLite
import DatabaseDriver
import Foundation

/// An open SQLite database file (or in-memory database).
///
/// Every C call runs on the connection's own serial queue (`dbm.sqlite.<n>`), which is the actor's
/// executor: a long query blocks that queue, never a thread of Swift's cooperative pool. The `sqlite3`
/// handle is owned by the actor and closed exactly once, by `close()` or when the actor is released.
///
/// Open one with `SQLiteDriver().connect(_:)` or `SQLiteConnection.open(_:)`.
public actor SQLiteConnection: DatabaseConnection {
    /// The configuration the connection was opened with (log `redactedURL`, never the configuration).
    public nonisolated let configuration: ConnectionConfiguration
    /// Always `.sqlite`.
    public nonisolated var dialect: Dialect { .sqlite }

    private let executor: QueueExecutor
    /// Owns the `sqlite3` handle; lets `cancel()` interrupt from any thread without racing `close()`.
    private let handle = ConnectionHandle()
    /// The open handle; `nil` before opening and after `close()`.
    var db: OpaquePointer? { handle.pointer }

    /// The connection's own serial queue: every job of this actor, and so every C call, runs there.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(configuration: ConnectionConfiguration) {
        self.configuration = configuration
        self.executor = QueueExecutor(label: "dbm.sqlite.\(ConnectionNumbering.shared.take())")
    }

    /// Opens the database `configuration` names.
    ///
    /// A missing file is created unless the configuration is read-only or has `mode=rw`.
    /// - Throws: `DatabaseError`: `.unknownDatabase` for a missing file (or one that is not a SQLite
    ///   database), `.connectionRefused` when the path is a directory, `.permissionDenied` when the file
    ///   cannot be opened, `.authenticationFailed` when a password is configured (SQLite has no
    ///   authentication, and this build has no encryption to unlock), `.invalidConfiguration` for bad options.
    public static func open(_ configuration: ConnectionConfiguration) async throws -> SQLiteConnection {
        let settings = try OpenSettings(configuration)
        if let password = configuration.password, !password.isEmpty {
            throw SQLiteErrorMapping.driver(.authenticationFailed,
                "SQLite has no authentication and this build cannot decrypt databases; connect without a password")
        }
        let connection = SQLiteConnection(configuration: configuration)
        try await connection.openDatabase(settings)
        return connection
    }

    /// The open handle, or `.misuse` when the connection is closed.
    func openHandle() throws(DatabaseError) -> OpaquePointer {
        guard let db else { throw SQLiteErrorMapping.driver(.misuse, "the connection is closed") }
        return db
    }

    private func openDatabase(_ settings: OpenSettings) throws(DatabaseError) {
        var opened: OpaquePointer?
        let rc = sqlite3_open_v2(settings.path, &opened, settings.flags, nil)
        guard rc == SQLITE_OK, let opened else {
            let error = OpenFailure.error(rc, db: opened, settings: settings)
            sqlite3_close_v2(opened)
            throw error
        }
        do {
            try OpenFailure.configure(opened, settings)
        } catch {
            sqlite3_close_v2(opened)
            throw error
        }
        // Every 1000 virtual-machine steps SQLite asks whether the task running the statement was
        // cancelled; a non-zero answer interrupts it. This catches a cancellation that arrived just
        // before a long step began, which sqlite3_interrupt alone would miss.
        sqlite3_progress_handler(opened, 1000, { _ in Task.isCancelled ? 1 : 0 }, nil)
        handle.attach(opened)
    }

    /// Cancels the statement running now: it stops with `DatabaseError` code `.cancelled`. Safe from any
    /// thread; does nothing when no statement is running.
    public nonisolated func cancel() {
        handle.interrupt()
    }

    /// Closes the connection, rolling back an open transaction. Idempotent; other calls afterwards throw
    /// `.misuse`.
    public func close() async {
        handle.close()
    }

    /// True when the connection is open and answers a trivial query.
    public func isAlive() async -> Bool {
        guard let db else { return false }
        return sqlite3_exec(db, "SELECT 1", nil, nil, nil) == SQLITE_OK
    }
}
