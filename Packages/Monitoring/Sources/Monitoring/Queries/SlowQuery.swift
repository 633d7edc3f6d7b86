/// One statement from the engine's statement statistics (or dbm's statement log), with its timings.
public struct SlowQuery: Sendable, Hashable, Codable {
    /// The statement text; engines normalise literals to placeholders (`$1`, `?`).
    public var query: String
    public var calls: Int64
    public var meanTimeMS: Double
    public var maxTimeMS: Double?
    public var totalTimeMS: Double
    /// Rows returned or affected in total, where the engine counts them.
    public var rows: Int64?
    /// `pg_stat_statements`, `performance_schema` or `dbm_statement_log`.
    public var source: String

    public init(query: String, calls: Int64, meanTimeMS: Double, maxTimeMS: Double?, totalTimeMS: Double, rows: Int64?, source: String) {
        self.query = query
        self.calls = calls
        self.meanTimeMS = meanTimeMS
        self.maxTimeMS = maxTimeMS
        self.totalTimeMS = totalTimeMS
        self.rows = rows
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case query, calls, rows, source
        case meanTimeMS = "mean_time_ms"
        case maxTimeMS = "max_time_ms"
        case totalTimeMS = "total_time_ms"
    }
}
