import DatabaseDriver

/// Writes the SQL for a list of changes in one dialect.
///
/// PostgreSQL and MySQL use `ALTER TABLE` for everything. SQLite's `ALTER TABLE` can only rename and add
/// simple columns, so any other change to a table rebuilds it (create the new shape, copy the rows, drop
/// the old table, rename the new one, recreate its indexes), with views dropped and recreated around it
/// and `PRAGMA foreign_keys = OFF` for the duration, as SQLite's documentation prescribes.
public struct MigrationSQL: Sendable {
    public var dialect: Dialect
    let differ: SchemaDiffer

    public init(dialect: Dialect, differ: SchemaDiffer) {
        self.dialect = dialect
        self.differ = differ
    }

    /// The statements (no trailing semicolons). Throws `unsupportedChange` for a change the dialect cannot make.
    public func statements() throws -> [String] {
        let changes = differ.changes()
        return dialect == .sqlite ? try sqlite(changes) : try alterStatements(changes)
    }

    private var current: SchemaDefinition { differ.renamedCurrent() }
    private var target: SchemaDefinition { differ.to }
    private var ddl: DDLGenerator { DDLGenerator(dialect: dialect, schema: target) }
    private func q(_ s: String) -> String { dialect.quote(s) }

    // MARK: PostgreSQL and MySQL

    private func alterStatements(_ changes: [SchemaChange]) throws -> [String] {
        var out: [String] = []
        for change in changes { out += try sql(for: change) }
        return out
    }

