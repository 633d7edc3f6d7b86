import DatabaseDriver

/// The table rules: primary keys, partitioning, stale statistics, bloat and fragmentation, sequence
/// headroom, and heavy sequential scans.
enum TableRules {
    /// File 003's "Primary Key Validation".
    static func missingPrimaryKeys(_ catalog: SchemaCatalog) -> [OptimizationFinding] {
        catalog.tables.filter { !$0.hasPrimaryKey }.map { table in
            OptimizationFinding(rule: "missing_primary_key", categories: [.performance], severity: .warning, table: table.displayName,
                description: "table \(table.displayName) has no primary key",
                recommendation: "add a primary key (a surrogate `id` column when no natural key exists); replication, updates and tools rely on it",
                evidence: ["rows": table.rows ?? 0])
        }
    }

    /// File 003's "Large Table Partitioning": tables over 10 million rows or 2 GiB.
    static func partitioning(_ catalog: SchemaCatalog) -> [OptimizationFinding] {
        catalog.tables.filter { ($0.rows ?? 0) >= 10_000_000 || ($0.sizeBytes ?? 0) >= 2 << 30 }.map { table in
            let dateColumn = table.columns.first { $0.type.lowercased().contains("date") || $0.type.lowercased().contains("time") }
            return OptimizationFinding(rule: "partitioning", categories: [.performance, .maintenance], severity: .info, table: table.displayName,
                description: "table \(table.displayName) is large (\(Int64(table.rows ?? 0)) rows, \((table.sizeBytes ?? 0) >> 20) MiB)",
                recommendation: dateColumn.map { "partition \(table.displayName) by range of \($0.name), so queries and retention touch only recent partitions" }
                    ?? "partition \(table.displayName) by a key most queries filter on (range for time, hash for ids)",
                evidence: ["rows": table.rows ?? 0, "size_bytes": Double(table.sizeBytes ?? 0)])
        }
    }

    /// Statistics never gathered, or (PostgreSQL) more than 10% + 50 rows changed since the last ANALYZE.
    static func staleStatistics(_ catalog: SchemaCatalog) -> [OptimizationFinding] {
        catalog.tables.compactMap { table in
            let rows = table.rows ?? 0
            let changed = table.modifiedSinceAnalyze ?? 0
            let stale = (table.neverAnalyzed == true && rows > 0) || changed > 50 + 0.1 * rows
            guard stale else { return nil }
            let sql: String = switch catalog.dialect {
            case .postgresql: "ANALYZE \(table.sqlName(.postgresql))"
            case .mysql: "ANALYZE TABLE \(table.sqlName(.mysql))"
            case .sqlite: "ANALYZE \(table.sqlName(.sqlite))"
            }
            return OptimizationFinding(rule: "stale_statistics", categories: [.maintenance, .performance], severity: .warning, table: table.displayName,
                description: table.neverAnalyzed == true ? "table \(table.displayName) has never been analyzed"
                    : "\(Int64(changed)) rows of \(table.displayName) changed since its statistics were gathered",
                recommendation: "gather statistics so the planner estimates row counts correctly", sql: sql, automatic: true,
                evidence: ["rows": rows, "modified_since_analyze": changed])
        }
    }

    /// Dead rows (PostgreSQL), reclaimable space (MariaDB `DATA_FREE`), free pages (SQLite freelist).
    static func bloat(_ catalog: SchemaCatalog, sqliteFreeBytes: Int64?, sqliteTotalBytes: Int64?) -> [OptimizationFinding] {
        switch catalog.dialect {
        case .postgresql:
            return catalog.tables.compactMap { table in
                let dead = table.deadRows ?? 0, live = table.rows ?? 0
                guard dead > 1000, dead > 0.2 * live else { return nil }
                return OptimizationFinding(rule: "table_bloat", categories: [.storage, .maintenance], severity: .warning, table: table.displayName,
                    description: "\(Int64(dead)) dead rows in \(table.displayName) (\(Int64(live)) live)",
                    recommendation: "VACUUM (ANALYZE) \(table.displayName) so the space is reused; pg_repack returns it to the OS without a long lock",
                    sql: "VACUUM (ANALYZE) \(table.sqlName(.postgresql))", automatic: true, evidence: ["dead_rows": dead, "live_rows": live])
            }
        case .mysql:
            return catalog.tables.compactMap { table in
                let free = table.freeBytes ?? 0, size = table.sizeBytes ?? 0
                guard free >= 4 << 20, Double(free) > 0.2 * Double(size) else { return nil }
                return OptimizationFinding(rule: "table_bloat", categories: [.storage, .maintenance], severity: .warning, table: table.displayName,
                    description: "\(free >> 20) MiB reclaimable in \(table.displayName) (\(size >> 20) MiB used)",
                    recommendation: "OPTIMIZE TABLE \(table.displayName) rebuilds it and returns the space (locks it briefly)",
                    sql: "OPTIMIZE TABLE \(table.sqlName(.mysql))", automatic: true, evidence: ["free_bytes": Double(free), "size_bytes": Double(size)])
            }
        case .sqlite:
            guard let free = sqliteFreeBytes, let total = sqliteTotalBytes, free >= 64 << 10, Double(free) > 0.1 * Double(total) else { return [] }
            return [OptimizationFinding(rule: "freelist", categories: [.storage, .maintenance], severity: .warning,
                description: "\(free >> 10) KiB of the \(total >> 10) KiB file are free pages",
                recommendation: "VACUUM rewrites the file without the free pages (needs as much free disk as the file)",
                sql: "VACUUM", automatic: true, evidence: ["free_bytes": Double(free), "total_bytes": Double(total)])]
        }
    }

    /// Sequences and AUTO_INCREMENT counters past 75% of their type's range.
    static func sequenceExhaustion(_ catalog: SchemaCatalog) -> [OptimizationFinding] {
        catalog.sequences.compactMap { seq in
            guard seq.maxValue > 0 else { return nil }
            let used = seq.lastValue / seq.maxValue
            guard used >= 0.75 else { return nil }
            return OptimizationFinding(rule: "sequence_exhaustion", categories: [.maintenance], severity: used >= 0.9 ? .critical : .warning,
                table: seq.table, description: "\(seq.name) has used \(Int((used * 100).rounded()))% of its range (\(Int64(seq.lastValue)) of \(Int64(seq.maxValue)))",
                recommendation: "widen the column and its sequence to bigint before inserts start failing",
                evidence: ["last_value": seq.lastValue, "max_value": seq.maxValue])
        }
    }

    /// Large tables read mostly by sequential scans (PostgreSQL statistics).
    static func sequentialScans(_ catalog: SchemaCatalog, threshold: Double) -> [OptimizationFinding] {
        catalog.tables.compactMap { table in
            guard let seq = table.seqScans, let rows = table.rows, rows >= threshold, seq >= 10 else { return nil }
            let idx = table.indexScans ?? 0
            guard seq > idx else { return nil }
            return OptimizationFinding(rule: "sequential_scans", categories: [.query, .performance], severity: .info, table: table.displayName,
                description: "\(table.displayName) (\(Int64(rows)) rows) was read by \(Int64(seq)) sequential scans and \(Int64(idx)) index scans",
                recommendation: "find the statements scanning \(table.displayName) (get_slow_queries) and index the columns they filter on; pass them as `workload` to optimize_database",
                evidence: ["seq_scan": seq, "idx_scan": idx, "rows": rows, "seq_rows_read": table.seqRowsRead ?? 0])
        }
    }
}
