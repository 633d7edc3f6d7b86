import CMariaDB

/// What one `LOAD DATA LOCAL` reported.
public struct LoadDataResult: Sendable, Hashable {
    /// Rows the server inserted.
    public var rowsAffected: Int64
    /// Warnings the server raised (a truncated or converted value, a skipped duplicate): a load that must be
    /// exact treats any as a failure. `warningMessages` holds the first few.
    public var warningCount: Int
    /// Up to three `SHOW WARNINGS` messages, with values the server echoes removed.
    public var warningMessages: [String]
}

extension MySQLConnection {
    /// Runs a `LOAD DATA LOCAL INFILE` statement whose "file" is the bytes `producer` returns, block by
    /// block, until it returns `nil`; no file is read, whatever name the statement gives.
    ///
    /// The producer runs on the connection's queue, one call at a time, while the statement runs. Only a
    /// connection opened with `localInfileStreams: true` can do this (and the server must allow
    /// `local_infile`: it refuses with engine code 4166 or 1148 otherwise, before any byte is read).
    ///
    /// - Returns: rows inserted and the warnings the statement raised.
    /// - Throws: the producer's own error when it failed (the server then ends the load with the rows it got,
    ///   so run the load inside a transaction and roll back); `.misuse` on a connection without
    ///   `localInfileStreams`; `.cancelled`; another `DatabaseError` from the server.
    public func loadDataLocal(_ sql: String, _ producer: @escaping @Sendable () throws -> [UInt8]?) async throws -> LoadDataResult {
        guard allowsLocalInfileStreams else {
            throw DatabaseError.mysqlDriver(.misuse, "loadDataLocal needs a connection opened with localInfileStreams: true", sql: sql)
        }
        if configuration.readOnly { try ReadOnlyGuard.check(sql) }
        return try await runCancellable(sql: sql) { handle, _ in
            let stream = handle.localInfileStream
            stream.begin(producer)
            defer { stream.finish() }
            do {
                try handle.sendQuery(sql)
            } catch {
                if let failure = stream.failure { throw failure }
                throw error
            }
            let affected = mysql_affected_rows(handle.raw)
            let warnings = Int(mysql_warning_count(handle.raw))
            try handle.discardCurrentResult(sql: sql)
            try handle.discardRemainingResults(sql: sql)
            if let failure = stream.failure { throw failure }
            var messages = [String]()
            if warnings > 0 {
                try handle.sendQuery("SHOW WARNINGS LIMIT 3")
                if let result = mysql_use_result(handle.raw) {
                    while let row = mysql_fetch_row(result) {
                        let code = row[1].map { String(cString: $0) } ?? ""
                        let text = row[2].map { String(cString: $0) } ?? ""
                        messages.append(MySQLErrorMessage.redacted(text, errno: UInt32(code) ?? 0))
                    }
                    mysql_free_result(result)
                }
                try handle.discardRemainingResults(sql: nil)
            }
            return LoadDataResult(rowsAffected: affected == UInt64.max ? 0 : Int64(clamping: affected),
                                  warningCount: warnings, warningMessages: messages)
        }
    }
}
