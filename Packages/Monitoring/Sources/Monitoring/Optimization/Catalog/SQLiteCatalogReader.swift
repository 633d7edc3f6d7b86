import DatabaseDriver

/// Reads tables, indexes and foreign keys through SQLite's `pragma_*` table-valued functions.
enum SQLiteCatalogReader {
    static func read(_ db: any DatabaseConnection) async throws -> SchemaCatalog {
        var catalog = SchemaCatalog(dialect: .sqlite)
        catalog.notes.append(.skipped("index_usage", "SQLite keeps no index usage statistics: unused indexes cannot be detected"))
        let d = Dialect.sqlite
        let hasStat1 = try await db.scalar("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'") != nil
        let analyzedTables = hasStat1 ? Set(try await db.query("SELECT DISTINCT tbl FROM sqlite_stat1").rows.compactMap { $0.values.first?.stringValue }) : []
        var sizes: [String: Int64] = [:]
        if let rows = try? await db.query("""
            SELECT m.tbl_name AS name, SUM(s.pgsize) AS size FROM dbstat AS s JOIN sqlite_schema AS m ON m.name = s.name GROUP BY m.tbl_name
            """).rows {
            for row in rows { if let n = row.string("name") { sizes[n] = row.int("size") } }
        }
        let names = try await db.query("""
            SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """).rows.compactMap { $0.values.first?.stringValue }
        for name in names {
            var table = SchemaCatalog.Table(schema: nil, name: name)
            table.sizeBytes = sizes[name]
            table.rows = try await db.scalar("SELECT count(*) FROM \(d.quote(name))")?.doubleValue
            for row in try await db.query("SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info(?)", [.text(name)]).rows {
                table.columns.append(.init(name: row.string("name") ?? "", type: row.string("type") ?? "", nullable: !(row["nn"]?.boolValue ?? false)))
                if (row.int("pk") ?? 0) > 0 { table.hasPrimaryKey = true }
            }
            let fkRows = try await db.query("SELECT id, \"table\" AS ref, \"from\" AS col FROM pragma_foreign_key_list(?) ORDER BY id, seq", [.text(name)]).rows
            var fkByID: [Int64: SchemaCatalog.ForeignKey] = [:]
            for row in fkRows {
                let id = row.int("id") ?? 0
                if fkByID[id] == nil { fkByID[id] = .init(schema: nil, table: name, name: "\(name)_fk\(id)", columns: [], referencedTable: row.string("ref") ?? "") }
                fkByID[id]?.columns.append(row.string("col") ?? "")
            }
            catalog.foreignKeys += fkByID.keys.sorted().compactMap { fkByID[$0] }
            let sql = try await db.scalar("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", [.text(name)])?.stringValue ?? ""
            table.hasConstraints = !fkRows.isEmpty || sql.uppercased().contains("UNIQUE") || sql.uppercased().contains("CHECK")
            if (table.rows ?? 0) > 0 { table.neverAnalyzed = !analyzedTables.contains(name) }
            for row in try await db.query("SELECT name, \"unique\" AS u, origin, partial FROM pragma_index_list(?)", [.text(name)]).rows {
                let indexName = row.string("name") ?? ""
                let info = try await db.query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", [.text(indexName)]).rows
                let columns = info.map { $0.string("name") }
                let definition = try await db.scalar("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", [.text(indexName)])?.stringValue
                let origin = row.string("origin") ?? "c"
                catalog.indexes.append(.init(
                    schema: nil, table: name, name: indexName, columns: columns.contains(nil) ? [] : columns.compactMap { $0 },
                    unique: row["u"]?.boolValue ?? false, primary: origin == "pk", backsConstraint: origin != "c",
                    special: columns.contains(nil) || (row["partial"]?.boolValue ?? false), method: "btree", scans: nil, sizeBytes: sizes[indexName],
                    definition: definition ?? ""))
            }
            catalog.tables.append(table)
        }
        return catalog
    }
}
