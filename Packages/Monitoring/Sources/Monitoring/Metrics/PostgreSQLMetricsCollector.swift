import DatabaseDriver

/// Reads PostgreSQL's statistics views: `pg_stat_activity`, `pg_stat_database`, `pg_stat_statements`,
/// `pg_stat_user_tables`, `pg_locks`.
struct PostgreSQLMetricsCollector: MetricsCollector {
    func read(_ db: any DatabaseConnection, _ context: CollectionContext) async throws -> EngineReading {
        var reading = EngineReading()
        await reading.probe("pg_stat_activity") { r in
            let row = try await db.query("""
                SELECT count(*) FILTER (WHERE state = 'active') AS active,
                       count(*) FILTER (WHERE state LIKE 'idle%') AS idle,
                       count(*) AS total,
                       count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting,
                       count(*) FILTER (WHERE state IS NULL) AS hidden
                FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                """).rows.first
            r.connections = .init(active: row?.int("active").map(Int.init), idle: row?.int("idle").map(Int.init),
                                  total: row?.int("total").map(Int.init), waiting: row?.int("waiting").map(Int.init))
            if let hidden = row?.int("hidden"), hidden > 0 {
                // Sessions of other roles show no state without pg_read_all_stats: counted in total, not in active/idle.
                r.checks.append(.skipped("pg_stat_activity.other_roles",
                    "\(hidden) session(s) of other roles are hidden (grant pg_read_all_stats): counted in total, not in active or idle"))
            }
        }
        await reading.probe("pg_stat_database") { r in
            let size = context.readSizes ? "pg_database_size(current_database())" : "NULL"
            guard let row = try await db.query("""
                SELECT xact_commit + xact_rollback AS xacts, blks_hit, blks_read, \(size) AS size
                FROM pg_stat_database WHERE datname = current_database()
                """).rows.first else { throw ProbeSkipped("no pg_stat_database row for this database") }
            r.counters.transactions = row.double("xacts")
            r.counters.cacheHits = row.double("blks_hit")
            r.counters.cacheMisses = row.double("blks_read")
            r.totalBytes = row.int("size")
            r.usedBytes = row.int("size")
        }
        reading.checks.append(.skipped("free_space",
            "PostgreSQL reports no free space inside a database's files without scanning them (pgstattuple); free_size_mb is null"))
        await reading.probe("pg_stat_statements", note: "statements of this database since the last pg_stat_statements_reset()") { r in
            let installed = try await db.scalar("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'")
            guard installed != nil else {
                throw ProbeSkipped("extension pg_stat_statements is not installed in this database (CREATE EXTENSION pg_stat_statements; it must be in shared_preload_libraries)")
            }
            do {
                // pg_stat_statements(false): without the statement texts, which cost a read of the whole
                // text file; the texts are fetched only when there is a slow statement to list.
                guard let row = try await db.query("""
                    SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(total_exec_time), 0) AS total_ms,
                           count(*) FILTER (WHERE mean_exec_time >= $1) AS slow
                    FROM pg_stat_statements(false) WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """, [.double(context.config.slowQueryThresholdMS)]).rows.first else { return }
                r.counters.statements = row.double("calls")
                r.counters.statementTimeMS = row.double("total_ms")
                r.queryCount = row.int("calls")
                r.slowQueriesCount = row.int("slow").map(Int.init)
                r.statementSource = "pg_stat_statements"
                r.engineStatementStatistics = true
                if (r.slowQueriesCount ?? 0) > 0 {
                    r.slowQueries = try await SlowQueryReader.postgres(db, thresholdMS: context.config.slowQueryThresholdMS, limit: context.config.slowQueriesLimit)
                }
            } catch let error as DatabaseError where error.code == .other || error.code == .misuse {
                throw ProbeSkipped("pg_stat_statements cannot be read: \(error.message)")
            }
        }
        if context.readSizes {
            // From pg_class rather than pg_stat_user_tables: the view's joins make the size calls 3x slower.
            await reading.probe("table_sizes") { r in
                for row in try await db.query("""
                    SELECT n.nspname AS schemaname, c.relname, pg_total_relation_size(c.oid) AS size
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                    """).rows {
                    if let size = row.int("size") { r.tableSizes[Self.displayName(schema: row.string("schemaname"), table: row.string("relname") ?? "")] = size }
                }
            }
        }
        if context.readSizes { await reading.probe("pg_stat_user_tables") { r in
            for row in try await db.query("SELECT schemaname, relname, seq_scan, coalesce(idx_scan, 0) AS idx_scan FROM pg_stat_user_tables").rows {
                let seq = row.double("seq_scan") ?? 0, idx = row.double("idx_scan") ?? 0
                if seq + idx > 0 { r.indexUsage[Self.displayName(schema: row.string("schemaname"), table: row.string("relname") ?? "")] = idx / (seq + idx) }
            }
        } }
        await reading.probe("pg_locks", note: "lock requests not granted") { r in
            r.lockWaits = try await db.scalar("SELECT count(*) FROM pg_locks WHERE NOT granted")?.int64Value.map(Int.init)
        }
        return reading
    }

    /// `table` for the `public` schema, `schema.table` otherwise.
    static func displayName(schema: String?, table: String) -> String {
        guard let schema, schema != "public" else { return table }
        return schema + "." + table
    }
}
