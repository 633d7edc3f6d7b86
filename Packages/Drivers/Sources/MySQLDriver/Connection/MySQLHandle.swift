import CMariaDB

/// Owns one libmariadb connection handle (`MYSQL*`) and closes it exactly once, in `deinit`.
///
/// - Important: not thread-safe. A handle lives inside one `MySQLConnection` actor and is only used on
///   its queue, or (for `KILL QUERY`) on one background thread that created it and drops it.
final class MySQLHandle {
    let raw: UnsafeMutablePointer<MYSQL>
    /// Answers the server's `LOAD DATA LOCAL` requests on a connection opened with `localInfileStreams`.
    let localInfileStream = LocalInfileStream()

    /// Allocates a handle. Initializes the client library once per process first.
    init() throws(DatabaseError) {
        guard MySQLLibrary.isInitialized, let raw = mysql_init(nil) else {
            throw .mysqlDriver(.other, "could not initialize the MariaDB client library (out of memory?)")
        }
        self.raw = raw
    }

    deinit { mysql_close(raw) }

    /// The last error on this handle as a `DatabaseError`.
    func lastError(sql: String?) -> DatabaseError {
        let errno = mysql_errno(raw)
        let message = String(cString: mysql_error(raw))
        if errno == 0 {
            return .mysqlDriver(.other, message.isEmpty ? "unknown MariaDB client error" : message, sql: sql)
        }
        return .mysql(errno: errno, message: message, sql: sql)
    }

    /// The server's thread id for this connection (what `KILL QUERY` takes).
    var threadID: UInt { mysql_thread_id(raw) }

    /// True while the server reports an open transaction on this connection.
    var inTransaction: Bool { raw.pointee.server_status & UInt32(SERVER_STATUS_IN_TRANS) != 0 }

    /// Sends one statement as text (`mysql_real_query`) and waits for its first result header.
    func sendQuery(_ sql: String) throws(DatabaseError) {
        var text = sql
        let rc = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { mysql_real_query(raw, $0.baseAddress, UInt($0.count)) }
        }
        if rc != 0 { throw lastError(sql: sql) }
    }

    /// Reads and frees every remaining result of the last statement (a `CALL` returns several), so the
    /// connection can take the next command. Throws the first error a later result reports.
    func discardRemainingResults(sql: String?) throws(DatabaseError) {
        while mysql_more_results(raw) != 0 {
            let rc = mysql_next_result(raw)
            if rc > 0 { throw lastError(sql: sql) }
            if rc < 0 { break }
            try discardCurrentResult(sql: sql)
        }
    }

    /// Reads the rows of the current result, if it has any, and frees it; throws an error the server sends
    /// in the middle of the rows.
    func discardCurrentResult(sql: String?) throws(DatabaseError) {
        guard let result = mysql_use_result(raw) else {
            if mysql_field_count(raw) > 0 { throw lastError(sql: sql) }
            return
        }
        while mysql_fetch_row(result) != nil {}
        let failed = mysql_errno(raw) != 0
        let error = failed ? lastError(sql: sql) : nil
        mysql_free_result(result)
        if let error { throw error }
    }

    /// Runs a statement that returns no rows we need, discarding any it does return.
    func run(_ sql: String) throws(DatabaseError) {
        try sendQuery(sql)
        try discardCurrentResult(sql: sql)
        try discardRemainingResults(sql: sql)
    }
}

/// The process-wide libmariadb initialization (`mysql_library_init`), done once, thread-safely.
enum MySQLLibrary {
    /// `static let` initializers run once under a lock, which is what `mysql_library_init` needs.
    static let isInitialized: Bool = mysql_server_init(0, nil, nil) == 0
}
