import DatabaseDriver

/// Reads SQLite's file and page statistics (`page_count`, `freelist_count`, `dbstat` where compiled in)
/// SQLite keeps no statement statistics: `ServerStatementFallback` adds the server's own record.
struct SQLiteMetricsCollector: MetricsCollector {
    func read(_ db: any DatabaseConnection, _ context: CollectionContext) async throws -> EngineReading {
        var reading = EngineReading()
        reading.checks.append(.skipped("connections", "SQLite is an embedded library: there are no server sessions to count"))
        reading.checks.append(.skipped("cache_hit_ratio", "SQLite keeps page-cache statistics per connection in C only (sqlite3_db_status); SQL cannot read them"))
        reading.checks.append(.skipped("lock_waits", "SQLite has no lock-wait statistics; writers wait on busy_timeout"))
        await reading.probe("pragma.page_count") { r in
            let pageSize = try await db.scalar("PRAGMA page_size")?.int64Value ?? 0
            let pages = try await db.scalar("PRAGMA page_count")?.int64Value ?? 0
            let free = try await db.scalar("PRAGMA freelist_count")?.int64Value ?? 0
            r.totalBytes = pageSize * pages
            r.freeBytes = pageSize * free
            r.usedBytes = pageSize * (pages - free)
        }
        if context.readSizes { await reading.probe("dbstat", note: "table sizes include their indexes") { r in
            let rows: [Row]
            do {
                rows = try await db.query("""
                    SELECT m.tbl_name AS name, SUM(s.pgsize) AS size FROM dbstat AS s
                    JOIN sqlite_schema AS m ON m.name = s.name
                    WHERE m.type IN ('table', 'index') AND m.tbl_name NOT LIKE 'sqlite_%'
                    GROUP BY m.tbl_name
                    """).rows
            } catch let error as DatabaseError where error.message.contains("dbstat") {
                throw ProbeSkipped("this SQLite library was built without the dbstat virtual table (SQLITE_ENABLE_DBSTAT_VTAB)")
            }
            for row in rows { if let name = row.string("name"), let size = row.int("size") { r.tableSizes[name] = size } }
        } }
        return reading
    }
}
