import DatabaseDriver

/// Reads tables, indexes, foreign keys and sequences from `pg_catalog` and the statistics views.
enum PostgreSQLCatalogReader {
    static let userSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"

    static func read(_ db: any DatabaseConnection) async throws -> SchemaCatalog {
        var catalog = SchemaCatalog(dialect: .postgresql)
        catalog.indexUsageAvailable = true
        for row in try await db.query("""
            SELECT n.nspname AS schema, c.relname AS name, c.reltuples AS rows, pg_total_relation_size(c.oid) AS size,
              EXISTS (SELECT 1 FROM pg_constraint p WHERE p.conrelid = c.oid AND p.contype = 'p') AS has_pk,
              EXISTS (SELECT 1 FROM pg_constraint p WHERE p.conrelid = c.oid AND p.contype IN ('u', 'c', 'f', 'x')) AS has_constraints,
              s.seq_scan, s.seq_tup_read, s.idx_scan, s.n_dead_tup, s.n_mod_since_analyze,
              (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL) AS never_analyzed
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND \(userSchemas)
            ORDER BY 1, 2
            """).rows {
            catalog.tables.append(.init(
                schema: row.string("schema"), name: row.string("name") ?? "", rows: row.double("rows").map { max($0, 0) },
                sizeBytes: row.int("size"), hasPrimaryKey: row["has_pk"]?.boolValue ?? false,
                hasConstraints: row["has_constraints"]?.boolValue ?? false, seqScans: row.double("seq_scan"),
                seqRowsRead: row.double("seq_tup_read"), indexScans: row.double("idx_scan"), deadRows: row.double("n_dead_tup"),
                modifiedSinceAnalyze: row.double("n_mod_since_analyze"), neverAnalyzed: row["never_analyzed"]?.boolValue))
        }
        var columns: [String: [SchemaCatalog.Column]] = [:]
        for row in try await db.query("""
            SELECT table_schema, table_name, column_name, data_type, is_nullable FROM information_schema.columns
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY table_schema, table_name, ordinal_position
            """).rows {
            let key = (row.string("table_schema") ?? "") + "." + (row.string("table_name") ?? "")
            columns[key, default: []].append(.init(name: row.string("column_name") ?? "", type: row.string("data_type") ?? "",
                                                   nullable: row.string("is_nullable") == "YES"))
        }
        for i in catalog.tables.indices { catalog.tables[i].columns = columns[(catalog.tables[i].schema ?? "") + "." + catalog.tables[i].name] ?? [] }

        for row in try await db.query("""
            SELECT n.nspname AS schema, t.relname AS table_name, i.relname AS name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
              EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid AND k.contype IN ('p', 'u', 'x')) AS backs_constraint,
              (ix.indexprs IS NOT NULL OR ix.indpred IS NOT NULL) AS special,
              array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey[0:ix.indnkeyatts - 1]) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), chr(31)) AS columns,
              am.amname AS method, pg_get_indexdef(i.oid) AS definition, pg_relation_size(i.oid) AS size, s.idx_scan
            FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
            LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.oid
            WHERE t.relkind IN ('r', 'p') AND NOT t.relispartition AND \(userSchemas)
            ORDER BY 1, 2, 3
            """).rows {
            let special = row["special"]?.boolValue ?? false
            catalog.indexes.append(.init(
                schema: row.string("schema"), table: row.string("table_name") ?? "", name: row.string("name") ?? "",
                columns: special ? [] : (row.string("columns") ?? "").split(separator: "\u{1f}").map(String.init),
                unique: row["is_unique"]?.boolValue ?? false, primary: row["is_primary"]?.boolValue ?? false,
                backsConstraint: row["backs_constraint"]?.boolValue ?? false, special: special, method: row.string("method") ?? "btree",
                scans: row.double("idx_scan"), sizeBytes: row.int("size"), definition: row.string("definition") ?? ""))
        }
        for row in try await db.query("""
            SELECT n.nspname AS schema, t.relname AS table_name, c.conname AS name, rt.relname AS ref_table,
              array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord), chr(31)) AS columns
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_class rt ON rt.oid = c.confrelid
            WHERE c.contype = 'f' AND c.conparentid = 0 AND NOT t.relispartition AND \(userSchemas)
            ORDER BY 1, 2, 3
            """).rows {
            catalog.foreignKeys.append(.init(schema: row.string("schema"), table: row.string("table_name") ?? "", name: row.string("name") ?? "",
                                             columns: (row.string("columns") ?? "").split(separator: "\u{1f}").map(String.init),
                                             referencedTable: row.string("ref_table") ?? ""))
        }
        for row in try await db.query("""
            SELECT s.schemaname AS schema, s.sequencename AS name, s.last_value, s.max_value, t.relname AS owner
            FROM pg_sequences s
            LEFT JOIN pg_depend d ON d.objid = (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass AND d.deptype IN ('a', 'i')
            LEFT JOIN pg_class t ON t.oid = d.refobjid
            WHERE s.last_value IS NOT NULL
            """).rows {
            guard let last = row.double("last_value"), let max = row.double("max_value") else { continue }
            catalog.sequences.append(.init(name: PostgreSQLMetricsCollector.displayName(schema: row.string("schema"), table: row.string("name") ?? ""),
                                           table: row.string("owner"), lastValue: last, maxValue: max))
        }
        if let reset = try await db.scalar("SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()")?.stringValue {
            catalog.notes.append(.ok("index_usage", "index scans counted since \(reset)"))
        } else {
            catalog.notes.append(.ok("index_usage", "index scans counted since the database was created"))
        }
        return catalog
    }
}
