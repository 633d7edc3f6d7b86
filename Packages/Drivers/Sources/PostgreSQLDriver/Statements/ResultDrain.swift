import CLibPQ

/// Reads a statement's remaining results from libpq until the connection is ready for the next one.
enum ResultDrain {
    /// What a finished statement reported.
    struct Outcome {
        /// The last command tag (`INSERT 0 3`, `CREATE TYPE`), when there was one.
        var commandStatus: String?
        /// Rows affected by the last statement, from its command tag.
        var rowsAffected: Int64 = 0
    }

    /// Consumes every result of the current statement, discarding rows (and `COPY TO STDOUT` data).
    ///
    /// - Throws: the first error among the results (the server stops at it), or `.connectionLost` when the
    ///   connection dropped. A `COPY FROM STDIN` is ended at once and reported as `.misuse`.
    static func drain(_ connection: OpaquePointer, sql: String?) throws(DatabaseError) -> Outcome {
        var outcome = Outcome()
        var firstError: DatabaseError?
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                continue
            case PGRES_FATAL_ERROR:
                if firstError == nil { firstError = PostgreSQLErrors.error(from: result, connection: connection, sql: sql) }
            case PGRES_COPY_IN, PGRES_COPY_BOTH:
                if firstError == nil {
                    firstError = DatabaseError(.misuse,
                        "COPY FROM STDIN needs data from the client: use PostgreSQLConnection.copyIn",
                        sql: sql, engine: PostgreSQLErrors.engine)
                }
                _ = PQputCopyEnd(connection, "COPY FROM STDIN is not supported by dbm")
            case PGRES_COPY_OUT:
                discardCopyData(connection)
            default:
                if let tag = PQcmdStatus(result) {
                    outcome.commandStatus = String(cString: tag)
                }
                outcome.rowsAffected = rowsAffected(result)
            }
        }
        if let firstError { throw firstError }
        if PQstatus(connection) == CONNECTION_BAD {
            throw PostgreSQLErrors.error(connection: connection, sql: sql)
        }
        return outcome
    }

    /// Consumes the rest of the results, ignoring errors: the caller already has its answer.
    static func discardRemaining(_ connection: OpaquePointer) {
        while let result = PQgetResult(connection) {
            switch PQresultStatus(result) {
            case PGRES_COPY_IN, PGRES_COPY_BOTH: _ = PQputCopyEnd(connection, "COPY FROM STDIN is not supported by dbm")
            case PGRES_COPY_OUT: discardCopyData(connection)
            default: break
            }
            PQclear(result)
        }
    }

    private static func discardCopyData(_ connection: OpaquePointer) {
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(connection, &buffer, 0) >= 0 {
            if let buffer { PQfreemem(buffer) }
            buffer = nil
        }
    }

    /// The row count in a result's command tag (`PQcmdTuples`); 0 when the command reports none.
    static func rowsAffected(_ result: OpaquePointer) -> Int64 {
        guard let raw = PQcmdTuples(result) else { return 0 }
        return Int64(String(cString: raw)) ?? 0
    }
}
