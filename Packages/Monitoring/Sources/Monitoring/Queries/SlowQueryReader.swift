import DatabaseDriver

/// Reads the slowest statements from each engine's statement statistics.
enum SlowQueryReader {
    /// From `pg_stat_statements`, this database only, slowest mean first.
    static func postgres(_ db: any DatabaseConnection, thresholdMS: Double, limit: Int) async throws -> [SlowQuery] {
        try await db.query("""
            SELECT queryid::text AS fingerprint, query, calls, mean_exec_time, max_exec_time, total_exec_time, rows FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND mean_exec_time >= $1
            ORDER BY mean_exec_time DESC LIMIT $2
            """, [.double(thresholdMS), .integer(Int64(limit))]).rows.map { row in
            SlowQuery(query: row.string("query") ?? "", calls: row.int("calls") ?? 0, meanTimeMS: row.double("mean_exec_time") ?? 0,
                      maxTimeMS: row.double("max_exec_time"), totalTimeMS: row.double("total_exec_time") ?? 0,
                      rows: row.int("rows"), source: "pg_stat_statements", fingerprint: row.string("fingerprint"))
        }
    }

    /// From `performance_schema.events_statements_summary_by_digest`, this schema only (timers are picoseconds).
    static func mysql(_ db: any DatabaseConnection, thresholdMS: Double, limit: Int) async throws -> [SlowQuery] {
        try await db.query("""
            SELECT DIGEST AS fingerprint, DIGEST_TEXT AS query, COUNT_STAR AS calls, AVG_TIMER_WAIT / 1000000000 AS mean_ms,
                   MAX_TIMER_WAIT / 1000000000 AS max_ms, SUM_TIMER_WAIT / 1000000000 AS total_ms,
                   SUM_ROWS_SENT + SUM_ROWS_AFFECTED AS row_count
            FROM performance_schema.events_statements_summary_by_digest
            WHERE SCHEMA_NAME = DATABASE() AND AVG_TIMER_WAIT / 1000000000 >= ? AND DIGEST_TEXT IS NOT NULL
            ORDER BY AVG_TIMER_WAIT DESC LIMIT ?
            """, [.double(thresholdMS), .integer(Int64(limit))]).rows.map { row in
            SlowQuery(query: row.string("query") ?? "", calls: row.int("calls") ?? 0, meanTimeMS: row.double("mean_ms") ?? 0,
                      maxTimeMS: row.double("max_ms"), totalTimeMS: row.double("total_ms") ?? 0,
                      rows: row.int("row_count"), source: "performance_schema", fingerprint: row.string("fingerprint"))
        }
    }
}

/// Totals of the server's statement record for one database.
struct StatementLogTotals: Sendable {
    /// Statements that completed.
    var calls: Int64 = 0
    /// Statements that failed.
    var errors: Int64 = 0
    var totalMS: Double = 0
    /// Statements by mean time, slowest first.
    var slowest: [SlowQuery] = []
}
