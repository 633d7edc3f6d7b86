import DatabaseDriver

/// Computes the ordered changes that turn one schema into another.
///
/// Renames come from the target's `renamed_from` on tables and columns; nothing else is guessed, so a
/// column that disappears is a drop. The order is the one SQL needs: views and foreign keys that are
/// going away first, then renames, table drops, types, new tables, column changes, keys, foreign keys,
/// indexes, and views last.
public struct SchemaDiffer: Sendable {
    public var from: SchemaDefinition
    public var to: SchemaDefinition
    /// Dialect whose equivalences apply (MySQL: a unique index is a unique constraint).
    public var dialect: Dialect?

    /// Table renames, old name → new name.
    let tableRenames: [String: String]
    /// Column renames per new table name, old column → new column.
    let columnRenames: [String: [String: String]]

    public init(from: SchemaDefinition, to: SchemaDefinition, dialect: Dialect? = nil) {
        self.dialect = dialect ?? to.databaseType ?? from.databaseType
        self.from = from
        self.to = to
        var tables: [String: String] = [:]
        var columns: [String: [String: String]] = [:]
        let oldNames = Set(from.tables.map(\.name))
        for table in to.tables {
            if let old = table.renamedFrom, old != table.name, oldNames.contains(old), !oldNames.contains(table.name) {
                tables[old] = table.name
            }
            let oldTableName = tables.first { $0.value == table.name }?.key ?? table.name
            guard let oldTable = from.table(oldTableName) else { continue }
            for column in table.columns {
                if let old = column.renamedFrom, old != column.name, oldTable.column(old) != nil, oldTable.column(column.name) == nil {
                    columns[table.name, default: [:]][old] = column.name
                }
            }
        }
        tableRenames = tables
        columnRenames = columns
    }

    /// The differ for the way back: target to current, with every rename reversed.
    public func reversed() -> SchemaDiffer {
        var back = to
        var current = from
        // Clear renamed_from on the way back, then mark the current schema's tables/columns as renamed from the new names.
        for i in back.tables.indices {
            back.tables[i].renamedFrom = nil
            for j in back.tables[i].columns.indices { back.tables[i].columns[j].renamedFrom = nil }
        }
        for i in current.tables.indices {
            let oldName = current.tables[i].name
            let newName = tableRenames[oldName] ?? oldName
            current.tables[i].renamedFrom = newName == oldName ? nil : newName
            let renames = columnRenames[newName] ?? [:]
            for j in current.tables[i].columns.indices {
                let c = current.tables[i].columns[j].name
                current.tables[i].columns[j].renamedFrom = renames[c]
            }
        }
        return SchemaDiffer(from: back, to: current, dialect: dialect)
    }

    /// The current schema with the renames applied, so it can be compared to the target name by name.
    func renamedCurrent() -> SchemaDefinition {
        var s = from
        for i in s.tables.indices {
            let newName = tableRenames[s.tables[i].name] ?? s.tables[i].name
            let renames = columnRenames[newName] ?? [:]
            s.tables[i].name = newName
            func col(_ c: String) -> String { renames[c] ?? c }
            for j in s.tables[i].columns.indices { s.tables[i].columns[j].name = col(s.tables[i].columns[j].name) }
            if var pk = s.tables[i].primaryKey { pk.columns = pk.columns.map(col); s.tables[i].primaryKey = pk }
            for j in s.tables[i].uniqueConstraints.indices { s.tables[i].uniqueConstraints[j].columns = s.tables[i].uniqueConstraints[j].columns.map(col) }
            for j in s.tables[i].indexes.indices { s.tables[i].indexes[j].columns = s.tables[i].indexes[j].columns.map(col) }
            for j in s.tables[i].foreignKeys.indices { s.tables[i].foreignKeys[j].columns = s.tables[i].foreignKeys[j].columns.map(col) }
        }
        // References into renamed tables and columns.
        for i in s.tables.indices {
            for j in s.tables[i].foreignKeys.indices {
                let target = tableRenames[s.tables[i].foreignKeys[j].referencedTable] ?? s.tables[i].foreignKeys[j].referencedTable
                s.tables[i].foreignKeys[j].referencedTable = target
                let renames = columnRenames[target] ?? [:]
                s.tables[i].foreignKeys[j].referencedColumns = s.tables[i].foreignKeys[j].referencedColumns.map { renames[$0] ?? $0 }
            }
        }
        return s
    }

