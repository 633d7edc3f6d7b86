import DatabaseDriver
import Foundation

/// Reads a PostgreSQL schema from `pg_catalog` in eight queries, whatever the number of tables:
/// relations (with view definitions), columns, constraints, indexes, enums, domains, sequences, and the
/// objects the model does not cover.
struct PostgreSQLInspector {
    let reader: CatalogReader
    let schemaName: String

    func inspect() async throws -> SchemaDefinition {
        var schema = SchemaDefinition(databaseType: .postgresql)
        let args: StatementArguments = [.text(schemaName)]
        var tables: [String: TableDefinition] = [:]
        var tableOrder: [String] = []

        for row in try await reader.rows(Self.relationsSQL, args) {
            let name = row.text(0), kind = row.text(1)
            switch kind {
            case "r", "p":
                if row.bool(2) {
                    schema.unsupportedObjects.append(UnsupportedObject(kind: "partition", name: name, table: row.string(4),
                        reason: "a partition of \(row.string(4) ?? "a partitioned table"); partitions are not modelled"))
                    continue
                }
                tables[name] = TableDefinition(name: name)
                tableOrder.append(name)
                if kind == "p" {
                    schema.unsupportedObjects.append(UnsupportedObject(kind: "partitioning", name: name, table: name,
                        reason: "partitioned by \(row.text(3)); the model keeps it as a plain table"))
                }
            case "v", "m":
                schema.views.append(ViewDefinition(name: name, definition: row.text(5).trimmingTrailingSemicolons().trimmingCharacters(in: .whitespacesAndNewlines), materialized: kind == "m"))
            case "f":
                schema.unsupportedObjects.append(UnsupportedObject(kind: "foreign_table", name: name, reason: "foreign tables are not modelled"))
            default: break
            }
        }

        // Sequences first: an owned sequence behind a nextval() default makes its column auto-increment.
        var ownedSequences: Set<String> = []
        var sequences: [SequenceDefinition] = []
        for row in try await reader.rows(Self.sequencesSQL, args) {
            if row.bool(7) { ownedSequences.insert(row.text(0)); continue }
            sequences.append(SequenceDefinition(name: row.text(0), start: row.int(1) ?? 1, increment: row.int(2) ?? 1,
                                                minValue: row.int(3), maxValue: row.int(4), cache: row.int(5) ?? 1, cycle: row.bool(6)))
        }

        for row in try await reader.rows(Self.columnsSQL, args) {
            let tableName = row.text(0)
            guard tables[tableName] != nil else { continue }
            let typeKind = row.text(3)
            var type = (typeKind == "e" || typeKind == "d") ? row.text(4) : SQLType.canonical(row.text(2), dialect: .postgresql)
            if row.text(2).hasSuffix("[]") && (typeKind == "e" || typeKind == "d") { type += "[]" }
            var column = ColumnDefinition(name: row.text(1), type: type, nullable: !row.bool(5))
            if let def = row.string(6) {
                if let sequence = Self.nextvalSequence(def), ownedSequences.contains(sequence) {
                    column.autoIncrement = true
                } else {
                    column.defaultValue = ColumnDefault(sql: def)
                }
            }
            if !row.text(7).isEmpty { column.autoIncrement = true }
            if !row.text(8).isEmpty {
                schema.unsupportedObjects.append(UnsupportedObject(kind: "generated_column", name: column.name, table: tableName,
                    reason: "generated column (\(row.string(6) ?? "")); kept as a plain column"))
                column.defaultValue = nil
            }
            tables[tableName]?.columns.append(column)
        }

        for row in try await reader.rows(Self.constraintsSQL, args) {
            let tableName = row.text(0)
            guard tables[tableName] != nil else { continue }
            let name = row.text(1), columns = row.stringArray(4)
            switch row.text(2) {
            case "p": tables[tableName]?.primaryKey = PrimaryKey(name: name, columns: columns)
            case "u": tables[tableName]?.uniqueConstraints.append(UniqueConstraint(name: name, columns: columns))
            case "f":
                tables[tableName]?.foreignKeys.append(ForeignKey(
                    name: name, columns: columns, referencedTable: row.text(5), referencedColumns: row.stringArray(6),
                    onDelete: Self.action(row.text(8)), onUpdate: Self.action(row.text(7))))
            case "c":
                tables[tableName]?.checkConstraints.append(CheckConstraint(name: name, expression: Self.checkExpression(row.text(3))))
            default:
                schema.unsupportedObjects.append(UnsupportedObject(kind: "constraint", name: name, table: tableName,
                    reason: "constraint \(row.text(3)) (kind \(row.text(2))) is not modelled"))
            }
        }

        var viewIndexes: [String: [IndexDefinition]] = [:]
        for row in try await reader.rows(Self.indexesSQL, args) {
            let tableName = row.text(0)
            let index = IndexDefinition(name: row.text(1), columns: row.stringArray(5), unique: row.bool(2),
                                        method: row.text(3), predicate: row.string(4))
            if row.bool(6) {
                schema.unsupportedObjects.append(UnsupportedObject(kind: "index_option", name: index.name, table: tableName,
                    reason: "DESC/NULLS ordering, collation, operator class or INCLUDE columns are not modelled; kept without them"))
            }
            if tables[tableName] != nil { tables[tableName]?.indexes.append(index) }
            else if schema.views.contains(where: { $0.name == tableName }) { viewIndexes[tableName, default: []].append(index) }
        }
        for i in schema.views.indices { schema.views[i].indexes = viewIndexes[schema.views[i].name] ?? [] }

        for row in try await reader.rows(Self.enumsSQL, args) {
            schema.enums.append(EnumDefinition(name: row.text(0), values: row.stringArray(1)))
        }
        for row in try await reader.rows(Self.domainsSQL, args) {
            var checks: [CheckConstraint] = []
            if let text = row.string(4), let data = text.data(using: .utf8), let pairs = try? JSONDecoder().decode([[String]].self, from: data) {
                checks = pairs.filter { $0.count == 2 }.map { CheckConstraint(name: $0[0], expression: Self.checkExpression($0[1])) }
            }
            schema.domains.append(DomainDefinition(name: row.text(0), baseType: SQLType.canonical(row.text(1), dialect: .postgresql),
                                                   notNull: row.bool(2), defaultValue: row.string(3).map(ColumnDefault.init(sql:)), checks: checks))
        }
        schema.sequences = sequences
        for row in try await reader.rows(Self.unsupportedSQL, args) {
            schema.unsupportedObjects.append(UnsupportedObject(kind: row.text(0), name: row.text(1), table: row.string(2), reason: row.text(3)))
        }
        for name in tableOrder {
            guard var table = tables[name] else { continue }
            table.normalizePrimaryKeyNullability()
            schema.tables.append(table)
        }
        return schema
    }

