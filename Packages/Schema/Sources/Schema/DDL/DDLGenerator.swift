import DatabaseDriver

/// Writes a schema as DDL for one dialect: types, domains and sequences first, then tables in
/// dependency order with their keys and constraints, foreign keys that close a cycle as `ALTER TABLE`,
/// then indexes and views.
///
/// The output is deterministic: tables, indexes and views are ordered by dependency and then by name,
/// so the same schema always gives the same bytes. Every identifier goes through `Dialect.quote`.
public struct DDLGenerator: Sendable {
    public var dialect: Dialect
    public var schema: SchemaDefinition

    public init(dialect: Dialect, schema: SchemaDefinition) {
        self.dialect = dialect
        self.schema = schema.sorted()
    }

    /// The DDL as statements without trailing semicolons.
    public func statements() -> [String] {
        var out: [String] = []
        out += typeStatements()
        let order = DependencyOrder(schema)
        let breakCycles = dialect != .sqlite
        for name in order.tables {
            guard let table = schema.table(name) else { continue }
            out.append(createTable(table, deferred: breakCycles ? order.deferred : []))
        }
        if breakCycles {
            for ref in order.deferred.sorted(by: { ($0.table, $0.index) < ($1.table, $1.index) }) {
                guard let table = schema.table(ref.table) else { continue }
                out.append("ALTER TABLE \(q(table.name)) ADD " + foreignKeyClause(table.foreignKeys[ref.index], in: table.name))
            }
        }
        for name in order.tables {
            guard let table = schema.table(name) else { continue }
            out += table.indexes.map { createIndex($0, on: table.name) }
        }
        for view in DependencyOrder.views(schema.views) { out += createView(view) }
        return out
    }

    /// The DDL as one script, each statement ending with a semicolon and a newline.
    public func script() -> String {
        statements().map { $0 + ";\n" }.joined()
    }

    func q(_ identifier: String) -> String { dialect.quote(identifier) }

    // MARK: Types, domains, sequences

    func typeStatements() -> [String] {
        guard dialect == .postgresql else { return [] }
        var out: [String] = []
        for e in schema.enums {
            out.append("CREATE TYPE \(q(e.name)) AS ENUM (" + e.values.map(dialect.stringLiteral).joined(separator: ", ") + ")")
        }
        for table in schema.tables {
            for column in table.columns where SQLType.parse(column.type).isInlineEnum {
                let values = SQLType.parse(column.type).inlineValues
                out.append("CREATE TYPE \(q(inlineEnumName(table: table.name, column: column.name))) AS ENUM (" + values.map(dialect.stringLiteral).joined(separator: ", ") + ")")
            }
        }
        for d in schema.domains { out.append(createDomain(d)) }
        for s in schema.sequences { out.append(createSequence(s)) }
        return out
    }

    /// The PostgreSQL type created for a MySQL-style inline enum column.
    func inlineEnumName(table: String, column: String) -> String { ConstraintNames.fit("\(table)_\(column)_enum") }

    func createDomain(_ d: DomainDefinition) -> String {
        var sql = "CREATE DOMAIN \(q(d.name)) AS " + TypeMapping.render(d.baseType, for: dialect, in: SchemaDefinition())
        if let def = d.defaultValue { sql += " DEFAULT " + def.sql(for: dialect) }
        if d.notNull { sql += " NOT NULL" }
        for check in d.checks {
            sql += (check.name.map { " CONSTRAINT \(q($0))" } ?? "") + " CHECK (\(check.expression))"
        }
        return sql
    }

    func createSequence(_ s: SequenceDefinition) -> String {
        var sql = "CREATE SEQUENCE \(q(s.name)) INCREMENT BY \(s.increment)"
        sql += s.minValue.map { " MINVALUE \($0)" } ?? " NO MINVALUE"
        sql += s.maxValue.map { " MAXVALUE \($0)" } ?? " NO MAXVALUE"
        sql += " START WITH \(s.start) CACHE \(s.cache)" + (s.cycle ? " CYCLE" : "")
        return sql
    }

    // MARK: Tables

    /// True when SQLite should declare the key inline as `INTEGER PRIMARY KEY AUTOINCREMENT`.
    func sqliteInlineAutoIncrement(_ table: TableDefinition) -> String? {
        guard dialect == .sqlite, let pk = table.primaryKey, pk.columns.count == 1,
              let column = table.column(pk.columns[0]), column.autoIncrement, SQLType.parse(column.type).isInteger else { return nil }
        return column.name
    }

    func createTable(_ table: TableDefinition, deferred: Set<DependencyOrder.ForeignKeyRef>) -> String {
        var lines: [String] = []
        let inlinePK = sqliteInlineAutoIncrement(table)
        for column in table.columns {
            lines.append(columnDefinition(column, in: table, inlinePrimaryKey: column.name == inlinePK))
        }
        if let pk = table.primaryKey, inlinePK == nil {
            let cols = pk.columns.map(q).joined(separator: ", ")
            lines.append(dialect == .mysql ? "PRIMARY KEY (\(cols))" : "CONSTRAINT \(q(ConstraintNames.primaryKey(table))) PRIMARY KEY (\(cols))")
        }
        for u in table.uniqueConstraints {
            lines.append("CONSTRAINT \(q(ConstraintNames.unique(u, in: table.name))) UNIQUE (" + u.columns.map(q).joined(separator: ", ") + ")")
        }
        for check in table.checkConstraints {
            lines.append("CONSTRAINT \(q(ConstraintNames.check(check, in: table))) CHECK (\(check.expression))")
        }
        for (i, fk) in table.foreignKeys.enumerated() where !deferred.contains(.init(table: table.name, index: i)) {
            lines.append(foreignKeyClause(fk, in: table.name))
        }
        return "CREATE TABLE \(q(table.name)) (\n    " + lines.joined(separator: ",\n    ") + "\n)"
    }

