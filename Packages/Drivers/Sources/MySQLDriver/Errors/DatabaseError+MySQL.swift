/// Builds `DatabaseError`s from what libmariadb reports.
extension DatabaseError {
    /// The error for a failed libmariadb call: its number mapped to a `Code`, the number as `engineCode`,
    /// the engine's message with echoed values removed, and the statement text when there was one.
    static func mysql(errno: UInt32, message: String, sql: String?) -> DatabaseError {
        DatabaseError(MySQLErrorCode.code(for: errno), MySQLErrorMessage.redacted(message, errno: errno),
                      engineCode: String(errno), sql: sql, engine: "mysql")
    }

    /// An error the driver raises itself (no engine code).
    static func mysqlDriver(_ code: Code, _ message: String, sql: String? = nil) -> DatabaseError {
        DatabaseError(code, message, sql: sql, engine: "mysql")
    }

    /// The running statement was cancelled (by `cancel()` or by cancelling the calling task).
    static func mysqlCancelled(sql: String?) -> DatabaseError {
        DatabaseError(.cancelled, "the statement was cancelled", sql: sql, engine: "mysql")
    }

    /// A call on a connection that `close()` already closed.
    static let mysqlClosed = DatabaseError(.misuse, "the connection is closed", engine: "mysql")
}
