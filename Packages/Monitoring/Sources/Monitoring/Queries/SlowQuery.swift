/// One statement from the engine's statement statistics (or the server's statement record), with its timings.
public struct SlowQuery: Sendable, Hashable, Codable {
    /// The statement text; engines normalise literals to placeholders (`$1`, `?`).
    public var query: String
    public var calls: Int64
    public var meanTimeMS: Double
    public var maxTimeMS: Double?
    public var totalTimeMS: Double
    /// Rows returned or affected in total, where the engine counts them.
    public var rows: Int64?
    /// `pg_stat_statements`, `performance_schema` or `server` (the statements dbm itself ran: `StatementRecorder`).
    public var source: String
    /// The engine's id of the normalised statement (`queryid`, MariaDB's `DIGEST`) or dbm's fingerprint.
    public var fingerprint: String?
    /// Executions that failed (the server's record only; the engines count completed statements).
    public var errors: Int64?

    /// The `source` of statements from the server's own record.
    public static let serverSource = "server"

    public init(query: String, calls: Int64, meanTimeMS: Double, maxTimeMS: Double?, totalTimeMS: Double, rows: Int64?, source: String,
                fingerprint: String? = nil, errors: Int64? = nil) {
        self.query = query
        self.calls = calls
        self.meanTimeMS = meanTimeMS
        self.maxTimeMS = maxTimeMS
        self.totalTimeMS = totalTimeMS
        self.rows = rows
        self.source = source
        self.fingerprint = fingerprint
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case query, calls, rows, source, fingerprint, errors
        case meanTimeMS = "mean_time_ms"
        case maxTimeMS = "max_time_ms"
        case totalTimeMS = "total_time_ms"
    }
}
