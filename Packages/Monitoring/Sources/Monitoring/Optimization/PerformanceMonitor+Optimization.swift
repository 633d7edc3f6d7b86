import DatabaseDriver
import Foundation

extension PerformanceMonitor {
    /// Every rule's findings on the current database, with the catalog they were computed from.
    func findings(workload extra: [String] = [], indexThreshold: Double = 1000) async throws -> (SchemaCatalog, [OptimizationFinding], [MetricsCheck]) {
        let catalog = try await SchemaCatalog.read(connection)
        var findings = IndexRules.foreignKeysWithoutIndex(catalog)
        let duplicates = IndexRules.duplicates(catalog)
        let redundant = IndexRules.redundant(catalog).filter { r in !duplicates.contains { $0.index == r.index } }
        findings += duplicates + redundant
        findings += IndexRules.unused(catalog, duplicatesAndRedundant: Set((duplicates + redundant).compactMap(\.index)))
        findings += TableRules.missingPrimaryKeys(catalog)
        findings += TableRules.staleStatistics(catalog)
        var sqliteFree: Int64?, sqliteTotal: Int64?
        if dialect == .sqlite {
            let pageSize = try await connection.scalar("PRAGMA page_size")?.int64Value ?? 0
            sqliteFree = (try await connection.scalar("PRAGMA freelist_count")?.int64Value ?? 0) * pageSize
            sqliteTotal = (try await connection.scalar("PRAGMA page_count")?.int64Value ?? 0) * pageSize
        }
        findings += TableRules.bloat(catalog, sqliteFreeBytes: sqliteFree, sqliteTotalBytes: sqliteTotal)
        findings += TableRules.sequenceExhaustion(catalog)
        findings += TableRules.partitioning(catalog)
        findings += TableRules.sequentialScans(catalog, threshold: indexThreshold)
        let advisor = WorkloadIndexAdvisor(db: connection, catalog: catalog, rowThreshold: indexThreshold)
        let advice = try await advisor.advise(try await workload(extra))
        findings += advice.findings
        return (catalog, findings, catalog.notes + advice.notes)
    }

    /// The statements to analyse: the caller's, dbm's statement log, and parameter-free pg_stat_statements entries.
    func workload(_ extra: [String]) async throws -> [String] {
        var statements = extra
        statements += try await history.statementTotals(databaseKey: databaseKey, limit: 20).slowest.map(\.query)
        if dialect == .postgresql, try await connection.scalar("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'") != nil {
            statements += try await connection.query("""
                SELECT query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND query !~ '\\$[0-9]' ORDER BY total_exec_time DESC LIMIT 20
                """).rows.compactMap { $0.values.first?.stringValue }
        }
        let system = ["pg_catalog", "information_schema", "performance_schema", "pg_stat", "hypopg", "sqlite_", "pragma"]
        var seen = Set<String>()
        return statements.filter { sql in
            let lower = sql.lowercased()
            return StatementKind(sql) != .other && !system.contains { lower.contains($0) } && seen.insert(sql).inserted
        }
    }

    /// `PerformanceMonitor.suggest_optimizations()`: one sentence per finding, most severe first.
    public func suggestOptimizations(_ request: SuggestOptimizationsRequest = .init()) async throws -> [String] {
        let (_, findings, _) = try await findings(workload: request.workload)
        let rank: [OptimizationFinding.Severity: Int] = [.critical: 0, .warning: 1, .info: 2]
        return findings.sorted { rank[$0.severity, default: 3] < rank[$1.severity, default: 3] }
            .map { "\($0.description): \($0.recommendation)" }
    }

    /// `PerformanceMonitor.analyze_performance()`: a fresh metrics sample, the slowest statements, every
    /// rule's findings and the optimization score (file 003's `analyze_performance`).
    public func analyzePerformance(_ request: SuggestOptimizationsRequest = .init()) async throws -> PerformanceAnalysis {
        let metrics = try await collectMetrics(.init(metricsConfig: request.metricsConfig))
        let slow = try await getSlowQueries(.init(limit: 10))
        let (catalog, findings, notes) = try await findings(workload: request.workload)
        let score = OptimizationScore(catalog: catalog, findings: findings)
        return PerformanceAnalysis(optimizationScore: score.score, scoreBreakdown: score.penalties, findings: findings,
                                   slowQueries: slow, metrics: metrics, notes: notes)
    }

