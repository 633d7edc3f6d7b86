import DatabaseDriver

/// Fills a reading from the server's statement record (`StatementRecorder`) where the engine keeps no
/// per-statement statistics: always on SQLite, on PostgreSQL without `pg_stat_statements`, on MariaDB
/// with `performance_schema` off or its digest table full.
enum ServerStatementFallback {
    static func apply(_ record: StatementLogTotals, to reading: inout EngineReading, dialect: Dialect, config: MetricsConfig) {
        guard !reading.engineStatementStatistics else { return }
        reading.counters.serverStatements = Double(record.calls)
        reading.counters.serverStatementTimeMS = record.totalMS
        if dialect == .sqlite {
            // The record is all SQLite has: its totals are real counts even when zero (the next rate is measured from them).
            reading.counters.statements = Double(record.calls)
            reading.counters.statementTimeMS = record.totalMS
            reading.statementSource = "the server's statement record"
            if record.calls > 0 { reading.queryCount = record.calls }
        }
        guard record.calls > 0 else {
            reading.checks.append(.skipped("server_statement_record",
                "this server has recorded no statements on this database yet, and the engine keeps no statement statistics here"))
            return
        }
        let slow = record.slowest.filter { $0.meanTimeMS >= config.slowQueryThresholdMS }
        reading.slowQueries = Array(slow.prefix(config.slowQueriesLimit))
        reading.slowQueriesCount = slow.count
        let errors = record.errors > 0 ? ", \(record.errors) failed" : ""
        reading.checks.append(.ok("server_statement_record",
            "slow_queries and avg_query_time_ms from the \(record.calls) statement(s) this server ran on this database\(errors)"))
    }
}
