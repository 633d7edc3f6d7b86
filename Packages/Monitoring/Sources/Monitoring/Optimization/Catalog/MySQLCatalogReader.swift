import DatabaseDriver

/// Reads tables, indexes, foreign keys and AUTO_INCREMENT headroom from `information_schema`, and index
/// usage from `performance_schema`.
enum MySQLCatalogReader {
    static func read(_ db: any DatabaseConnection) async throws -> SchemaCatalog {
        var catalog = SchemaCatalog(dialect: .mysql)
        let constraints = try await db.query("""
            SELECT TABLE_NAME AS t, CONSTRAINT_TYPE AS kind FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE()
            """).rows
        let analyzed = Set((try? await db.query("SELECT table_name FROM mysql.innodb_table_stats WHERE database_name = DATABASE()").rows)?
            .compactMap { $0.values.first?.stringValue } ?? [])
        var autoIncrement: [String: Double] = [:]
        for row in try await db.query("""
            SELECT TABLE_NAME AS name, TABLE_ROWS AS row_count, DATA_LENGTH + INDEX_LENGTH AS size, DATA_FREE AS free,
                   ENGINE AS engine, AUTO_INCREMENT AS next_id
            FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME
            """).rows {
            let name = row.string("name") ?? ""
            let kinds = constraints.filter { $0.string("t") == name }.compactMap { $0.string("kind") }
            catalog.tables.append(.init(
                schema: nil, name: name, rows: row.double("row_count"), sizeBytes: row.int("size"), freeBytes: row.int("free"),
                hasPrimaryKey: kinds.contains("PRIMARY KEY"),
                hasConstraints: kinds.contains { $0 == "FOREIGN KEY" || $0 == "UNIQUE" || $0 == "CHECK" },
                neverAnalyzed: row.string("engine") == "InnoDB" ? !analyzed.contains(name) : nil))
            if let next = row.double("next_id") { autoIncrement[name] = next }
        }
        var autoColumns: [String: String] = [:]
        for row in try await db.query("""
            SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, EXTRA AS extra
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION
            """).rows {
            let table = row.string("t") ?? ""
            if let i = catalog.tables.firstIndex(where: { $0.name == table }) {
                catalog.tables[i].columns.append(.init(name: row.string("c") ?? "", type: row.string("type") ?? "", nullable: row.string("nullable") == "YES"))
            }
            if (row.string("extra") ?? "").contains("auto_increment") { autoColumns[table] = row.string("type") }
        }
        for (table, next) in autoIncrement {
            guard let type = autoColumns[table], let max = maxValue(columnType: type) else { continue }
            catalog.sequences.append(.init(name: "\(table).AUTO_INCREMENT", table: table, lastValue: next - 1, maxValue: max))
        }

        var usage: [String: Double] = [:]
        if (try await db.scalar("SELECT @@performance_schema"))?.boolValue == true {
            do {
                for row in try await db.query("""
                    SELECT OBJECT_NAME AS t, INDEX_NAME AS i, COUNT_STAR AS n FROM performance_schema.table_io_waits_summary_by_index_usage
                    WHERE OBJECT_SCHEMA = DATABASE() AND INDEX_NAME IS NOT NULL
                    """).rows {
                    usage[(row.string("t") ?? "") + "." + (row.string("i") ?? "")] = row.double("n") ?? 0
                }
                catalog.indexUsageAvailable = true
                catalog.notes.append(.ok("index_usage", "performance_schema index I/O since the server started"))
            } catch let error as DatabaseError {
                catalog.notes.append(.skipped("index_usage", "performance_schema index usage cannot be read: \(error.message)"))
            }
        } else {
            catalog.notes.append(.skipped("index_usage", "performance_schema is OFF: unused indexes cannot be detected"))
        }

        struct Key: Hashable { var table: String; var name: String }
        var order: [Key] = []
        var parts: [Key: (columns: [String], unique: Bool, method: String, subParts: [Int64?])] = [:]
        for row in try await db.query("""
            SELECT TABLE_NAME AS t, INDEX_NAME AS i, COLUMN_NAME AS c, NON_UNIQUE AS non_unique, SUB_PART AS sub_part, INDEX_TYPE AS method
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
            """).rows {
            let key = Key(table: row.string("t") ?? "", name: row.string("i") ?? "")
            if parts[key] == nil { order.append(key); parts[key] = ([], !(row["non_unique"]?.boolValue ?? true), row.string("method") ?? "BTREE", []) }
            parts[key]?.columns.append(row.string("c") ?? "")
            parts[key]?.subParts.append(row.int("sub_part"))
        }
        let d = Dialect.mysql
        for key in order {
            guard let p = parts[key] else { continue }
            let cols = zip(p.columns, p.subParts).map { c, sub in d.quote(c) + (sub.map { "(\($0))" } ?? "") }.joined(separator: ", ")
            let kind = p.method == "FULLTEXT" ? "FULLTEXT " : p.method == "SPATIAL" ? "SPATIAL " : p.unique ? "UNIQUE " : ""
            let primary = key.name == "PRIMARY"
            catalog.indexes.append(.init(
                schema: nil, table: key.table, name: key.name, columns: p.subParts.contains { $0 != nil } ? [] : p.columns,
                unique: p.unique, primary: primary, backsConstraint: primary || p.unique,
                special: p.subParts.contains { $0 != nil } || p.method != "BTREE", method: p.method,
                scans: catalog.indexUsageAvailable ? (usage[key.table + "." + key.name] ?? 0) : nil, sizeBytes: nil,
                definition: "CREATE \(kind)INDEX \(d.quote(key.name)) ON \(d.quote(key.table)) (\(cols))"))
        }
        var fks: [String: SchemaCatalog.ForeignKey] = [:]
        var fkOrder: [String] = []
        for row in try await db.query("""
            SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS name, COLUMN_NAME AS c, REFERENCED_TABLE_NAME AS ref
            FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL
            ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION
            """).rows {
            let key = (row.string("t") ?? "") + "." + (row.string("name") ?? "")
            if fks[key] == nil {
                fkOrder.append(key)
                fks[key] = .init(schema: nil, table: row.string("t") ?? "", name: row.string("name") ?? "", columns: [], referencedTable: row.string("ref") ?? "")
            }
            fks[key]?.columns.append(row.string("c") ?? "")
        }
        catalog.foreignKeys = fkOrder.compactMap { fks[$0] }
        return catalog
    }

    /// The largest value an integer column type holds (`int(11) unsigned` → 4294967295).
    static func maxValue(columnType: String) -> Double? {
        let t = columnType.lowercased()
        let unsigned = t.contains("unsigned")
        let bits: Double
        if t.hasPrefix("tinyint") { bits = 8 } else if t.hasPrefix("smallint") { bits = 16 } else if t.hasPrefix("mediumint") { bits = 24 }
        else if t.hasPrefix("int") { bits = 32 } else if t.hasPrefix("bigint") { bits = 64 } else { return nil }
        return unsigned ? pow2(bits) - 1 : pow2(bits - 1) - 1
    }

    private static func pow2(_ n: Double) -> Double { (0..<Int(n)).reduce(1.0) { v, _ in v * 2 } }
}