    /// One column's definition: name, type, NOT NULL, default, auto-increment, ON UPDATE, and for SQLite
    /// the enum CHECK that stands in for an enum type.
    func columnDefinition(_ column: ColumnDefinition, in table: TableDefinition, inlinePrimaryKey: Bool = false) -> String {
        let type = SQLType.parse(column.type)
        var typeSQL = TypeMapping.render(column.type, for: dialect, in: schema,
                                         inlineEnumName: inlineEnumName(table: table.name, column: column.name))
        if column.autoIncrement && dialect == .postgresql && type.isInteger {
            typeSQL = type.base == "bigint" ? "bigserial" : (type.base == "smallint" || type.base == "tinyint") ? "smallserial" : "serial"
        }
        if inlinePrimaryKey { typeSQL = "INTEGER" }
        var sql = "\(q(column.name)) \(typeSQL)"
        if !column.nullable || inlinePrimaryKey { sql += " NOT NULL" }
        if inlinePrimaryKey { sql += " PRIMARY KEY AUTOINCREMENT" }
        if let def = column.defaultValue, !(column.autoIncrement && dialect == .postgresql) {
            sql += " DEFAULT " + defaultSQL(def)
        }
        if column.autoIncrement && dialect == .mysql { sql += " AUTO_INCREMENT" }
        if let onUpdate = column.onUpdate, dialect == .mysql { sql += " ON UPDATE \(onUpdate)" }
        if dialect == .sqlite {
            let values = schema.enumType(type.base)?.values ?? (type.base == "enum" ? type.inlineValues : nil)
            if let values {
                sql += " CHECK (\(q(column.name)) IN (" + values.map(dialect.stringLiteral).joined(separator: ", ") + "))"
            }
        }
        return sql
    }

    /// A default as this dialect writes it; SQLite needs parentheses around any expression that is not a
    /// plain keyword.
    func defaultSQL(_ value: ColumnDefault) -> String {
        let sql = value.sql(for: dialect)
        if dialect == .sqlite, case .expression(let e) = value, !SQLText.isBareWord(e) { return "(\(e))" }
        if dialect == .mysql, case .expression(let e) = value, !SQLText.isBareWord(e), ColumnDefault.timeKeyword(e) == nil { return "(\(e))" }
        return sql
    }

    func foreignKeyClause(_ fk: ForeignKey, in table: String) -> String {
        var sql = "CONSTRAINT \(q(ConstraintNames.foreignKey(fk, in: table))) FOREIGN KEY (" + fk.columns.map(q).joined(separator: ", ")
            + ") REFERENCES \(q(fk.referencedTable)) (" + fk.referencedColumns.map(q).joined(separator: ", ") + ")"
        if fk.onDelete != .noAction { sql += " ON DELETE \(fk.onDelete.rawValue)" }
        if fk.onUpdate != .noAction { sql += " ON UPDATE \(fk.onUpdate.rawValue)" }
        return sql
    }

    // MARK: Indexes and views

    func createIndex(_ index: IndexDefinition, on table: String) -> String {
        let entries = index.columns.map { IndexDefinition.isExpression($0) ? $0 : q($0) }.joined(separator: ", ")
        var sql = "CREATE "
        switch (dialect, index.method) {
        case (.mysql, "fulltext"): sql += "FULLTEXT "
        case (.mysql, "spatial"): sql += "SPATIAL "
        default: if index.unique { sql += "UNIQUE " }
        }
        sql += "INDEX \(q(index.name)) ON \(q(table))"
        if dialect == .postgresql, let method = index.method { sql += " USING \(method)" }
        sql += " (\(entries))"
        if dialect == .mysql, let method = index.method, method == "hash" { sql += " USING HASH" }
        if dialect != .mysql, let predicate = index.predicate { sql += " WHERE \(predicate)" }
        return sql
    }

    func createView(_ view: ViewDefinition) -> [String] {
        let body = view.definition.trimmingTrailingSemicolons()
        if view.materialized && dialect == .postgresql {
            return ["CREATE MATERIALIZED VIEW \(q(view.name)) AS\n\(body)"] + view.indexes.map { createIndex($0, on: view.name) }
        }
        return ["CREATE VIEW \(q(view.name)) AS\n\(body)"]
    }
}

extension String {
    /// The text without trailing whitespace and semicolons.
    func trimmingTrailingSemicolons() -> String {
        var s = Substring(self)
        while let last = s.last, last == ";" || last.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

extension SchemaDefinition {
    /// The spec's `to_sql(dialect)`: the schema as a DDL script for `dialect`. Deterministic.
    public func toSQL(dialect: Dialect = .postgresql) -> String {
        DDLGenerator(dialect: dialect, schema: self).script()
    }
}