    /// The ordered changes. Objects the model does not carry (`unsupported_objects`) are compared
    /// separately by `unsupportedDifferences`.
    public func changes() -> [SchemaChange] {
        let a = SchemaComparisonForm.make(renamedCurrent(), dialect: dialect)
        let b = SchemaComparisonForm.make(to, dialect: dialect)
        var early: [SchemaChange] = []      // drops of views, foreign keys, constraints, indexes
        var renames: [SchemaChange] = []
        var tableDrops: [SchemaChange] = []
        var types: [SchemaChange] = []
        var creates: [SchemaChange] = []
        var columnChanges: [SchemaChange] = []
        var keys: [SchemaChange] = []
        var foreignKeys: [SchemaChange] = []
        var indexes: [SchemaChange] = []
        var late: [SchemaChange] = []       // drops of types, views to create

        // Views: dropped when removed or changed, created when new or changed.
        let viewsA = Dictionary(a.views.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let viewsB = Dictionary(b.views.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        for view in DependencyOrder.views(a.views).reversed() where viewsB[view.name].map({ !sameView($0, view) }) ?? true {
            early.append(.dropView(view))
        }
        for view in DependencyOrder.views(b.views) where viewsA[view.name].map({ !sameView($0, view) }) ?? true {
            late.append(.createView(view))
        }

        for (old, new) in tableRenames.sorted(by: { $0.key < $1.key }) { renames.append(.renameTable(from: old, to: new)) }
        for (table, map) in columnRenames.sorted(by: { $0.key < $1.key }) {
            for (old, new) in map.sorted(by: { $0.key < $1.key }) { renames.append(.renameColumn(table: table, from: old, to: new)) }
        }

        // Enums, domains, sequences.
        diffNamed(a.enums, b.enums, name: \.name,
                  add: { types.append(.createEnum($0)) }, drop: { late.append(.dropEnum($0)) },
                  change: { x, y in if x.values != y.values { types.append(.alterEnum(from: x, to: y)) } })
        diffNamed(a.domains, b.domains, name: \.name,
                  add: { types.append(.createDomain($0)) }, drop: { late.append(.dropDomain($0)) },
                  change: { x, y in if x != y { late.append(.dropDomain(x)); types.append(.createDomain(y)) } })
        diffNamed(a.sequences, b.sequences, name: \.name,
                  add: { types.append(.createSequence($0)) }, drop: { late.append(.dropSequence($0)) },
                  change: { x, y in if x != y { types.append(.alterSequence(from: x, to: y)) } })

        // Tables.
        let tablesA = Dictionary(a.tables.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let tablesB = Dictionary(b.tables.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        // Dropped tables go referencing-first; foreign keys from kept tables into them are dropped early.
        let dropped = a.tables.filter { tablesB[$0.name] == nil }
        for name in DependencyOrder(SchemaDefinition(tables: dropped)).tables.reversed() {
            if let table = dropped.first(where: { $0.name == name }) { tableDrops.append(.dropTable(table)) }
        }
        // New tables in dependency order; foreign keys that close a cycle among them are added afterwards.
        let newTables = b.tables.filter { tablesA[$0.name] == nil }
        let order = DependencyOrder(SchemaDefinition(tables: newTables))
        for name in order.tables {
            guard var table = newTables.first(where: { $0.name == name }) else { continue }
            var deferred: [ForeignKey] = []
            for (i, fk) in table.foreignKeys.enumerated() where order.deferred.contains(.init(table: name, index: i)) && dialect != .sqlite {
                deferred.append(fk)
            }
            table.foreignKeys.removeAll { fk in deferred.contains(fk) }
            creates.append(.createTable(table))
            foreignKeys += deferred.map { .addForeignKey(table: name, $0) }
        }

        for tableB in b.tables {
            guard let tableA = tablesA[tableB.name] else { continue }
            let t = tableB.name
            // Columns.
            for column in tableA.columns where tableB.column(column.name) == nil { tableDrops.append(.dropColumn(table: t, column)) }
            for column in tableB.columns {
                if let old = tableA.column(column.name) {
                    if !ColumnComparison.differences(old, column).isEmpty { columnChanges.append(.alterColumn(table: t, from: old, to: column)) }
                } else {
                    columnChanges.append(.addColumn(table: t, column))
                }
            }
            // Primary key (compared by columns; MySQL does not keep its name).
            if tableA.primaryKey?.columns != tableB.primaryKey?.columns {
                if let pk = tableA.primaryKey { early.append(.dropPrimaryKey(table: t, pk)) }
                if let pk = tableB.primaryKey { keys.append(.addPrimaryKey(table: t, pk)) }
            }
            matchConstraints(tableA.foreignKeys, tableB.foreignKeys, name: \.name, same: { $0.sameDefinition(as: $1) },
                             drop: { early.append(.dropForeignKey(table: t, $0)) }, add: { foreignKeys.append(.addForeignKey(table: t, $0)) })
            matchConstraints(tableA.uniqueConstraints, tableB.uniqueConstraints, name: \.name, same: { $0.columns == $1.columns },
                             drop: { early.append(.dropUnique(table: t, $0)) }, add: { keys.append(.addUnique(table: t, $0)) })
            matchConstraints(tableA.checkConstraints, tableB.checkConstraints, name: \.name,
                             same: { SQLText.expressionKey($0.expression) == SQLText.expressionKey($1.expression) },
                             drop: { early.append(.dropCheck(table: t, $0)) }, add: { keys.append(.addCheck(table: t, $0)) })
            diffNamed(tableA.indexes, tableB.indexes, name: \.name,
                      add: { indexes.append(.createIndex(table: t, $0)) }, drop: { early.append(.dropIndex(table: t, $0)) },
                      change: { x, y in if !sameIndex(x, y) { early.append(.dropIndex(table: t, x)); indexes.append(.createIndex(table: t, y)) } })
        }
        // Foreign keys of kept tables pointing at dropped tables are dropped before the tables.
        return early + renames + tableDrops.filter { dropRank($0) == 0 } + tableDrops.filter { dropRank($0) == 1 } + types + creates + columnChanges + keys + foreignKeys + indexes + late
    }

    /// Column drops before table drops; tables dropped so referencing ones go first.
    private func dropRank(_ change: SchemaChange) -> Int {
        if case .dropColumn = change { return 0 }
        return 1
    }

    /// Differences among the objects the model does not describe: each is an error for a migration.
    public func unsupportedDifferences() -> [String] {
        func key(_ o: UnsupportedObject) -> String { "\(o.kind) \(o.table.map { "\($0)." } ?? "")\(o.name)" }
        let a = Set(from.unsupportedObjects.map(key)), b = Set(to.unsupportedObjects.map(key))
        return a.subtracting(b).sorted().map { "\($0) exists only in the current schema; dbm does not model it and cannot drop it" }
            + b.subtracting(a).sorted().map { "\($0) exists only in the target schema; dbm does not model it and cannot create it" }
    }

    private func sameView(_ x: ViewDefinition, _ y: ViewDefinition) -> Bool {
        x.materialized == y.materialized && SQLText.expressionKey(x.definition.trimmingTrailingSemicolons()) == SQLText.expressionKey(y.definition.trimmingTrailingSemicolons())
            && x.indexes.count == y.indexes.count && zip(x.indexes.sorted { $0.name < $1.name }, y.indexes.sorted { $0.name < $1.name }).allSatisfy { sameIndex($0, $1) }
    }

    private func sameIndex(_ x: IndexDefinition, _ y: IndexDefinition) -> Bool {
        x.unique == y.unique && x.method == y.method
            && x.columns.map(SQLText.expressionKey) == y.columns.map(SQLText.expressionKey)
            && x.predicate.map(SQLText.expressionKey) == y.predicate.map(SQLText.expressionKey)
    }

    private func diffNamed<T>(_ a: [T], _ b: [T], name: (T) -> String, add: (T) -> Void, drop: (T) -> Void, change: (T, T) -> Void) {
        let byName = Dictionary(a.map { (name($0), $0) }, uniquingKeysWith: { x, _ in x })
        let namesB = Set(b.map(name))
        for x in a where !namesB.contains(name(x)) { drop(x) }
        for y in b {
            if let x = byName[name(y)] { change(x, y) } else { add(y) }
        }
    }

    /// Pairs constraints: same definition with compatible names (equal, or one side unnamed) match;
    /// the rest are dropped and added.
    private func matchConstraints<T>(_ a: [T], _ b: [T], name: (T) -> String?, same: (T, T) -> Bool, drop: (T) -> Void, add: (T) -> Void) {
        var unmatchedB = Array(b.indices)
        for x in a {
            if let k = unmatchedB.firstIndex(where: { j in
                same(x, b[j]) && (name(x) == nil || name(b[j]) == nil || name(x) == name(b[j]))
            }) {
                unmatchedB.remove(at: k)
            } else {
                drop(x)
            }
        }
        for j in unmatchedB { add(b[j]) }
    }
}

/// The form two schemas are compared in: canonical types, and per-dialect equivalences folded together.
enum SchemaComparisonForm {
    static func make(_ schema: SchemaDefinition, dialect: Dialect?) -> SchemaDefinition {
        var s = schema.sorted()
        for i in s.tables.indices {
            for j in s.tables[i].columns.indices {
                s.tables[i].columns[j].type = SQLType.canonical(s.tables[i].columns[j].type)
                // SQLite auto-increments only an INTEGER PRIMARY KEY, whatever width was asked for.
                if dialect == .sqlite, s.tables[i].columns[j].autoIncrement, SQLType.parse(s.tables[i].columns[j].type).isInteger {
                    s.tables[i].columns[j].type = "integer"
                }
                s.tables[i].columns[j].renamedFrom = nil
            }
            s.tables[i].renamedFrom = nil
            s.tables[i].normalizePrimaryKeyNullability()
            if dialect == .mysql {
                // MySQL cannot tell a unique index from a unique constraint: compare both as constraints.
                let uniqueIndexes = s.tables[i].indexes.filter { $0.unique && $0.method == nil && $0.predicate == nil && !$0.columns.contains(where: IndexDefinition.isExpression) }
                s.tables[i].indexes.removeAll { uniqueIndexes.contains($0) }
                for index in uniqueIndexes where !s.tables[i].uniqueConstraints.contains(where: { $0.columns == index.columns }) {
                    s.tables[i].uniqueConstraints.append(UniqueConstraint(name: index.name, columns: index.columns))
                }
            }
        }
        return s
    }
}

extension SchemaDefinition {
    /// The spec's `diff(other)`: the changes that turn this schema into `other`, one line each. Objects
    /// the model does not describe that differ are listed as errors rather than ignored.
    public func diff(_ other: SchemaDefinition, dialect: Dialect? = nil) -> [String] {
        let differ = SchemaDiffer(from: self, to: other, dialect: dialect)
        return differ.changes().map(\.description) + differ.unsupportedDifferences().map { "error: " + $0 }
    }
}
