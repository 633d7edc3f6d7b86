import DatabaseDriver
import Foundation

/// Reads a MySQL or MariaDB schema from `information_schema` in eight queries, whatever the number of
/// tables: server flavour, tables, columns, key columns, index columns, checks, views, and the objects
/// the model does not cover (routines, triggers, events, partitions).
struct MySQLInspector {
    let reader: CatalogReader

    func inspect() async throws -> SchemaDefinition {
        var schema = SchemaDefinition(databaseType: .mysql)
        let info = try await reader.rows("SELECT DATABASE(), VERSION()")
        let database = info.first?.string(0) ?? ""
        let isMariaDB = info.first?.text(1).lowercased().contains("mariadb") ?? false
        let args: StatementArguments = [.text(database)]

        var tables: [String: TableDefinition] = [:]
        var order: [String] = []
        for row in try await reader.rows("""
            SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME
            """, args) where row.text(1) == "BASE TABLE" {
            tables[row.text(0)] = TableDefinition(name: row.text(0))
            order.append(row.text(0))
        }

        for row in try await reader.rows("""
            SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION
            """, args) {
            let table = row.text(0)
            guard tables[table] != nil else { continue }
            var column = ColumnDefinition(name: row.text(1), type: SQLType.canonical(row.text(2), dialect: .mysql),
                                          nullable: row.text(3) == "YES")
            let extra = row.text(5).lowercased()
            if let def = row.string(4), def.uppercased() != "NULL" || !column.nullable {
                // MySQL 8 reports string defaults unquoted unless DEFAULT_GENERATED; MariaDB quotes them.
                if isMariaDB || extra.contains("default_generated") || ColumnDefault.timeKeyword(def) != nil {
                    column.defaultValue = ColumnDefault(sql: def)
                } else if SQLText.numberPrefixEnd(def) == def.endIndex {
                    column.defaultValue = .number(def)
                } else {
                    column.defaultValue = .string(def)
                }
            }
            if extra.contains("auto_increment") { column.autoIncrement = true }
            if let range = extra.range(of: "on update ") {
                let expression = String(extra[range.upperBound...]).trimmingCharacters(in: .whitespaces)
                column.onUpdate = ColumnDefault.timeKeyword(expression) ?? expression
            }
            if extra.contains("generated") && !(row.string(6) ?? "").isEmpty {
                schema.unsupportedObjects.append(UnsupportedObject(kind: "generated_column", name: column.name, table: table,
                    reason: "generated column (\(row.text(6))); kept as a plain column"))
            }
            tables[table]?.columns.append(column)
        }

        // Key columns: one row per column of each primary key, unique key and foreign key.
        struct Key { var type: String; var columns: [String] = []; var refTable: String?; var refColumns: [String] = []; var update = ""; var delete = "" }
        var keys: [String: [(String, Key)]] = [:]
        for row in try await reader.rows("""
            SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME,
                   k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE
            FROM information_schema.KEY_COLUMN_USAGE k
            JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA
                 AND tc.TABLE_NAME = k.TABLE_NAME AND tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME
            LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA
                 AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
            WHERE k.TABLE_SCHEMA = ? ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION
            """, args) {
            let table = row.text(0), name = row.text(1)
            var list = keys[table] ?? []
            if list.last?.0 != name { list.append((name, Key(type: row.text(2)))) }
            list[list.count - 1].1.columns.append(row.text(3))
            if let ref = row.string(4) {
                list[list.count - 1].1.refTable = ref
                list[list.count - 1].1.refColumns.append(row.text(5))
                list[list.count - 1].1.update = row.text(6)
                list[list.count - 1].1.delete = row.text(7)
            }
            keys[table] = list
        }
        for (table, list) in keys where tables[table] != nil {
            for (name, key) in list {
                switch key.type {
                case "PRIMARY KEY": tables[table]?.primaryKey = PrimaryKey(columns: key.columns)
                case "UNIQUE": tables[table]?.uniqueConstraints.append(UniqueConstraint(name: name, columns: key.columns))
                case "FOREIGN KEY":
                    tables[table]?.foreignKeys.append(ForeignKey(
                        name: name, columns: key.columns, referencedTable: key.refTable ?? "", referencedColumns: key.refColumns,
                        onDelete: ForeignKeyAction(spelling: key.delete) ?? .noAction, onUpdate: ForeignKeyAction(spelling: key.update) ?? .noAction))
                default: break
                }
            }
        }

        // Indexes that are not keys. An index MySQL created for a foreign key carries the key's name.
        var indexes: [String: [(String, IndexDefinition)]] = [:]
        for row in try await reader.rows("""
            SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE, COLLATION
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
            """, args) {
            let table = row.text(0), name = row.text(1)
            guard let definition = tables[table], name != "PRIMARY" else { continue }
            if definition.uniqueConstraints.contains(where: { $0.name == name }) { continue }
            if row.string(4) != nil || row.string(6) == "D" {
                schema.unsupportedObjects.append(UnsupportedObject(kind: "index_option", name: name, table: table,
                    reason: "prefix length or descending order on \(row.text(3)) is not modelled; kept without it"))
            }
            var list = indexes[table] ?? []
            if list.last?.0 != name {
                let method = row.text(5).lowercased()
                list.append((name, IndexDefinition(name: name, columns: [], unique: !row.bool(2), method: method == "btree" ? nil : method)))
            }
            list[list.count - 1].1.columns.append(row.text(3))
            indexes[table] = list
        }
        for (table, list) in indexes {
            let fks = tables[table]?.foreignKeys ?? []
            for (name, index) in list where !fks.contains(where: { $0.name == name && $0.columns == index.columns }) {
                tables[table]?.indexes.append(index)
            }
        }

        let checkSQL = isMariaDB
            ? "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME, CONSTRAINT_NAME"
            : """
              SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS cc
              JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA
                   AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
              WHERE cc.CONSTRAINT_SCHEMA = ? ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME
              """
        for row in try await reader.rows(checkSQL, args) {
            let table = row.text(0), name = row.text(1), clause = row.text(2)
            guard var definition = tables[table] else { continue }
            // MariaDB's JSON is LONGTEXT with CHECK (json_valid(col)) named after the column.
            if let i = definition.columns.firstIndex(where: { $0.name == name }),
               SQLText.expressionKey(clause) == "json_valid" + SQLText.expressionKey(name) {
                definition.columns[i].type = "json"
            } else {
                definition.checkConstraints.append(CheckConstraint(name: name, expression: clause))
            }
            tables[table] = definition
        }

        for row in try await reader.rows("""
            SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME
            """, args) {
            let qualifier = Dialect.mysql.quote(database) + "."
            schema.views.append(ViewDefinition(name: row.text(0), definition: row.text(1).replacingOccurrences(of: qualifier, with: "")))
        }

        for row in try await reader.rows("""
            SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME, NULL, 'routines are not modelled'
              FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
            UNION ALL
            SELECT 'trigger', TRIGGER_NAME, EVENT_OBJECT_TABLE, 'triggers are not modelled'
              FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
            UNION ALL
            SELECT 'event', EVENT_NAME, NULL, 'events are not modelled' FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?
            UNION ALL
            SELECT 'partition', PARTITION_NAME, TABLE_NAME, 'partitions are not modelled; the table is kept as a plain table'
              FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = ? AND PARTITION_NAME IS NOT NULL
            ORDER BY 1, 2
            """, [.text(database), .text(database), .text(database), .text(database)]) {
            schema.unsupportedObjects.append(UnsupportedObject(kind: row.text(0), name: row.text(1), table: row.string(2), reason: row.text(3)))
        }

        for name in order {
            guard var table = tables[name] else { continue }
            table.normalizePrimaryKeyNullability()
            schema.tables.append(table)
        }
        return schema
    }
}