    /// `optimize_database(optimization_type, analyze_only, apply_changes)`: the findings of the requested
    /// type and, when asked, applies the automatic ones, recording each inverse so `rollback_optimization`
    /// can undo them. The workload statements the new indexes are for are timed before and after; the
    /// improvement is `null` when nothing was measured.
    public func optimizeDatabase(_ request: OptimizeDatabaseRequest) async throws -> OptimizationResult {
        let category = try request.category()
        let (catalog, all, notes) = try await findings(workload: request.workload, indexThreshold: request.indexThreshold)
        let score = OptimizationScore(catalog: catalog, findings: all)
        let relevant = all.filter { $0.categories.contains(category) }
        var result = OptimizationResult(
            optimizationType: category.rawValue, recommendationsApplied: 0, performanceImprovement: nil, storageSavedMB: nil,
            indexesCreated: 0, queriesOptimized: 0, configurationChanges: [], rollbackAvailable: false, optimizationID: nil, changes: [],
            findings: relevant, optimizationScore: score.score, scoreBreakdown: score.penalties, measurements: [],
            analyzeOnly: !request.applies, notes: notes)
        guard request.applies else { return result }
        if connection.configuration.readOnly {
            throw OptimizationError(.readOnly, "apply_changes refused: the connection is read-only")
        }
        let toApply = relevant.filter { $0.automatic && $0.sql != nil }
        guard !toApply.isEmpty else { return result }

        let measured = Array(Set(toApply.flatMap(\.queries))).sorted()
        var before: [String: (Double, Double?)] = [:]
        for query in measured { before[query] = try await time(query, runs: request.measureRuns) }
        let sizeBefore = try await databaseSizeBytes()

        let optimizationID = "opt-" + UUID().uuidString.lowercased().prefix(8)
        var applied: [AppliedChange] = []
        for (n, finding) in toApply.enumerated() {
            guard let sql = finding.sql else { continue }
            let change = AppliedChange(changeID: "\(optimizationID)-\(n + 1)", rule: finding.rule, description: finding.description,
                                       sql: sql, inverseSQL: finding.inverseSQL)
            do {
                _ = try await connection.execute(sql)
            } catch {
                for done in applied.reversed() { if let inverse = done.inverseSQL { _ = try? await connection.execute(inverse) } }
                for done in applied { try? await history.markRolledBack(done.changeID) }
                throw OptimizationError(.applyFailed, "applying \(finding.rule) on \(finding.table ?? "the database") failed (\(error)); the \(applied.count) change(s) before it were rolled back")
            }
            try await history.recordChange(change, optimizationID: optimizationID, databaseKey: databaseKey)
            applied.append(change)
        }
        if dialect == .mysql {
            // information_schema sizes are refreshed by ANALYZE; without it the size difference is not measured.
            for table in Set(toApply.compactMap(\.table)) { _ = try? await connection.query("ANALYZE TABLE \(dialect.quote(table))") }
        }
        let sizeAfter = try await databaseSizeBytes()

        var totalBefore = 0.0, totalAfter = 0.0
        for query in measured {
            guard let b = before[query] else { continue }
            let a = try await time(query, runs: request.measureRuns)
            result.measurements.append(QueryMeasurement(query: query, beforeMS: b.0, afterMS: a.0, speedup: a.0 > 0 ? b.0 / a.0 : 0,
                                                        planCostBefore: b.1, planCostAfter: a.1))
            totalBefore += b.0
            totalAfter += a.0
        }
        result.optimizationID = optimizationID
        result.changes = applied
        result.recommendationsApplied = applied.count
        result.configurationChanges = applied.map(\.sql)
        result.indexesCreated = applied.filter { $0.rule == "fk_without_index" || $0.rule == "missing_index" }.count
        result.queriesOptimized = result.measurements.filter { $0.afterMS < $0.beforeMS }.count
        result.performanceImprovement = totalBefore > 0 ? ((totalBefore - totalAfter) / totalBefore * 100).rounded(to: 2) : nil
        if let b = sizeBefore, let a = sizeAfter { result.storageSavedMB = megabytes(b - a).rounded(to: 3) }
        result.rollbackAvailable = applied.contains { $0.inverseSQL != nil }
        return result
    }

