import CMariaDB

/// One server-side prepared statement (`MYSQL_STMT*`), closed exactly once in `deinit`.
///
/// Used for every statement that has arguments: the values travel in the binary protocol, never in the
/// SQL text. Results are fetched unbuffered (no `mysql_stmt_store_result`), row by row.
///
/// - Important: not thread-safe; used only on its connection's queue, and dropped before the connection's
///   next statement.
final class PreparedStatement {
    let raw: UnsafeMutablePointer<MYSQL_STMT>
    /// The SQL as the server received it (placeholders only, no values), for error reports.
    let sql: String
    private let connection: MySQLHandle
    private var parameters: ParameterBindings?

    /// Prepares `sql` on the connection.
    init(_ sql: String, on connection: MySQLHandle) throws(DatabaseError) {
        guard let raw = mysql_stmt_init(connection.raw) else { throw connection.lastError(sql: sql) }
        self.raw = raw
        self.sql = sql
        self.connection = connection
        var text = sql
        let rc = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { mysql_stmt_prepare(raw, $0.baseAddress, UInt($0.count)) }
        }
        if rc != 0 {
            let error = lastError()
            close()
            throw error
        }
    }

    private var closed = false

    deinit { close() }

    /// Closes the statement; `mysql_stmt_close` first reads and discards whatever the server still sends
    /// for it. Idempotent; the statement must not be used afterwards.
    func close() {
        guard !closed else { return }
        closed = true
        mysql_stmt_close(raw)
    }

    /// Binds the values (in placeholder order) and executes. Throws `.parameterMismatch` when the count
    /// differs from the statement's placeholders.
    func execute(_ values: [DatabaseValue]) throws(DatabaseError) {
        let expected = Int(mysql_stmt_param_count(raw))
        guard expected == values.count else {
            throw .mysqlDriver(.parameterMismatch, "the statement has \(expected) placeholders but \(values.count) values were bound", sql: sql)
        }
        if expected > 0 {
            let bindings = try ParameterBindings(values)
            parameters = bindings
            if mysql_stmt_bind_param(raw, bindings.binds) != 0 { throw lastError() }
        }
        if mysql_stmt_execute(raw) != 0 { throw lastError() }
    }

    /// The number of result columns (0 for a statement that returns no rows).
    var fieldCount: Int { Int(mysql_stmt_field_count(raw)) }

    /// Rows changed by the last execution (0 when the engine reports none).
    var affectedRows: Int64 {
        let n = mysql_stmt_affected_rows(raw)
        return n == UInt64.max ? 0 : Int64(clamping: n)
    }

    /// The AUTO_INCREMENT value the last execution generated, if any.
    var insertID: Int64? {
        let id = mysql_stmt_insert_id(raw)
        return id == 0 ? nil : Int64(clamping: id)
    }

    /// Discards the rest of the current result and every further result (`CALL`), raising the first
    /// error a further result reports.
    ///
    /// - Parameter readingRows: true to read the current result's remaining rows one by one and raise an
    ///   error the server sends among them (`execute`); false to let libmariadb skip them unread (a cursor
    ///   whose body stopped early does not care about rows it never asked for).
    func discardResults(readingRows: Bool) throws(DatabaseError) {
        if readingRows, fieldCount > 0 {
            var rc: Int32
            repeat { rc = mysql_stmt_fetch(raw) } while rc == 0 || rc == MYSQL_DATA_TRUNCATED
            if rc != MYSQL_NO_DATA { throw lastError() }
        }
        while true {
            _ = mysql_stmt_free_result(raw)
            guard mysql_stmt_more_results(raw) != 0 else { return }
            let next = mysql_stmt_next_result(raw)
            if next > 0 { throw lastError() }
            if next < 0 { return }
        }
    }

    /// The statement's last error as a `DatabaseError`, falling back to the connection's.
    func lastError() -> DatabaseError {
        let errno = mysql_stmt_errno(raw)
        guard errno != 0 else { return connection.lastError(sql: sql) }
        return .mysql(errno: errno, message: String(cString: mysql_stmt_error(raw)), sql: sql)
    }
}
