/// One issue an optimization rule found, what to do about it, and (when dbm can do it) the statement.
public struct OptimizationFinding: Sendable, Hashable, Codable {
    /// The `optimization_type` families.
    public enum Category: String, Sendable, Hashable, Codable, CaseIterable {
        case performance, storage, query, maintenance
    }

    public enum Severity: String, Sendable, Hashable, Codable, CaseIterable {
        case info, warning, critical
    }

    /// `fk_without_index`, `missing_primary_key`, `unused_index`, `duplicate_index`, `redundant_index`,
    /// `missing_index`, `sequential_scans`, `stale_statistics`, `table_bloat`, `freelist`,
    /// `sequence_exhaustion`, `partitioning`.
    public var rule: String
    /// The optimization types this finding belongs to.
    public var categories: [Category]
    public var severity: Severity
    public var table: String?
    public var index: String?
    public var description: String
    public var recommendation: String
    /// The statement that applies the recommendation, when dbm can apply it.
    public var sql: String?
    /// The statement that undoes `sql` (`nil` for maintenance, which changes neither schema nor data).
    public var inverseSQL: String?
    /// True when `optimize_database(apply_changes: true)` applies it; false for advice that needs a
    /// person's judgement (dropping an index that is merely unused, adding a primary key, partitioning).
    public var automatic: Bool
    /// The figures the finding rests on (`rows`, `seq_scan`, `dead_rows`, `plan_cost`, `hypothetical_cost`...).
    public var evidence: [String: Double]
    /// The workload statements a new index is for (timed before and after when applied).
    public var queries: [String]

    public init(rule: String, categories: [Category], severity: Severity, table: String? = nil, index: String? = nil,
                description: String, recommendation: String, sql: String? = nil, inverseSQL: String? = nil,
                automatic: Bool = false, evidence: [String: Double] = [:], queries: [String] = []) {
        self.rule = rule; self.categories = categories; self.severity = severity; self.table = table; self.index = index
        self.description = description; self.recommendation = recommendation; self.sql = sql; self.inverseSQL = inverseSQL
        self.automatic = automatic; self.evidence = evidence; self.queries = queries
    }

    enum CodingKeys: String, CodingKey {
        case rule, categories, severity, table, index, description, recommendation, sql, automatic, evidence, queries
        case inverseSQL = "inverse_sql"
    }
}