    func sql(for change: SchemaChange) throws -> [String] {
        let pg = dialect == .postgresql
        switch change {
        case .createEnum(let e):
            return pg ? ["CREATE TYPE \(q(e.name)) AS ENUM (" + e.values.map(dialect.stringLiteral).joined(separator: ", ") + ")"] : []
        case .dropEnum(let e):
            return pg ? ["DROP TYPE \(q(e.name))"] : []
        case .alterEnum(let a, let b):
            return pg ? alterEnumPostgres(a, b) : enumColumnsModify(b.name)
        case .createDomain(let d):
            return pg ? [ddl.createDomain(d)] : []
        case .dropDomain(let d):
            return pg ? ["DROP DOMAIN \(q(d.name))"] : []
        case .createSequence(let s):
            guard pg else { throw unsupported("sequence \(s.name)", "\(dialect.rawValue) has no free-standing sequences") }
            return [ddl.createSequence(s)]
        case .dropSequence(let s):
            return pg ? ["DROP SEQUENCE \(q(s.name))"] : []
        case .alterSequence(_, let s):
            var sql = "ALTER SEQUENCE \(q(s.name)) INCREMENT BY \(s.increment)"
            sql += s.minValue.map { " MINVALUE \($0)" } ?? " NO MINVALUE"
            sql += s.maxValue.map { " MAXVALUE \($0)" } ?? " NO MAXVALUE"
            sql += " START WITH \(s.start) CACHE \(s.cache)" + (s.cycle ? " CYCLE" : " NO CYCLE")
            return [sql]
        case .createTable(let t):
            return [ddl.createTable(t, deferred: [])] + t.indexes.map { ddl.createIndex($0, on: t.name) }
        case .dropTable(let t):
            return ["DROP TABLE \(q(t.name))"]
        case .renameTable(let a, let b):
            return ["ALTER TABLE \(q(a)) RENAME TO \(q(b))"]
        case .addColumn(let t, let c):
            return ["ALTER TABLE \(q(t)) ADD COLUMN " + ddl.columnDefinition(c, in: targetTable(t))]
        case .dropColumn(let t, let c):
            return ["ALTER TABLE \(q(t)) DROP COLUMN \(q(c.name))"]
        case .renameColumn(let t, let a, let b):
            return ["ALTER TABLE \(q(t)) RENAME COLUMN \(q(a)) TO \(q(b))"]
        case .alterColumn(let t, let a, let b):
            return pg ? alterColumnPostgres(t, a, b) : ["ALTER TABLE \(q(t)) MODIFY COLUMN " + ddl.columnDefinition(b, in: targetTable(t))]
        case .addPrimaryKey(let t, let pk):
            let cols = pk.columns.map(q).joined(separator: ", ")
            return pg ? ["ALTER TABLE \(q(t)) ADD CONSTRAINT \(q(ConstraintNames.primaryKey(targetTable(t)))) PRIMARY KEY (\(cols))"]
                : ["ALTER TABLE \(q(t)) ADD PRIMARY KEY (\(cols))"]
        case .dropPrimaryKey(let t, _):
            return pg ? ["ALTER TABLE \(q(t)) DROP CONSTRAINT \(q(ConstraintNames.primaryKey(currentTable(t))))"]
                : ["ALTER TABLE \(q(t)) DROP PRIMARY KEY"]
        case .addForeignKey(let t, let fk):
            return ["ALTER TABLE \(q(t)) ADD " + ddl.foreignKeyClause(fk, in: t)]
        case .dropForeignKey(let t, let fk):
            let name = q(ConstraintNames.foreignKey(fk, in: t))
            return [pg ? "ALTER TABLE \(q(t)) DROP CONSTRAINT \(name)" : "ALTER TABLE \(q(t)) DROP FOREIGN KEY \(name)"]
        case .addUnique(let t, let u):
            return ["ALTER TABLE \(q(t)) ADD CONSTRAINT \(q(ConstraintNames.unique(u, in: t))) UNIQUE (" + u.columns.map(q).joined(separator: ", ") + ")"]
        case .dropUnique(let t, let u):
            let name = q(ConstraintNames.unique(u, in: t))
            return [pg ? "ALTER TABLE \(q(t)) DROP CONSTRAINT \(name)" : "ALTER TABLE \(q(t)) DROP INDEX \(name)"]
        case .addCheck(let t, let c):
            return ["ALTER TABLE \(q(t)) ADD CONSTRAINT \(q(ConstraintNames.check(c, in: targetTable(t)))) CHECK (\(c.expression))"]
        case .dropCheck(let t, let c):
            return ["ALTER TABLE \(q(t)) DROP CONSTRAINT \(q(ConstraintNames.check(c, in: currentTable(t))))"]
        case .createIndex(let t, let i):
            return [ddl.createIndex(i, on: t)]
        case .dropIndex(let t, let i):
            return [dialect == .mysql ? "DROP INDEX \(q(i.name)) ON \(q(t))" : "DROP INDEX \(q(i.name))"]
        case .createView(let v):
            return ddl.createView(v)
        case .dropView(let v):
            return [(v.materialized && pg) ? "DROP MATERIALIZED VIEW \(q(v.name))" : "DROP VIEW \(q(v.name))"]
        }
    }

    private func targetTable(_ name: String) -> TableDefinition { target.table(name) ?? TableDefinition(name: name) }
    private func currentTable(_ name: String) -> TableDefinition { current.table(name) ?? TableDefinition(name: name) }

    private func unsupported(_ location: String, _ message: String) -> SchemaError {
        SchemaError(.unsupportedChange, "\(location): \(message)", location: location)
    }

