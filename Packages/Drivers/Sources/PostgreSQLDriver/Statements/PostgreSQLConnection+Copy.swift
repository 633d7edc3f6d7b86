import CLibPQ

extension PostgreSQLConnection {
    /// Runs `COPY ... TO STDOUT` and streams its data to `body` as it arrives, in blocks of whole rows of
    /// about 256 KiB (one row per `PQgetCopyData` call, gathered): memory stays flat whatever the table size.
    ///
    /// The bytes are exactly what the server sends for the statement's format (text, CSV or binary).
    /// Runs on the connection's queue. Cancelling the task, or `cancel()`, stops the COPY on the server.
    /// After any error the connection is ready for the next statement.
    ///
    /// - Returns: the number of rows copied, from the command tag.
    /// - Throws: the statement's `DatabaseError` (`.misuse` when `sql` is not a `COPY ... TO STDOUT`);
    ///   `.cancelled` when the task or `cancel()` stopped it; whatever `body` throws (the COPY is then
    ///   cancelled on the server).
    @discardableResult
    public func copyOut(_ sql: String, _ body: @Sendable ([UInt8]) throws -> Void) async throws -> Int64 {
        try await runCancellable(sql) { connection in
            try startCopy(connection, sql, expecting: PGRES_COPY_OUT)
            var block: [UInt8] = []
            block.reserveCapacity(Self.copyBlockSize + 4096)
            var bodyFailed = false
            do {
                try Self.readCopyData(connection, sql: sql) { bytes in
                    block.append(contentsOf: bytes)
                    if block.count >= Self.copyBlockSize {
                        do { try body(block) } catch { bodyFailed = true; throw error }
                        block.removeAll(keepingCapacity: true)
                    }
                }
            } catch {
                // When the body failed, stop the server instead of reading the rest of the table.
                if bodyFailed { cancelSignal.cancel() }
                ResultDrain.discardRemaining(connection)
                throw error
            }
            let outcome = try ResultDrain.drain(connection, sql: sql)
            if !block.isEmpty {
                try body(block)
            }
            return outcome.rowsAffected
        }
    }

    /// Runs `COPY ... FROM STDIN` and sends the blocks `producer` returns until it returns `nil`.
    ///
    /// Blocks need not end on row boundaries; their concatenation must be valid input for the statement's
    /// format. Runs on the connection's queue; `producer` is called there, between sends. Cancelling the
    /// task (or `cancel()`) ends the COPY with an error, so nothing of it is kept. After any error the
    /// connection is ready for the next statement (inside a transaction, the transaction has failed).
    ///
    /// - Returns: the number of rows copied, from the command tag.
    /// - Throws: the statement's `DatabaseError` (bad data, constraint violations, `.misuse` when `sql` is
    ///   not a `COPY ... FROM STDIN`); `.cancelled`; whatever `producer` throws (the COPY is then aborted).
    @discardableResult
    public func copyIn(_ sql: String, _ producer: @Sendable () throws -> [UInt8]?) async throws -> Int64 {
        try await runCancellable(sql) { connection in
            try startCopy(connection, sql, expecting: PGRES_COPY_IN)
            var failure: (any Error)?
            while failure == nil {
                if Task.isCancelled || cancelSignal.wasRequested {
                    failure = DatabaseError(.cancelled, "the COPY was cancelled", engineCode: "57014", sql: sql,
                        engine: PostgreSQLErrors.engine)
                    break
                }
                let block: [UInt8]?
                do {
                    block = try producer()
                } catch {
                    failure = error
                    break
                }
                guard let block else { break }
                if block.isEmpty { continue }
                let sent = block.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { chars in
                        PQputCopyData(connection, chars.baseAddress, Int32(chars.count))
                    }
                }
                if sent != 1 {
                    failure = PostgreSQLErrors.error(connection: connection, sql: sql)
                }
            }
            if let failure {
                _ = PQputCopyEnd(connection, "COPY aborted by the client")
                ResultDrain.discardRemaining(connection)
                throw failure
            }
            guard PQputCopyEnd(connection, nil) == 1 else {
                let error = PostgreSQLErrors.error(connection: connection, sql: sql)
                ResultDrain.discardRemaining(connection)
                throw error
            }
            return try ResultDrain.drain(connection, sql: sql).rowsAffected
        }
    }

    /// Blocks of `copyOut` data are handed over once they reach this size.
    static var copyBlockSize: Int { 256 * 1024 }

    /// Sends a COPY statement with the simple protocol and checks that the server entered the expected
    /// COPY state; otherwise drains the statement and throws its error (or `.misuse`).
    private func startCopy(_ connection: OpaquePointer, _ sql: String, expecting status: ExecStatusType) throws {
        if sql.utf8.contains(0) {
            throw DatabaseError(.invalidValue, "the SQL text contains a NUL byte", engine: PostgreSQLErrors.engine)
        }
        guard PQsendQuery(connection, sql) == 1 else {
            throw PostgreSQLErrors.error(connection: connection, sql: sql)
        }
        if cancelSignal.wasRequested { cancelSignal.cancel() }
        guard let first = PQgetResult(connection) else {
            throw PostgreSQLErrors.error(connection: connection, sql: sql)
        }
        let firstStatus = PQresultStatus(first)
        if firstStatus == status {
            PQclear(first)
            return
        }
        var error: DatabaseError
        if firstStatus == PGRES_FATAL_ERROR {
            error = PostgreSQLErrors.error(from: first, connection: connection, sql: sql)
        } else {
            let wanted = status == PGRES_COPY_OUT ? "COPY ... TO STDOUT" : "COPY ... FROM STDIN"
            error = DatabaseError(.misuse, "the statement is not a \(wanted)", sql: sql, engine: PostgreSQLErrors.engine)
        }
        PQclear(first)
        if firstStatus == PGRES_COPY_IN { _ = PQputCopyEnd(connection, "not the expected COPY direction") }
        ResultDrain.discardRemaining(connection)
        throw error
    }

    /// Reads COPY OUT rows until the server ends the data; each row goes to `row`, valid only during the call.
    private static func readCopyData(
        _ connection: OpaquePointer, sql: String, _ row: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                try row(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
            } else if length == -1 {
                return  // the data ended; the final status comes from PQgetResult
            } else {
                if let buffer { PQfreemem(buffer) }
                throw PostgreSQLErrors.error(connection: connection, sql: sql)
            }
        }
    }
}