    /// The sequence in `nextval('name'::regclass)`, unqualified.
    static func nextvalSequence(_ expression: String) -> String? {
        guard expression.hasPrefix("nextval('"), let end = expression.range(of: "'::regclass)") else { return nil }
        let inner = String(expression[expression.index(expression.startIndex, offsetBy: 9)..<end.lowerBound])
        return SQLType.unqualified(inner)
    }

    static func action(_ code: String) -> ForeignKeyAction {
        switch code {
        case "r": .restrict
        case "c": .cascade
        case "n": .setNull
        case "d": .setDefault
        default: .noAction
        }
    }

    /// `CHECK ((price > 0))` → `(price > 0)`, without `NOT VALID`.
    static func checkExpression(_ definition: String) -> String {
        var text = definition.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("CHECK ") { text = String(text.dropFirst(6)) }
        if text.hasSuffix(" NOT VALID") { text = String(text.dropLast(10)) }
        if text.hasPrefix("("), SQLText.matchingParenthesis(in: text, from: text.startIndex) == text.index(before: text.endIndex) {
            text = String(text.dropFirst().dropLast())
        }
        return text
    }

    static let relationsSQL = """
        SELECT c.relname::text, c.relkind::text, c.relispartition,
               CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
               (SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid LIMIT 1),
               CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
        ORDER BY c.oid
        """

    static let columnsSQL = """
        SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), t.typtype::text,
               CASE WHEN t.typcategory = 'A' THEN et.typname ELSE t.typname END::text,
               a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.oid, a.attnum
        """

    static let constraintsSQL = """
        SELECT c.relname::text, con.conname::text, con.contype::text, pg_get_constraintdef(con.oid, true),
               (SELECT json_agg(a.attname ORDER BY k.o) FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n)::text,
               cf.relname::text,
               (SELECT json_agg(a.attname ORDER BY k.o) FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n)::text,
               con.confupdtype::text, con.confdeltype::text
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_class cf ON cf.oid = con.confrelid
        WHERE n.nspname = $1 AND NOT c.relispartition AND con.contype IN ('p', 'u', 'f', 'c', 'x')
        ORDER BY c.oid, con.conname
        """

    static let indexesSQL = """
        SELECT c.relname::text, ic.relname::text, i.indisunique, am.amname::text, pg_get_expr(i.indpred, i.indrelid),
               (SELECT json_agg(CASE WHEN i.indkey[k - 1] = 0 THEN '(' || pg_get_indexdef(i.indexrelid, k, true) || ')'
                                     ELSE (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]) END
                                ORDER BY k)
                  FROM generate_series(1, i.indnkeyatts) k)::text,
               (i.indnatts > i.indnkeyatts OR EXISTS (SELECT 1 FROM unnest(i.indoption) o WHERE o <> 0)
                  OR EXISTS (SELECT 1 FROM unnest(i.indcollation) cl WHERE cl <> 0 AND cl <> 100))
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_am am ON am.oid = ic.relam
        WHERE n.nspname = $1 AND NOT c.relispartition AND c.relkind IN ('r', 'p', 'm')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
        ORDER BY c.oid, ic.relname
        """

    static let enumsSQL = """
        SELECT t.typname::text, json_agg(e.enumlabel ORDER BY e.enumsortorder)::text
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE n.nspname = $1
        GROUP BY t.typname ORDER BY t.typname
        """

    static let domainsSQL = """
        SELECT t.typname::text, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
               (SELECT json_agg(json_build_array(con.conname, pg_get_constraintdef(con.oid, true)) ORDER BY con.conname)
                  FROM pg_constraint con WHERE con.contypid = t.oid)::text
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 AND t.typtype = 'd'
        ORDER BY t.typname
        """

    static let sequencesSQL = """
        SELECT c.relname::text, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
               EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                         AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i'))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
        WHERE n.nspname = $1 AND c.relkind = 'S'
        ORDER BY c.relname
        """

    static let unsupportedSQL = """
        SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'p' THEN 'procedure' WHEN 'w' THEN 'window_function' ELSE 'function' END,
               p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', NULL::text,
               'routines are not modelled'
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        UNION ALL
        SELECT 'trigger', t.tgname::text, c.relname::text, 'triggers are not modelled'
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT t.tgisinternal AND NOT c.relispartition
        UNION ALL
        SELECT 'rule', r.rulename::text, c.relname::text, 'rules are not modelled'
        FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND r.rulename <> '_RETURN'
        UNION ALL
        SELECT 'type', t.typname::text, NULL, 'composite and range types are not modelled'
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 AND (t.typtype = 'r' OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))
        ORDER BY 1, 2
        """
}