    private func alterColumnPostgres(_ t: String, _ a: ColumnDefinition, _ b: ColumnDefinition) -> [String] {
        let prefix = "ALTER TABLE \(q(t)) ALTER COLUMN \(q(b.name))"
        var out: [String] = []
        let typeChanged = !ColumnComparison.sameType(a, b)
        let defaultChanged = a.defaultValue?.comparisonKey != b.defaultValue?.comparisonKey
        if typeChanged {
            if a.defaultValue != nil && !a.autoIncrement { out.append("\(prefix) DROP DEFAULT") }
            let type = TypeMapping.render(b.type, for: .postgresql, in: target, inlineEnumName: ddl.inlineEnumName(table: t, column: b.name))
            let enumSource = target.enumType(SQLType.parse(b.type).base) != nil || current.enumType(SQLType.parse(a.type).base) != nil
            out.append("\(prefix) TYPE \(type) USING \(q(b.name))\(enumSource ? "::text" : "")::\(type)")
        }
        if a.nullable != b.nullable { out.append("\(prefix) \(b.nullable ? "DROP" : "SET") NOT NULL") }
        if a.autoIncrement != b.autoIncrement {
            let sequence = ConstraintNames.fit("\(t)_\(b.name)_seq")
            if b.autoIncrement {
                out.append("CREATE SEQUENCE \(q(sequence)) OWNED BY \(q(t)).\(q(b.name))")
                out.append("\(prefix) SET DEFAULT nextval(\(dialect.stringLiteral(q(sequence)))::regclass)")
                out.append("SELECT setval(\(dialect.stringLiteral(q(sequence))), COALESCE(MAX(\(q(b.name))), 0) + 1, false) FROM \(q(t))")
            } else {
                out.append("\(prefix) DROP DEFAULT")
                out.append("DROP SEQUENCE IF EXISTS \(q(sequence))")
            }
        }
        if !b.autoIncrement && (defaultChanged || (typeChanged && a.defaultValue != nil)) {
            if let d = b.defaultValue { out.append("\(prefix) SET DEFAULT \(ddl.defaultSQL(d))") }
            else if !typeChanged || a.autoIncrement { out.append("\(prefix) DROP DEFAULT") }
        }
        return out
    }

    /// PostgreSQL: appending values is `ALTER TYPE ... ADD VALUE`; any other change builds a new type and
    /// converts the columns through text.
    private func alterEnumPostgres(_ a: EnumDefinition, _ b: EnumDefinition) -> [String] {
        let added = b.values.filter { !a.values.contains($0) }
        if b.values.filter({ a.values.contains($0) }) == a.values {
            return added.map { value in
                let i = b.values.firstIndex(of: value)!
                let position = i > 0 ? " AFTER " + dialect.stringLiteral(b.values[i - 1]) : " BEFORE " + dialect.stringLiteral(b.values[1])
                return "ALTER TYPE \(q(b.name)) ADD VALUE \(dialect.stringLiteral(value))" + position
            }
        }
        let old = ConstraintNames.fit(b.name + "__dbm_old")
        var out = ["ALTER TYPE \(q(b.name)) RENAME TO \(q(old))",
                   "CREATE TYPE \(q(b.name)) AS ENUM (" + b.values.map(dialect.stringLiteral).joined(separator: ", ") + ")"]
        for table in target.tables {
            for column in table.columns where SQLType.unqualified(SQLType.parse(column.type).base) == b.name {
                let prefix = "ALTER TABLE \(q(table.name)) ALTER COLUMN \(q(column.name))"
                if column.defaultValue != nil { out.append("\(prefix) DROP DEFAULT") }
                out.append("\(prefix) TYPE \(q(b.name)) USING \(q(column.name))::text::\(q(b.name))")
                if let d = column.defaultValue { out.append("\(prefix) SET DEFAULT \(ddl.defaultSQL(d))") }
            }
        }
        out.append("DROP TYPE \(q(old))")
        return out
    }

    /// MySQL inlines enums: changing one modifies every column of that type.
    private func enumColumnsModify(_ name: String) -> [String] {
        target.tables.flatMap { table in
            table.columns.filter { SQLType.parse($0.type).base == name }.map {
                "ALTER TABLE \(q(table.name)) MODIFY COLUMN " + ddl.columnDefinition($0, in: table)
            }
        }
    }

    // MARK: SQLite

