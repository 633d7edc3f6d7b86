/// Input of `PerformanceMonitor.monitor_query_performance(query)`.
public struct QueryPerformanceRequest: Sendable, Hashable, Codable {
    public var query: String
    /// Timed executions after one warm-up run (default 5, at most 1000).
    public var runs: Int
    /// Ask the engine for actual rows and times (`EXPLAIN ANALYZE`) when that is safe (default true).
    public var analyze: Bool

    public init(query: String, runs: Int = 5, analyze: Bool = true) {
        self.query = query
        self.runs = runs
        self.analyze = analyze
    }

    enum CodingKeys: String, CodingKey { case query, runs, analyze }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        query = try c.decode(String.self, forKey: .query)
        runs = try c.decodeIfPresent(Int.self, forKey: .runs) ?? 5
        analyze = try c.decodeIfPresent(Bool.self, forKey: .analyze) ?? true
    }
}

/// Timings of repeated runs, in milliseconds.
public struct TimingStatistics: Sendable, Hashable, Codable {
    public var runs: Int
    public var minMS: Double
    public var maxMS: Double
    public var meanMS: Double
    public var medianMS: Double
    public var p95MS: Double
    public var stddevMS: Double

    public init(_ samples: [Double]) {
        let sorted = samples.sorted()
        runs = sorted.count
        minMS = sorted.first ?? 0
        maxMS = sorted.last ?? 0
        meanMS = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        medianMS = TimingStatistics.quantile(sorted, 0.5)
        p95MS = TimingStatistics.quantile(sorted, 0.95)
        let mean = meanMS
        stddevMS = sorted.count > 1 ? (sorted.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(sorted.count - 1)).squareRoot() : 0
    }

    /// Linear-interpolated quantile of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    enum CodingKeys: String, CodingKey {
        case runs
        case minMS = "min_ms"
        case maxMS = "max_ms"
        case meanMS = "mean_ms"
        case medianMS = "median_ms"
        case p95MS = "p95_ms"
        case stddevMS = "stddev_ms"
    }
}

/// Result of `monitor_query_performance`: the plan, the timings, and what the plan suggests.
public struct QueryPerformance: Sendable, Hashable, Codable {
    public var query: String
    public var engine: String
    /// `read` or `write` (writes ran inside transactions that were rolled back).
    public var statementKind: String
    public var timing: TimingStatistics
    /// Rows returned (reads) or affected (writes) by the last run.
    public var rows: Int64
    public var plan: QueryPlan
    /// True when the writes of the runs and of `EXPLAIN ANALYZE` were rolled back.
    public var rolledBack: Bool
    /// Tables read in full by the plan.
    public var fullScans: [String]
    public var recommendations: [String]
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case query, engine, timing, rows, plan, recommendations, notes
        case statementKind = "statement_kind"
        case rolledBack = "rolled_back"
        case fullScans = "full_scans"
    }
}
