import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the rows of one query in libpq's single-row mode: one row in memory at a time.
///
/// Columns and their decoders are resolved once, from the first result. Every 1024 rows the cursor checks
/// whether the calling task was cancelled; if so it cancels the query on the server and throws
/// `.cancelled`.
///
/// - Important: not thread-safe, and valid only inside the `withCursor` body that received it; it runs
///   on the connection's executor.
final class PostgreSQLRowCursor: RowCursor {
    private(set) var columns: [Column] = []
    private var decoders: [CellDecoder] = []
    private let connection: OpaquePointer
    private let sql: String
    private let signal: CancelSignal
    /// The result holding the first row, read by `start` to learn the columns.
    private var pending: OpaquePointer?
    private var finished = false
    private var rowsRead = 0
    /// True when a column had a type the catalog did not know (created after it was loaded).
    private(set) var sawUnknownType = false

    /// How many rows may still be read and discarded when the body stops early, before the query is
    /// cancelled instead.
    private static let drainBudgetRows = 10_000
    /// How long to wait for the rest of an abandoned result before cancelling the query.
    private static let drainBudgetMilliseconds = 20

    init(connection: OpaquePointer, sql: String, signal: CancelSignal) {
        self.connection = connection
        self.sql = sql
        self.signal = signal
    }

    deinit {
        if let pending { PQclear(pending) }
    }

    /// Reads the first result, which names the columns.
    ///
    /// - Throws: the statement's error, when it failed before returning a row.
    func start(catalog: TypeCatalog) throws(DatabaseError) {
        guard let result = PQgetResult(connection) else {
            finished = true
            return
        }
        switch PQresultStatus(result) {
        case PGRES_SINGLE_TUPLE:
            describe(result, catalog: catalog)
            pending = result
        case PGRES_TUPLES_OK:
            describe(result, catalog: catalog)
            PQclear(result)
            try finishNormally()
        case PGRES_FATAL_ERROR:
            let error = PostgreSQLErrors.error(from: result, connection: connection, sql: sql)
            PQclear(result)
            finished = true
            ResultDrain.discardRemaining(connection)
            throw error
        default:
            // A command without rows, or COPY: the drain reports what it needs to.
            PQclear(result)
            try finishNormally()
        }
    }

    private func describe(_ result: OpaquePointer, catalog: TypeCatalog) {
        let count = Int(PQnfields(result))
        columns.reserveCapacity(count)
        decoders.reserveCapacity(count)
        for index in 0..<Int32(count) {
            let name = PQfname(result, index).map { String(cString: $0) } ?? ""
            let resolved = catalog.resolve(PQftype(result, index))
            if !resolved.known { sawUnknownType = true }
            columns.append(Column(name: name, nativeType: resolved.column.nativeType, type: resolved.column.type))
            decoders.append(resolved.decoder)
        }
    }

    func next() throws -> Row? {
        if finished { return nil }
        let result: OpaquePointer
        if let pending {
            result = pending
            self.pending = nil
        } else {
            if rowsRead & 1023 == 1023 && Task.isCancelled {
                try cancelForTask()
            }
            guard let next = PQgetResult(connection) else {
                finished = true
                return nil
            }
            result = next
        }
        switch PQresultStatus(result) {
        case PGRES_SINGLE_TUPLE:
            rowsRead += 1
            defer { PQclear(result) }
            return decodeRow(result)
        case PGRES_FATAL_ERROR:
            let error = PostgreSQLErrors.error(from: result, connection: connection, sql: sql)
            PQclear(result)
            finished = true
            ResultDrain.discardRemaining(connection)
            throw error
        default:
            PQclear(result)
            try finishNormally()
            return nil
        }
    }

    private func decodeRow(_ result: OpaquePointer) -> Row {
        let count = decoders.count
        let values = [DatabaseValue](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                let column = Int32(index)
                if PQgetisnull(result, 0, column) != 0 {
                    (buffer.baseAddress! + index).initialize(to: .null)
                } else {
                    let raw = UnsafeRawPointer(PQgetvalue(result, 0, column)!).assumingMemoryBound(to: UInt8.self)
                    let length = Int(PQgetlength(result, 0, column))
                    (buffer.baseAddress! + index).initialize(to: decoders[index].decode(raw, count: length))
                }
            }
            initialized = count
        }
        return Row(columns: columns, values: values)
    }

    /// The rows ended: read the statement's last results (normally none) and surface a late error.
    private func finishNormally() throws(DatabaseError) {
        finished = true
        _ = try ResultDrain.drain(connection, sql: sql)
    }

    /// The calling task was cancelled: cancel the query, consume what is left, and throw `.cancelled`.
    private func cancelForTask() throws(DatabaseError) {
        signal.cancel()
        finished = true
        ResultDrain.discardRemaining(connection)
        throw DatabaseError(.cancelled, "the statement was cancelled because its task was cancelled",
            engineCode: "57014", sql: sql, engine: PostgreSQLErrors.engine)
    }

    /// Ends the statement after the body returned, whether or not it read every row.
    ///
    /// Rows that arrive promptly are read and discarded (a `scalar` query's end is usually already in the
    /// buffer); a result still running after that is cancelled on the server rather than read to the end.
    func close() {
        if let pending {
            PQclear(pending)
            self.pending = nil
        }
        guard !finished else { return }
        finished = true
        if drainPromptly() { return }
        signal.cancel()
        ResultDrain.discardRemaining(connection)
    }

    /// Reads and discards results without waiting long; true when the statement completed.
    private func drainPromptly() -> Bool {
        var rows = 0
        var waited = 0
        while rows < Self.drainBudgetRows {
            guard PQconsumeInput(connection) == 1 else { return false }
            while PQisBusy(connection) == 0 {
                guard let result = PQgetResult(connection) else { return true }
                let status = PQresultStatus(result)
                PQclear(result)
                if status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK
                    && status != PGRES_FATAL_ERROR {
                    return false  // COPY states: let the full drain handle them.
                }
                rows += 1
            }
            guard waited < Self.drainBudgetMilliseconds else { return false }
            var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 1)
            waited += 1
        }
        return false
    }
}
