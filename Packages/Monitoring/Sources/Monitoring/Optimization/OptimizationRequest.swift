/// Input of `optimize_database`: 001's `optimization_type`, `analyze_only`, `apply_changes`, plus the
/// workload to measure and the workspace.
public struct OptimizeDatabaseRequest: Sendable, Hashable, Codable {
    /// `performance`, `storage`, `query` or `maintenance` (checked by `optimizeDatabase`).
    public var optimizationType: String
    /// Report only (the default). Changes are applied only with `apply_changes: true` and `analyze_only` not true.
    public var analyzeOnly: Bool?
    public var applyChanges: Bool
    /// Statements to look for missing indexes in and to time before and after the changes; dbm's
    /// statement log and parameter-free pg_stat_statements entries are added.
    public var workload: [String]
    /// Timed runs per workload statement, before and after (default 5).
    public var measureRuns: Int
    /// Tables with fewer rows get no index advice (file 003's `index_threshold`, default 1000).
    public var indexThreshold: Double

    public init(optimizationType: OptimizationFinding.Category = .performance, analyzeOnly: Bool? = nil, applyChanges: Bool = false,
                workload: [String] = [], measureRuns: Int = 5, indexThreshold: Double = 1000) {
        self.optimizationType = optimizationType.rawValue
        self.analyzeOnly = analyzeOnly
        self.applyChanges = applyChanges
        self.workload = workload
        self.measureRuns = measureRuns
        self.indexThreshold = indexThreshold
    }

    /// True when the call applies changes.
    public var applies: Bool { applyChanges && analyzeOnly != true }

    enum CodingKeys: String, CodingKey {
        case workload
        case optimizationType = "optimization_type"
        case analyzeOnly = "analyze_only"
        case applyChanges = "apply_changes"
        case measureRuns = "measure_runs"
        case indexThreshold = "index_threshold"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        optimizationType = try c.decodeIfPresent(String.self, forKey: .optimizationType) ?? "performance"
        analyzeOnly = try c.decodeIfPresent(Bool.self, forKey: .analyzeOnly)
        applyChanges = try c.decodeIfPresent(Bool.self, forKey: .applyChanges) ?? false
        workload = try c.decodeIfPresent([String].self, forKey: .workload) ?? []
        measureRuns = try c.decodeIfPresent(Int.self, forKey: .measureRuns) ?? 5
        indexThreshold = try c.decodeIfPresent(Double.self, forKey: .indexThreshold) ?? 1000
    }

    /// The validated optimization type.
    func category() throws(OptimizationError) -> OptimizationFinding.Category {
        guard let category = OptimizationFinding.Category(rawValue: optimizationType) else {
            throw OptimizationError(.invalidOptimizationType, "optimization_type must be performance, storage, query or maintenance")
        }
        guard (1...100).contains(measureRuns) else {
            throw OptimizationError(.invalidOptimizationType, "measure_runs must be between 1 and 100")
        }
        return category
    }
}

/// One workload statement timed before and after the changes.
public struct QueryMeasurement: Sendable, Hashable, Codable {
    public var query: String
    /// Median of the timed runs, in milliseconds.
    public var beforeMS: Double
    public var afterMS: Double
    /// `before / after`.
    public var speedup: Double
    /// The planner's estimated cost before and after (PostgreSQL only).
    public var planCostBefore: Double?
    public var planCostAfter: Double?

    enum CodingKeys: String, CodingKey {
        case query, speedup
        case beforeMS = "before_ms"
        case afterMS = "after_ms"
        case planCostBefore = "plan_cost_before"
        case planCostAfter = "plan_cost_after"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(query, forKey: .query)
        try c.encode(beforeMS, forKey: .beforeMS)
        try c.encode(afterMS, forKey: .afterMS)
        try c.encode(speedup, forKey: .speedup)
        try c.encode(planCostBefore, forKey: .planCostBefore)
        try c.encode(planCostAfter, forKey: .planCostAfter)
    }
}

