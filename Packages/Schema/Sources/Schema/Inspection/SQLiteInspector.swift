import DatabaseDriver
import Foundation

/// Reads a SQLite schema from `sqlite_schema`, `pragma_table_xinfo` and `pragma_foreign_key_list` (one
/// query for the schema and two per table: SQLite has no catalog covering all tables at once), plus the
/// `CREATE` statements for what the pragmas leave out.
struct SQLiteInspector {
    let reader: CatalogReader

    func inspect() async throws -> SchemaDefinition {
        var schema = SchemaDefinition(databaseType: .sqlite)
        let objects = try await reader.rows("""
            SELECT type, name, tbl_name, sql FROM sqlite_schema
            WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid
            """)
        var indexSQL: [String: [(String, String)]] = [:]
        for row in objects where row.text(0) == "index" {
            if let sql = row.string(3) { indexSQL[row.text(2), default: []].append((row.text(1), sql)) }
        }
        for row in objects {
            let kind = row.text(0), name = row.text(1)
            switch kind {
            case "table":
                let sql = row.text(3)
                if sql.uppercased().hasPrefix("CREATE VIRTUAL TABLE") {
                    schema.unsupportedObjects.append(UnsupportedObject(kind: "virtual_table", name: name, reason: "virtual tables are not modelled"))
                    continue
                }
                var table = try await readTable(name, sql: sql, indexes: indexSQL[name] ?? [], into: &schema)
                table.normalizePrimaryKeyNullability()
                schema.tables.append(table)
            case "view":
                schema.views.append(ViewDefinition(name: name, definition: Self.viewBody(row.text(3))))
            case "trigger":
                schema.unsupportedObjects.append(UnsupportedObject(kind: "trigger", name: name, table: row.string(2), reason: "triggers are not modelled"))
            default: break
            }
        }
        // Tables created as shadows of virtual tables (fts5 and the like) are the virtual table's business.
        let virtual = schema.unsupportedObjects.filter { $0.kind == "virtual_table" }.map(\.name)
        schema.tables.removeAll { table in virtual.contains { table.name.hasPrefix($0 + "_") } }
        return schema
    }

    private func readTable(_ name: String, sql: String, indexes: [(String, String)], into schema: inout SchemaDefinition) async throws -> TableDefinition {
        let parsed = SQLiteTableParser.parseTable(sql)
        var table = TableDefinition(name: name)
        var pkColumns: [(Int64, String)] = []
        for row in try await reader.rows("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid", [.text(name)]) {
            var column = ColumnDefinition(name: row.text(0), type: SQLType.canonical(row.text(1), dialect: .sqlite), nullable: !row.bool(2))
            if let def = row.string(3) { column.defaultValue = ColumnDefault(sql: def) }
            if let pk = row.int(4), pk > 0 { pkColumns.append((pk, column.name)) }
            if (row.int(5) ?? 0) >= 2 {
                schema.unsupportedObjects.append(UnsupportedObject(kind: "generated_column", name: column.name, table: name, reason: "generated column; kept as a plain column"))
            }
            if column.name == parsed.autoIncrementColumn { column.autoIncrement = true }
            table.columns.append(column)
        }
        if !pkColumns.isEmpty {
            table.primaryKey = PrimaryKey(name: parsed.primaryKeyName, columns: pkColumns.sorted { $0.0 < $1.0 }.map(\.1))
        }
        // Foreign keys: one row per column, grouped by id; ids count down from the last declared.
        var fks: [Int64: ForeignKey] = [:]
        for row in try await reader.rows("SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq", [.text(name)]) {
            let id = row.int(0) ?? 0
            var fk = fks[id] ?? ForeignKey(columns: [], referencedTable: row.text(2), referencedColumns: [],
                                           onDelete: ForeignKeyAction(spelling: row.text(6)) ?? .noAction,
                                           onUpdate: ForeignKeyAction(spelling: row.text(5)) ?? .noAction)
            fk.columns.append(row.text(3))
            // A reference without columns means the target's primary key.
            if let to = row.string(4) { fk.referencedColumns.append(to) }
            fks[id] = fk
        }
        for id in fks.keys.sorted(by: >) {
            guard var fk = fks[id] else { continue }
            fk.name = parsed.foreignKeyNames[[fk.referencedTable] + fk.columns]
            table.foreignKeys.append(fk)
        }
        table.uniqueConstraints = parsed.uniques
        table.checkConstraints = parsed.checks
        for (indexName, indexSQL) in indexes {
            let parsedIndex = SQLiteTableParser.parseIndex(indexSQL)
            if parsedIndex.ordered {
                schema.unsupportedObjects.append(UnsupportedObject(kind: "index_option", name: indexName, table: name, reason: "DESC ordering is not modelled; kept without it"))
            }
            let unique = indexSQL.uppercased().hasPrefix("CREATE UNIQUE")
            table.indexes.append(IndexDefinition(name: indexName, columns: parsedIndex.columns, unique: unique, predicate: parsedIndex.predicate))
        }
        return table
    }

    /// The `SELECT` of a `CREATE VIEW name AS SELECT ...` statement.
    static func viewBody(_ sql: String) -> String {
        if let range = sql.range(of: #"\bAS\b\s*"#, options: [.regularExpression, .caseInsensitive]) {
            return String(sql[range.upperBound...]).trimmingTrailingSemicolons()
        }
        return sql
    }
}
