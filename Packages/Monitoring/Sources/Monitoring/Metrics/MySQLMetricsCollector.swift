import DatabaseDriver

/// Reads MariaDB/MySQL statistics: `SHOW GLOBAL STATUS`, `information_schema.PROCESSLIST` and `TABLES`,
/// and `performance_schema` statement digests and index I/O.
struct MySQLMetricsCollector: MetricsCollector {
    func read(_ db: any DatabaseConnection, _ context: CollectionContext) async throws -> EngineReading {
        var reading = EngineReading()
        var status: [String: Double] = [:]
        await reading.probe("global_status", note: "server-wide counters") { r in
            let rows = try await db.query("""
                SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Innodb_buffer_pool_read_requests',
                  'Innodb_buffer_pool_reads', 'Innodb_row_lock_current_waits', 'Uptime')
                """).rows
            for row in rows { if let name = row.values.first?.stringValue, let v = row.values.last?.doubleValue { status[name] = v } }
            if let requests = status["Innodb_buffer_pool_read_requests"], let reads = status["Innodb_buffer_pool_reads"] {
                r.counters.cacheHits = max(0, requests - reads)
                r.counters.cacheMisses = reads
            }
            r.lockWaits = status["Innodb_row_lock_current_waits"].map { Int($0) }
        }
        await reading.probe("processlist") { r in
            let rows = try await db.query("""
                SELECT COMMAND AS command, STATE AS state FROM information_schema.PROCESSLIST
                WHERE DB = DATABASE() AND ID <> CONNECTION_ID()
                """).rows
            var active = 0, idle = 0, waiting = 0
            for row in rows {
                if row.string("command") == "Sleep" { idle += 1 } else { active += 1 }
                if (row.string("state") ?? "").lowercased().contains("lock") { waiting += 1 }
            }
            r.connections = .init(active: active, idle: idle, total: rows.count, waiting: waiting)
        }
        let digests = await MySQLDigestTable.state(db)
        if digests == .available {
            await reading.probe("performance_schema.statement_digests", note: "statements of this schema since the digest table was last truncated") { r in
                guard let row = try await db.query("""
                    SELECT COALESCE(SUM(COUNT_STAR), 0) AS calls, COALESCE(SUM(SUM_TIMER_WAIT), 0) / 1000000000 AS total_ms,
                           COALESCE(SUM(AVG_TIMER_WAIT / 1000000000 >= ?), 0) AS slow
                    FROM performance_schema.events_statements_summary_by_digest WHERE SCHEMA_NAME = DATABASE()
                    """, [.double(context.config.slowQueryThresholdMS)]).rows.first else { return }
                r.counters.statements = row.double("calls")
                r.counters.statementTimeMS = row.double("total_ms")
                r.queryCount = row.int("calls")
                r.slowQueriesCount = row.int("slow").map(Int.init)
                r.statementSource = "performance_schema digests"
                r.engineStatementStatistics = true
                r.slowQueries = try await SlowQueryReader.mysql(db, thresholdMS: context.config.slowQueryThresholdMS, limit: context.config.slowQueriesLimit)
            }
            await reading.probe("performance_schema.index_usage", note: "share of rows read through an index, per table") { r in
                let rows = try await db.query("""
                    SELECT OBJECT_NAME AS name, SUM(CASE WHEN INDEX_NAME IS NULL THEN 0 ELSE COUNT_READ END) AS by_index,
                           SUM(COUNT_READ) AS total
                    FROM performance_schema.table_io_waits_summary_by_index_usage
                    WHERE OBJECT_SCHEMA = DATABASE() GROUP BY OBJECT_NAME
                    """).rows
                for row in rows {
                    if let name = row.string("name"), let total = row.double("total"), total > 0 {
                        r.indexUsage[name] = (row.double("by_index") ?? 0) / total
                    }
                }
            }
        } else {
            reading.checks.append(.skipped("performance_schema.statement_digests", digests.reason))
            if digests == .off { reading.checks.append(.skipped("performance_schema.index_usage", digests.reason)) }
            if let questions = status["Questions"] {
                reading.counters.statements = questions
                reading.queryCount = Int64(questions)
                reading.statementSource = "Questions (server-wide; no timing without per-schema digests)"
                reading.checks.append(.ok("rates_source", "queries_per_second counts the whole server's statements (Questions); avg_query_time_ms needs per-schema digests"))
            }
        }
        if context.readSizes { await reading.probe("information_schema.tables") { r in
            let rows = try await db.query("""
                SELECT TABLE_NAME AS name, COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) AS size, COALESCE(DATA_FREE, 0) AS free
                FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
                """).rows
            var used: Int64 = 0, free: Int64 = 0
            for row in rows {
                let size = row.int("size") ?? 0
                if let name = row.string("name") { r.tableSizes[name] = size }
                used += size
                free += row.int("free") ?? 0
            }
            r.usedBytes = used
            r.freeBytes = free
            r.totalBytes = used + free
        } }
        return reading
    }
}

/// Whether MariaDB's statement digest table can attribute statements to this schema.
enum MySQLDigestTable: Equatable {
    case available
    case off
    /// Every row is taken: statements with a new digest are counted in one row with no schema.
    case full(Int64)

    static func state(_ db: any DatabaseConnection) async -> MySQLDigestTable {
        guard (try? await db.scalar("SELECT @@performance_schema"))?.boolValue == true else { return .off }
        guard let size = try? await db.scalar("SELECT @@performance_schema_digests_size")?.int64Value, size > 0,
              let rows = try? await db.scalar("SELECT COUNT(*) FROM performance_schema.events_statements_summary_by_digest")?.int64Value
        else { return .available }
        return rows >= size ? .full(size) : .available
    }

    var reason: String {
        switch self {
        case .available: "available"
        case .off: "performance_schema is OFF on this server (start it with performance_schema=ON)"
        case .full(let size):
            "the statement digest table is full (performance_schema_digests_size = \(size)): new statements are counted without their schema; TRUNCATE performance_schema.events_statements_summary_by_digest (or raise the size) to restore per-schema statistics"
        }
    }
}