/// Result of `optimize_database`: 001's dict plus the findings, the score and the measurements.
public struct OptimizationResult: Sendable, Hashable, Codable {
    public var optimizationType: String
    public var recommendationsApplied: Int
    /// Percent reduction of the measured workload's total median time; `null` when nothing was measured.
    public var performanceImprovement: Double?
    /// Database size before minus after, measured (negative when indexes were added); `null` when nothing was applied.
    public var storageSavedMB: Double?
    public var indexesCreated: Int
    /// Measured statements that became faster.
    public var queriesOptimized: Int
    /// The statements applied.
    public var configurationChanges: [String]
    /// True when every applied change can be undone by `rollback_optimization`.
    public var rollbackAvailable: Bool
    /// Pass to `rollback_optimization` to undo every change of this call.
    public var optimizationID: String?
    public var changes: [AppliedChange]
    public var findings: [OptimizationFinding]
    public var optimizationScore: Int
    public var scoreBreakdown: [String: Double]
    public var measurements: [QueryMeasurement]
    public var analyzeOnly: Bool
    public var notes: [MetricsCheck]

    enum CodingKeys: String, CodingKey {
        case changes, findings, measurements, notes
        case optimizationType = "optimization_type"
        case recommendationsApplied = "recommendations_applied"
        case performanceImprovement = "performance_improvement"
        case storageSavedMB = "storage_saved_mb"
        case indexesCreated = "indexes_created"
        case queriesOptimized = "queries_optimized"
        case configurationChanges = "configuration_changes"
        case rollbackAvailable = "rollback_available"
        case optimizationID = "optimization_id"
        case optimizationScore = "optimization_score"
        case scoreBreakdown = "score_breakdown"
        case analyzeOnly = "analyze_only"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(optimizationType, forKey: .optimizationType)
        try c.encode(recommendationsApplied, forKey: .recommendationsApplied)
        try c.encode(performanceImprovement, forKey: .performanceImprovement)
        try c.encode(storageSavedMB, forKey: .storageSavedMB)
        try c.encode(indexesCreated, forKey: .indexesCreated)
        try c.encode(queriesOptimized, forKey: .queriesOptimized)
        try c.encode(configurationChanges, forKey: .configurationChanges)
        try c.encode(rollbackAvailable, forKey: .rollbackAvailable)
        try c.encode(optimizationID, forKey: .optimizationID)
        try c.encode(changes, forKey: .changes)
        try c.encode(findings, forKey: .findings)
        try c.encode(optimizationScore, forKey: .optimizationScore)
        try c.encode(scoreBreakdown, forKey: .scoreBreakdown)
        try c.encode(measurements, forKey: .measurements)
        try c.encode(analyzeOnly, forKey: .analyzeOnly)
        try c.encode(notes, forKey: .notes)
    }
}

/// Input of `rollback_optimization` (beyond the spec): one change, or every change of one call.
public struct RollbackOptimizationRequest: Sendable, Hashable, Codable {
    public var changeID: String?
    public var optimizationID: String?

    public init(changeID: String? = nil, optimizationID: String? = nil) {
        self.changeID = changeID
        self.optimizationID = optimizationID
    }

    enum CodingKeys: String, CodingKey {
        case changeID = "change_id"
        case optimizationID = "optimization_id"
    }
}

/// Result of `rollback_optimization`.
public struct RollbackResult: Sendable, Hashable, Codable {
    /// The changes undone, newest first.
    public var rolledBack: [String]
    /// The inverse statements run.
    public var statements: [String]
    /// Changes that needed no undo (maintenance such as ANALYZE or VACUUM).
    public var nothingToUndo: [String]

    enum CodingKeys: String, CodingKey {
        case statements
        case rolledBack = "rolled_back"
        case nothingToUndo = "nothing_to_undo"
    }
}
