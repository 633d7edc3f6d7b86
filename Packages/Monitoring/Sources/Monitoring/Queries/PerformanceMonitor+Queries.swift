import DatabaseDriver

extension PerformanceMonitor {
    /// `PerformanceMonitor.get_slow_queries(limit)`: the slowest statements by mean time, from
    /// `pg_stat_statements`, MariaDB's statement digests, or (SQLite, and whenever the engine has none: no
    /// extension, `performance_schema` off, digest table full) the server's statement record (`source: "server"`). `thresholdMS` filters by mean time (default 0: the slowest `limit`, whatever their time).
    public func getSlowQueries(_ request: SlowQueriesRequest = .init()) async throws -> [SlowQuery] {
        guard request.limit >= 0 else { throw MonitoringError(.invalidParameter, "limit must not be negative") }
        switch dialect {
        case .postgresql:
            if try await connection.scalar("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'") != nil {
                return try await SlowQueryReader.postgres(connection, thresholdMS: request.thresholdMS, limit: request.limit)
            }
        case .mysql:
            // A full digest table no longer attributes new statements to their schema: dbm's log is then the better record.
            if await MySQLDigestTable.state(connection) == .available {
                return try await SlowQueryReader.mysql(connection, thresholdMS: request.thresholdMS, limit: request.limit)
            }
        case .sqlite:
            break
        }
        let log = try await recorder.statementTotals(databaseKey: databaseKey, limit: max(request.limit, 1))
        return Array(log.slowest.filter { $0.meanTimeMS >= request.thresholdMS }.prefix(request.limit))
    }

    /// `PerformanceMonitor.monitor_query_performance(query)`: the engine's plan (analysed when safe) and the
    /// statement's timing over repeated runs.
    ///
    /// Reads run as they are. Writes run, and are analysed, only inside a transaction that is rolled back
    /// (on MariaDB only when every table of the schema is transactional). Other statements (DDL) are refused
    /// with `unsafe_statement`. Each run is added to the statement record.
    public func monitorQueryPerformance(_ request: QueryPerformanceRequest) async throws -> QueryPerformance {
        guard (1...1000).contains(request.runs) else { throw MonitoringError(.invalidParameter, "runs must be between 1 and 1000") }
        let sql = request.query
        let kind = StatementKind(sql)
        var notes: [String] = []
        switch kind {
        case .other:
            throw MonitoringError(.unsafeStatement, "monitor_query_performance runs only SELECT, INSERT, UPDATE and DELETE statements; this one would change the schema or session")
        case .write:
            if dialect == .mysql, try await !allTablesTransactional() {
                throw MonitoringError(.unsafeStatement, "this schema has non-transactional tables (MyISAM/Aria): a write could not be rolled back, so it is not run")
            }
            notes.append("writes ran inside transactions that were rolled back")
        case .read:
            break
        }
        let rollback = kind == .write
        let analyze = request.analyze && dialect != .sqlite
        let plan: QueryPlan = try await inTransaction(rollback: rollback || (analyze && dialect == .postgresql)) {
            try await PlanReader.plan(sql, on: connection, analyze: analyze)
        }
        if dialect == .sqlite { notes.append("SQLite reports no estimated or actual rows in EXPLAIN QUERY PLAN; timings come from the runs") }

        var samples: [Double] = []
        var rows: Int64 = 0
        for run in 0...request.runs {
            try Task.checkCancellation()
            let (count, ms) = try await inTransaction(rollback: rollback) {
                try await Clock.measure { try await self.execute(sql, kind: kind) }
            }
            rows = count
            if run > 0 {
                samples.append(ms)
                recorder.record(sql, dialect: dialect, databaseKey: databaseKey, durationMS: ms, rows: count)
            }
        }
        let scans = plan.fullScans.compactMap(\.relation)
        let recommendations = scans.map { "\($0) is read in full: an index on the columns this statement filters or joins \($0) by would avoid the scan" }
        return QueryPerformance(query: sql, engine: dialect.rawValue, statementKind: kind.rawValue, timing: TimingStatistics(samples),
                                rows: rows, plan: plan, rolledBack: rollback, fullScans: Array(Set(scans)).sorted(),
                                recommendations: recommendations, notes: notes)
    }

    /// Runs a statement and returns the rows read or affected.
    func execute(_ sql: String, kind: StatementKind) async throws -> Int64 {
        if kind == .read {
            return try await connection.withCursor(sql, .none) { cursor in
                var n: Int64 = 0
                while try cursor.next() != nil { n += 1 }
                return n
            }
        }
        return try await connection.execute(sql).rowsAffected
    }

    /// Runs `body`, inside a transaction rolled back afterwards when `rollback` is true.
    func inTransaction<T: Sendable>(rollback: Bool, _ body: () async throws -> T) async throws -> T {
        guard rollback else { return try await body() }
        try await connection.begin()
        do {
            let value = try await body()
            try await connection.rollback()
            return value
        } catch {
            if await connection.inTransaction { try? await connection.rollback() }
            throw error
        }
    }

    private func allTablesTransactional() async throws -> Bool {
        let count = try await connection.scalar("""
            SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
              AND ENGINE NOT IN ('InnoDB')
            """)?.int64Value ?? 1
        return count == 0
    }
}

/// Input of `PerformanceMonitor.get_slow_queries(limit)`.
public struct SlowQueriesRequest: Sendable, Hashable, Codable {
    public var limit: Int
    /// Only statements whose mean time is at least this many milliseconds (default 0).
    public var thresholdMS: Double

    public init(limit: Int = 10, thresholdMS: Double = 0) {
        self.limit = limit
        self.thresholdMS = thresholdMS
    }

    enum CodingKeys: String, CodingKey {
        case limit
        case thresholdMS = "threshold_ms"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        limit = try c.decodeIfPresent(Int.self, forKey: .limit) ?? 10
        thresholdMS = try c.decodeIfPresent(Double.self, forKey: .thresholdMS) ?? 0
    }
}
