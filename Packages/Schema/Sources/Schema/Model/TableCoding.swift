import Foundation

/// One entry of a table's `constraints` list (001 shape) or of the top-level `constraints` dict (000 shape).
enum DecodedConstraint: Decodable {
    case primaryKey(PrimaryKey)
    case foreignKey(ForeignKey)
    case unique(UniqueConstraint)
    case check(CheckConstraint)
    /// The kind assumed when an entry has no `type` (entries of `foreign_keys` lists).
    @TaskLocal static var defaultKind: String?

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        let name = try c.first(String.self, "name", "constraint_name") ?? NameContext.current
        let kind = (try c.first(String.self, "type", "constraint_type", "kind") ?? DecodedConstraint.defaultKind ?? "")
            .lowercased().replacingOccurrences(of: " ", with: "_")
        let columns = try c.strings("columns", "column", "fields") ?? []
        switch kind {
        case "primary_key", "primary", "pk":
            self = .primaryKey(PrimaryKey(name: name, columns: columns))
        case "foreign_key", "foreign", "fk", "references":
            var table = try c.first(String.self, "referenced_table", "ref_table", "to_table", "foreign_table")
            var refColumns = try c.strings("referenced_columns", "ref_columns", "to_columns", "referenced_column", "foreign_columns")
            if table == nil, let ref = try? c.first(String.self, "references") {
                let parsed = DecodedColumn.parseReference(ref)
                table = parsed.table
                if refColumns == nil { refColumns = SQLText.splitTopLevel(parsed.column) }
            }
            guard let table else {
                throw DecodingError.keyNotFound(AnyKey("referenced_table"), .init(codingPath: c.codingPath,
                    debugDescription: "foreign key \(name ?? "") needs referenced_table (or references)"))
            }
            self = .foreignKey(ForeignKey(
                name: name, columns: columns, referencedTable: table, referencedColumns: refColumns ?? ["id"],
                onDelete: try c.first(String.self, "on_delete").flatMap(ForeignKeyAction.init(spelling:)) ?? .noAction,
                onUpdate: try c.first(String.self, "on_update").flatMap(ForeignKeyAction.init(spelling:)) ?? .noAction))
        case "unique", "unique_key":
            self = .unique(UniqueConstraint(name: name, columns: columns))
        case "check":
            guard let expression = try c.first(String.self, "expression", "definition", "check", "condition") else {
                throw DecodingError.keyNotFound(AnyKey("expression"), .init(codingPath: c.codingPath, debugDescription: "check constraint \(name ?? "") needs an expression"))
            }
            self = .check(CheckConstraint(name: name, expression: expression))
        default:
            throw DecodingError.dataCorruptedError(forKey: AnyKey("type"), in: c,
                debugDescription: "constraint \(name ?? "") has type '\(kind)'; use primary_key, foreign_key, unique or check")
        }
    }
}

extension IndexDefinition: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        var columns = try c.strings("columns", "column", "fields") ?? []
        if let expressions = try c.strings("expressions") { columns += expressions.map { $0.hasPrefix("(") ? $0 : "(\($0))" } }
        let kind = try c.first(String.self, "type")?.lowercased()
        let unique = try c.first(Bool.self, "unique") ?? (kind == "unique")
        let method = try c.first(String.self, "method", "using") ?? (kind == "unique" ? nil : kind)
        let table = try c.first(String.self, "table")
        let name = try c.first(String.self, "name") ?? NameContext.current
            ?? "idx_" + ([table ?? ""] + columns).filter { !$0.isEmpty }.joined(separator: "_")
        self.init(name: name, columns: columns, unique: unique, method: method, predicate: try c.first(String.self, "where", "predicate", "condition"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(name, "name")
        try c.put(columns, "columns")
        try c.put(unique, "unique")
        try c.putIfPresent(method, "method")
        try c.putIfPresent(predicate, "where")
    }
}

