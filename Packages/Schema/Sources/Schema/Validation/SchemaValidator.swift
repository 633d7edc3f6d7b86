import DatabaseDriver

/// Checks a schema for one dialect: dangling references, duplicate names, tables without a primary key,
/// types the dialect does not know, foreign key cycles, reserved words, and features the dialect lacks.
public struct SchemaValidator: Sendable {
    public var dialect: Dialect

    public init(dialect: Dialect) { self.dialect = dialect }

    /// All findings, errors first, each in schema order.
    public func issues(_ schema: SchemaDefinition) -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        var tableNames: Set<String> = []
        for table in schema.tables {
            if !tableNames.insert(table.name).inserted { out.append(.init(.error, table.name, "duplicate table name")) }
            out += checkTable(table, in: schema)
        }
        for view in schema.views where tableNames.contains(view.name) {
            out.append(.init(.error, "view \(view.name)", "a table has the same name"))
        }
        out += duplicateSchemaWideNames(schema)
        for cycle in DependencyOrder(schema).cycles {
            let how = dialect == .sqlite ? "SQLite accepts it because it checks references only when rows change"
                : "dbm adds the closing foreign key with ALTER TABLE after the tables exist"
            out.append(.init(.warning, cycle[0], "circular foreign key dependency " + cycle.joined(separator: " → ") + "; " + how))
        }
        if dialect != .postgresql {
            for s in schema.sequences { out.append(.init(.error, "sequence \(s.name)", "\(dialect.rawValue) has no free-standing sequences")) }
        }
        for e in schema.enums where e.values.isEmpty { out.append(.init(.error, "enum \(e.name)", "an enum needs at least one value")) }
        return out.filter { $0.severity == .error } + out.filter { $0.severity == .warning }
    }

    /// The findings as the spec's list of strings.
    public func validate(_ schema: SchemaDefinition) -> [String] { issues(schema).map(\.description) }

    private func checkTable(_ table: TableDefinition, in schema: SchemaDefinition) -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        let t = table.name
        out += checkIdentifier(t, location: t, role: "table name")
        if table.columns.isEmpty { out.append(.init(.error, t, "a table needs at least one column")) }
        var columnNames: Set<String> = []
        for column in table.columns {
            let loc = "\(t).\(column.name)"
            if !columnNames.insert(column.name).inserted { out.append(.init(.error, loc, "duplicate column name")) }
            out += checkIdentifier(column.name, location: loc, role: "column name")
            out += checkType(column.type, location: loc, schema: schema)
            let type = SQLType.parse(column.type)
            if column.autoIncrement {
                if !type.isInteger { out.append(.init(.error, loc, "auto_increment needs an integer type, not \(column.type)")) }
                if dialect == .sqlite, table.primaryKey?.columns != [column.name] {
                    out.append(.init(.error, loc, "SQLite can auto-increment only a single-column INTEGER PRIMARY KEY"))
                }
                if dialect == .mysql, !(table.primaryKey?.columns.first == column.name || table.uniqueConstraints.contains { $0.columns.first == column.name } || table.indexes.contains { $0.columns.first == column.name }) {
                    out.append(.init(.error, loc, "MySQL needs an AUTO_INCREMENT column to be the first column of a key"))
                }
            }
            if column.onUpdate != nil && dialect != .mysql {
                out.append(.init(.warning, loc, "ON UPDATE \(column.onUpdate ?? "") is MySQL-only; \(dialect.rawValue) needs a trigger, which dbm does not write"))
            }
            if case .expression(let e)? = column.defaultValue, dialect == .mysql, ColumnDefault.timeKeyword(e) == nil, !SQLText.isBareWord(e) {
                out.append(.init(.warning, loc, "MySQL accepts expression defaults only from 8.0.13 and MariaDB 10.2"))
            }
        }
        if let pk = table.primaryKey {
            if pk.columns.isEmpty { out.append(.init(.error, t, "the primary key names no columns")) }
            for c in pk.columns where !columnNames.contains(c) {
                out.append(.init(.error, "\(t).\(pk.name ?? "primary key")", "primary key column '\(c)' does not exist"))
            }
        } else {
            out.append(.init(.warning, t, "table has no primary key; rows cannot be identified for updates, replication or diffs of data"))
        }
        for fk in table.foreignKeys {
            let loc = "\(t).\(ConstraintNames.foreignKey(fk, in: t))"
            for c in fk.columns where !columnNames.contains(c) {
                out.append(.init(.error, loc, "foreign key column '\(c)' does not exist"))
            }
            guard let target = schema.table(fk.referencedTable) else {
                out.append(.init(.error, loc, "references table '\(fk.referencedTable)', which the schema does not define"))
                continue
            }
            if fk.columns.count != fk.referencedColumns.count {
                out.append(.init(.error, loc, "has \(fk.columns.count) columns but references \(fk.referencedColumns.count)"))
            }
            for c in fk.referencedColumns where target.column(c) == nil {
                out.append(.init(.error, loc, "references column '\(fk.referencedTable).\(c)', which does not exist"))
            }
            let keyed = target.primaryKey?.columns == fk.referencedColumns
                || target.uniqueConstraints.contains { $0.columns == fk.referencedColumns }
                || target.indexes.contains { $0.unique && $0.columns == fk.referencedColumns && $0.predicate == nil }
            if !keyed && fk.referencedColumns.allSatisfy({ target.column($0) != nil }) {
                out.append(.init(.error, loc, "references \(fk.referencedTable)(\(fk.referencedColumns.joined(separator: ", "))), which is not its primary key or a unique key"))
            }
            for (c, r) in zip(fk.columns, fk.referencedColumns) {
                if let a = table.column(c), let b = target.column(r), !compatible(a.type, b.type) {
                    out.append(.init(.warning, loc, "column \(c) (\(a.type)) and \(fk.referencedTable).\(r) (\(b.type)) have different types"))
                }
            }
            if (fk.onDelete == .setNull || fk.onUpdate == .setNull), fk.columns.contains(where: { table.column($0)?.nullable == false }) {
                out.append(.init(.error, loc, "ON DELETE/UPDATE SET NULL on a NOT NULL column"))
            }
        }
        for u in table.uniqueConstraints {
            for c in u.columns where !columnNames.contains(c) {
                out.append(.init(.error, "\(t).\(ConstraintNames.unique(u, in: t))", "unique constraint column '\(c)' does not exist"))
            }
        }
        for index in table.indexes {
            let loc = "\(t).\(index.name)"
            out += checkIdentifier(index.name, location: loc, role: "index name")
            if index.columns.isEmpty { out.append(.init(.error, loc, "the index names no columns")) }
            for c in index.columns where !IndexDefinition.isExpression(c) && !columnNames.contains(c) {
                out.append(.init(.error, loc, "index column '\(c)' does not exist"))
            }
            if index.predicate != nil && dialect == .mysql {
                out.append(.init(.error, loc, "MySQL has no partial indexes (WHERE)"))
            }
            if index.columns.contains(where: IndexDefinition.isExpression) && dialect == .mysql {
                out.append(.init(.warning, loc, "expression indexes need MySQL 8.0.13; MariaDB has none"))
            }
        }
        return out
    }

    private func compatible(_ a: String, _ b: String) -> Bool {
        let ta = SQLType.parse(a), tb = SQLType.parse(b)
        if ta.isInteger && tb.isInteger { return true }
        return ta.base == tb.base
    }

    private func checkType(_ typeText: String, location: String, schema: SchemaDefinition) -> [ValidationIssue] {
        let type = SQLType.parse(typeText)
        if schema.enumType(type.base) != nil || schema.domain(type.base) != nil { return [] }
        if TypeMapping.knownTypes(dialect).contains(type.base) {
            if type.arrayDimensions > 0 && dialect != .postgresql {
                return [.init(.warning, location, "\(dialect.rawValue) has no array types; \(typeText) is stored as JSON text")]
            }
            if type.base == "varchar" && type.arguments.isEmpty && dialect == .mysql {
                return [.init(.warning, location, "MySQL needs a VARCHAR length; dbm writes TEXT")]
            }
            return []
        }
        return [.init(.error, location, "type '\(typeText)' is not known to \(dialect.rawValue) and is not an enum or domain of this schema")]
    }

    private func checkIdentifier(_ name: String, location: String, role: String) -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        do { try dialect.validateIdentifier(name, role: role) } catch {
            out.append(.init(.error, location, error.message))
        }
        if ReservedWords.isReserved(name, in: dialect) {
            out.append(.init(.warning, location, "'\(name)' is a reserved word in \(dialect.rawValue); dbm quotes it, hand-written SQL must too"))
        }
        return out
    }

    /// Index names are unique per schema on PostgreSQL and SQLite; constraint names (foreign keys, checks)
    /// per database on MySQL.
    private func duplicateSchemaWideNames(_ schema: SchemaDefinition) -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        var seen: [String: String] = [:]
        func note(_ name: String, _ owner: String, _ what: String) {
            if let previous = seen[name], previous != owner {
                out.append(.init(.error, "\(owner).\(name)", "\(what) name '\(name)' is also used on \(previous)"))
            } else { seen[name] = owner }
        }
        for table in schema.tables {
            if dialect != .mysql {
                for index in table.indexes { note(index.name, table.name, "index") }
            }
            if dialect == .postgresql {
                for u in table.uniqueConstraints { note(ConstraintNames.unique(u, in: table.name), table.name, "unique constraint") }
                if table.primaryKey != nil { note(ConstraintNames.primaryKey(table), table.name, "primary key") }
            }
            if dialect == .mysql {
                for fk in table.foreignKeys { note(ConstraintNames.foreignKey(fk, in: table.name), table.name, "foreign key") }
            }
        }
        return out
    }
}

extension SchemaDefinition {
    /// The spec's `validate()`: findings for `databaseType` (PostgreSQL when unset), as strings.
    public func validate(dialect: Dialect? = nil) -> [String] {
        SchemaValidator(dialect: dialect ?? databaseType ?? .postgresql).validate(self)
    }
}