    private func sqlite(_ changes: [SchemaChange]) throws -> [String] {
        var rebuild: Set<String> = []
        for change in changes {
            switch change {
            case .alterColumn(let t, _, _), .dropColumn(let t, _), .addPrimaryKey(let t, _), .dropPrimaryKey(let t, _),
                 .addForeignKey(let t, _), .dropForeignKey(let t, _), .addUnique(let t, _), .dropUnique(let t, _),
                 .addCheck(let t, _), .dropCheck(let t, _):
                if target.table(t) != nil && current.table(t) != nil { rebuild.insert(t) }
            case .addColumn(let t, let c):
                if !simpleSQLiteColumn(c, in: targetTable(t)) { rebuild.insert(t) }
            case .alterEnum(let e, _):
                for table in target.tables where table.columns.contains(where: { SQLType.parse($0.type).base == e.name }) && current.table(table.name) != nil {
                    rebuild.insert(table.name)
                }
            default: break
            }
        }
        var out: [String] = []
        var droppedViews: Set<String> = []
        if !rebuild.isEmpty {
            out.append("PRAGMA foreign_keys = OFF")
            for view in DependencyOrder.views(current.views).reversed() {
                out.append("DROP VIEW \(q(view.name))")
                droppedViews.insert(view.name)
            }
        }
        for change in changes {
            switch change {
            case .createSequence(let s):
                throw unsupported("sequence \(s.name)", "SQLite has no free-standing sequences")
            case .createEnum, .dropEnum, .alterEnum, .createDomain, .dropDomain, .dropSequence, .alterSequence:
                continue
            case .dropView(let v) where droppedViews.contains(v.name):
                continue
            case .createView where !rebuild.isEmpty:
                continue
            case .alterColumn(let t, _, _), .dropColumn(let t, _), .addPrimaryKey(let t, _), .dropPrimaryKey(let t, _),
                 .addForeignKey(let t, _), .dropForeignKey(let t, _), .addUnique(let t, _), .dropUnique(let t, _),
                 .addCheck(let t, _), .dropCheck(let t, _), .createIndex(let t, _), .dropIndex(let t, _), .addColumn(let t, _):
                if rebuild.contains(t) { continue }
                out += try sql(for: change)
            default:
                out += try sql(for: change)
            }
        }
        for name in rebuild.sorted() { out += rebuildTable(name) }
        if !rebuild.isEmpty {
            for view in DependencyOrder.views(target.views) { out += ddl.createView(view) }
            out.append("PRAGMA foreign_keys = ON")
        }
        return out
    }

    /// True when SQLite's `ADD COLUMN` can add `column`: no key, a constant default, and NOT NULL only
    /// with a non-null default.
    private func simpleSQLiteColumn(_ column: ColumnDefinition, in table: TableDefinition) -> Bool {
        if table.isPrimaryKeyColumn(column.name) || column.autoIncrement { return false }
        if table.uniqueConstraints.contains(where: { $0.columns.contains(column.name) }) { return false }
        if table.foreignKeys.contains(where: { $0.columns.contains(column.name) }) { return false }
        switch column.defaultValue {
        case .expression?: return false
        case nil, .null?: return column.nullable
        default: return true
        }
    }

    /// The twelve-step rebuild: new table, copy, drop, rename, indexes.
    private func rebuildTable(_ name: String) -> [String] {
        guard let newTable = target.table(name), let oldTable = current.table(name) else { return [] }
        let temp = "_dbm_new_\(name)"
        var create = ddl.createTable(newTable, deferred: [])
        let prefix = "CREATE TABLE \(q(name)) ("
        if create.hasPrefix(prefix) { create = "CREATE TABLE \(q(temp)) (" + create.dropFirst(prefix.count) }
        let copied = newTable.columns.filter { oldTable.column($0.name) != nil }.map { q($0.name) }.joined(separator: ", ")
        return [
            create,
            "INSERT INTO \(q(temp)) (\(copied)) SELECT \(copied) FROM \(q(name))",
            "DROP TABLE \(q(name))",
            "ALTER TABLE \(q(temp)) RENAME TO \(q(name))",
        ] + newTable.indexes.map { ddl.createIndex($0, on: name) }
    }
}