/// A table as decoded, with any table name given by a 000-style top-level index or constraint.
extension TableDefinition: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let name = try c.first(String.self, "name", "table_name") ?? NameContext.current else {
            throw DecodingError.keyNotFound(AnyKey("name"), .init(codingPath: c.codingPath, debugDescription: "a table needs a name"))
        }
        self.init(name: name)
        renamedFrom = try c.first(String.self, "renamed_from", "renamedFrom")
        comment = try c.first(String.self, "comment", "description")
        let decodedColumns = try NameContext.$current.withValue(nil) {
            try c.first(NamedList<DecodedColumn>.self, "columns", "fields")?.elements ?? []
        }
        columns = decodedColumns.map(\.column)
        if let pk = try c.strings("primary_key") { primaryKey = PrimaryKey(columns: pk) }
        else if c.has("primary_key"), let pk = try? c.first(PrimaryKeyCoding.self, "primary_key") { primaryKey = pk.value }
        let constraints = try NameContext.$current.withValue(nil) {
            try c.first(NamedList<DecodedConstraint>.self, "constraints")?.elements ?? []
        }
        for constraint in constraints { add(constraint) }
        for fk in try c.first([ForeignKeyCoding].self, "foreign_keys") ?? [] { add(.foreignKey(fk.value)) }
        for u in try c.first([UniqueCoding].self, "unique_constraints") ?? [] { add(.unique(u.value)) }
        for ch in try c.first([CheckCoding].self, "check_constraints") ?? [] { add(.check(ch.value)) }
        indexes = try NameContext.$current.withValue(nil) {
            try c.first(NamedList<IndexDefinition>.self, "indexes")?.elements ?? []
        }
        for i in indexes.indices where indexes[i].name.hasPrefix("idx__") || indexes[i].name == "idx_" {
            indexes[i].name = "idx_\(name)_" + indexes[i].columns.joined(separator: "_")
        }
        // Column shorthands.
        let pkColumns = decodedColumns.filter(\.shorthand.primaryKey).map(\.column.name)
        if primaryKey == nil, !pkColumns.isEmpty { primaryKey = PrimaryKey(columns: pkColumns) }
        for column in decodedColumns {
            if column.shorthand.unique { add(.unique(UniqueConstraint(columns: [column.column.name]))) }
            if let fk = column.shorthand.foreignKey { add(.foreignKey(fk)) }
            if let check = column.shorthand.check { add(.check(CheckConstraint(expression: check))) }
        }
        normalizePrimaryKeyNullability()
    }

    /// Adds a decoded constraint unless an equal one is there already (001 documents repeat a column's
    /// `references` in the `constraints` list).
    mutating func add(_ constraint: DecodedConstraint) {
        switch constraint {
        case .primaryKey(let pk):
            if primaryKey == nil || primaryKey?.columns == pk.columns { primaryKey = PrimaryKey(name: pk.name ?? primaryKey?.name, columns: pk.columns) }
            else { primaryKey = pk }
        case .foreignKey(let fk):
            if let i = foreignKeys.firstIndex(where: { $0.columns == fk.columns && $0.referencedTable == fk.referencedTable && $0.referencedColumns == fk.referencedColumns }) {
                if foreignKeys[i].name == nil { foreignKeys[i].name = fk.name }
                if fk.onDelete != .noAction { foreignKeys[i].onDelete = fk.onDelete }
                if fk.onUpdate != .noAction { foreignKeys[i].onUpdate = fk.onUpdate }
            } else { foreignKeys.append(fk) }
        case .unique(let u):
            if let i = uniqueConstraints.firstIndex(where: { $0.columns == u.columns }) {
                if uniqueConstraints[i].name == nil { uniqueConstraints[i].name = u.name }
            } else { uniqueConstraints.append(u) }
        case .check(let ch):
            if !checkConstraints.contains(where: { SQLText.expressionKey($0.expression) == SQLText.expressionKey(ch.expression) }) {
                checkConstraints.append(ch)
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(name, "name")
        try c.putIfPresent(renamedFrom, "renamed_from")
        try c.putIfPresent(comment, "comment")
        var list = c.nestedUnkeyedContainer(forKey: AnyKey("columns"))
        for column in columns {
            let fk = foreignKeys.first { $0.columns == [column.name] && $0.referencedColumns.count == 1 }
            try column.encode(to: list.superEncoder(), primaryKey: isPrimaryKeyColumn(column.name),
                              references: fk.map { "\($0.referencedTable).\($0.referencedColumns[0])" })
        }
        try c.put(indexes, "indexes")
        var constraints = c.nestedUnkeyedContainer(forKey: AnyKey("constraints"))
        if let primaryKey { try constraints.encode(PrimaryKeyCoding(value: primaryKey)) }
        for fk in foreignKeys { try constraints.encode(ForeignKeyCoding(value: fk)) }
        for u in uniqueConstraints { try constraints.encode(UniqueCoding(value: u)) }
        for ch in checkConstraints { try constraints.encode(CheckCoding(value: ch)) }
    }
}

/// Wire forms of the constraint kinds, tagged with `type` as 001's `constraints` list entries.
struct PrimaryKeyCoding: Codable {
    var value: PrimaryKey
    init(value: PrimaryKey) { self.value = value }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        value = PrimaryKey(name: try c.first(String.self, "name"), columns: try c.strings("columns", "column") ?? [])
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put("primary_key", "type")
        try c.putIfPresent(value.name, "name")
        try c.put(value.columns, "columns")
    }
}

struct ForeignKeyCoding: Codable {
    var value: ForeignKey
    init(value: ForeignKey) { self.value = value }
    init(from decoder: any Decoder) throws {
        let decoded = try DecodedConstraint.$defaultKind.withValue("foreign_key") { try DecodedConstraint(from: decoder) }
        guard case .foreignKey(let fk) = decoded else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an entry of foreign_keys must be a foreign key"))
        }
        value = fk
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put("foreign_key", "type")
        try c.putIfPresent(value.name, "name")
        try c.put(value.columns, "columns")
        try c.put(value.referencedTable, "referenced_table")
        try c.put(value.referencedColumns, "referenced_columns")
        try c.put(value.onDelete.rawValue, "on_delete")
        try c.put(value.onUpdate.rawValue, "on_update")
    }
}

struct UniqueCoding: Codable {
    var value: UniqueConstraint
    init(value: UniqueConstraint) { self.value = value }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        value = UniqueConstraint(name: try c.first(String.self, "name"), columns: try c.strings("columns", "column") ?? [])
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put("unique", "type")
        try c.putIfPresent(value.name, "name")
        try c.put(value.columns, "columns")
    }
}

struct CheckCoding: Codable {
    var value: CheckConstraint
    init(value: CheckConstraint) { self.value = value }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let e = try c.first(String.self, "expression", "definition", "check") else {
            throw DecodingError.keyNotFound(AnyKey("expression"), .init(codingPath: c.codingPath, debugDescription: "check constraint needs an expression"))
        }
        value = CheckConstraint(name: try c.first(String.self, "name"), expression: e)
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put("check", "type")
        try c.putIfPresent(value.name, "name")
        try c.put(value.expression, "expression")
    }
}