    /// `PerformanceMonitor.rollback_optimization(change_id | optimization_id)` (beyond the spec): runs the
    /// recorded inverse statements, newest first.
    public func rollbackOptimization(_ request: RollbackOptimizationRequest) async throws -> RollbackResult {
        guard request.changeID != nil || request.optimizationID != nil else {
            throw OptimizationError(.unknownChange, "rollback_optimization needs change_id or optimization_id")
        }
        let changes = try await history.pendingChanges(changeID: request.changeID, optimizationID: request.optimizationID, databaseKey: databaseKey)
        guard !changes.isEmpty else {
            throw OptimizationError(.unknownChange, "no applied change \(request.changeID ?? request.optimizationID ?? "") that is not rolled back yet on this database")
        }
        var result = RollbackResult(rolledBack: [], statements: [], nothingToUndo: [])
        for change in changes {
            if let inverse = change.inverseSQL {
                do { _ = try await connection.execute(inverse) } catch {
                    throw OptimizationError(.rollbackFailed, "undoing \(change.changeID) failed: \(error)")
                }
                result.statements.append(inverse)
                result.rolledBack.append(change.changeID)
            } else {
                result.nothingToUndo.append(change.changeID)
            }
            try await history.markRolledBack(change.changeID)
        }
        return result
    }

    /// Median time of `runs` executions (after one warm-up) and the estimated plan cost.
    func time(_ query: String, runs: Int) async throws -> (Double, Double?) {
        let kind = StatementKind(query)
        let cost = try? await PlanReader.plan(query, on: connection, analyze: false).totalCost
        var samples: [Double] = []
        for run in 0...runs {
            try Task.checkCancellation()
            let (_, ms) = try await inTransaction(rollback: kind == .write) {
                try await Clock.measure { try await self.execute(query, kind: kind) }
            }
            if run > 0 { samples.append(ms) }
        }
        return (TimingStatistics(samples).medianMS, cost)
    }

    /// The database's size as the engine reports it.
    func databaseSizeBytes() async throws -> Int64? {
        switch dialect {
        case .postgresql:
            try await connection.scalar("SELECT pg_database_size(current_database())")?.int64Value
        case .mysql:
            try await connection.scalar("""
                SELECT SUM(DATA_LENGTH + INDEX_LENGTH + DATA_FREE) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
                """)?.int64Value
        case .sqlite:
            try await (connection.scalar("PRAGMA page_count")?.int64Value ?? 0) * (connection.scalar("PRAGMA page_size")?.int64Value ?? 0)
        }
    }
}

/// Input of `suggest_optimizations` and `analyze_performance`: extra workload statements to analyse.
public struct SuggestOptimizationsRequest: Sendable, Hashable, Codable {
    public var workload: [String]
    public var metricsConfig: MetricsConfig?

    public init(workload: [String] = [], metricsConfig: MetricsConfig? = nil) {
        self.workload = workload
        self.metricsConfig = metricsConfig
    }

    enum CodingKeys: String, CodingKey {
        case workload
        case metricsConfig = "metrics_config"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workload = try c.decodeIfPresent([String].self, forKey: .workload) ?? []
        metricsConfig = try c.decodeIfPresent(MetricsConfig.self, forKey: .metricsConfig)
    }
}

/// Result of `analyze_performance`.
public struct PerformanceAnalysis: Sendable, Hashable, Codable {
    public var optimizationScore: Int
    public var scoreBreakdown: [String: Double]
    public var findings: [OptimizationFinding]
    public var slowQueries: [SlowQuery]
    public var metrics: DatabaseMetrics
    public var notes: [MetricsCheck]

    enum CodingKeys: String, CodingKey {
        case findings, metrics, notes
        case optimizationScore = "optimization_score"
        case scoreBreakdown = "score_breakdown"
        case slowQueries = "slow_queries"
    }
}
