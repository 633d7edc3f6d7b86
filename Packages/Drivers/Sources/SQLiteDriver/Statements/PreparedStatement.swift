import CSQLite
import DatabaseDriver

/// A compiled SQLite statement, finalized exactly once (explicitly, or when released).
///
/// - Important: not thread-safe; created, stepped and finalized on its connection's queue only.
final class PreparedStatement {
    let handle: OpaquePointer
    /// This statement's own SQL text (with placeholders, never values), for error reports.
    let sql: String
    private var isFinalized = false

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit { finalize() }

    /// Releases the statement; later calls do nothing.
    func finalize() {
        guard !isFinalized else { return }
        isFinalized = true
        sqlite3_finalize(handle)
    }

    /// True when the statement makes no direct change to the database file.
    var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// The error for a result code returned by a call on this statement.
    func error(_ resultCode: Int32) -> DatabaseError {
        SQLiteErrorMapping.error(resultCode, db: sqlite3_db_handle(handle), sql: sql)
    }
}
