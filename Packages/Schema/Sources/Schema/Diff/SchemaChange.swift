/// One change between two schemas, carrying what is needed to write its SQL.
public enum SchemaChange: Sendable, Hashable {
    case createEnum(EnumDefinition)
    case dropEnum(EnumDefinition)
    case alterEnum(from: EnumDefinition, to: EnumDefinition)
    case createDomain(DomainDefinition)
    case dropDomain(DomainDefinition)
    case createSequence(SequenceDefinition)
    case dropSequence(SequenceDefinition)
    case alterSequence(from: SequenceDefinition, to: SequenceDefinition)
    case createTable(TableDefinition)
    case dropTable(TableDefinition)
    case renameTable(from: String, to: String)
    case addColumn(table: String, ColumnDefinition)
    case dropColumn(table: String, ColumnDefinition)
    case renameColumn(table: String, from: String, to: String)
    case alterColumn(table: String, from: ColumnDefinition, to: ColumnDefinition)
    case addPrimaryKey(table: String, PrimaryKey)
    case dropPrimaryKey(table: String, PrimaryKey)
    case addForeignKey(table: String, ForeignKey)
    case dropForeignKey(table: String, ForeignKey)
    case addUnique(table: String, UniqueConstraint)
    case dropUnique(table: String, UniqueConstraint)
    case addCheck(table: String, CheckConstraint)
    case dropCheck(table: String, CheckConstraint)
    case createIndex(table: String, IndexDefinition)
    case dropIndex(table: String, IndexDefinition)
    case createView(ViewDefinition)
    case dropView(ViewDefinition)

    /// A short machine-readable name: `add_column`, `drop_table`, ...
    public var kind: String {
        switch self {
        case .createEnum: "create_enum"
        case .dropEnum: "drop_enum"
        case .alterEnum: "alter_enum"
        case .createDomain: "create_domain"
        case .dropDomain: "drop_domain"
        case .createSequence: "create_sequence"
        case .dropSequence: "drop_sequence"
        case .alterSequence: "alter_sequence"
        case .createTable: "create_table"
        case .dropTable: "drop_table"
        case .renameTable: "rename_table"
        case .addColumn: "add_column"
        case .dropColumn: "drop_column"
        case .renameColumn: "rename_column"
        case .alterColumn: "alter_column"
        case .addPrimaryKey: "add_primary_key"
        case .dropPrimaryKey: "drop_primary_key"
        case .addForeignKey: "add_foreign_key"
        case .dropForeignKey: "drop_foreign_key"
        case .addUnique: "add_unique"
        case .dropUnique: "drop_unique"
        case .addCheck: "add_check"
        case .dropCheck: "drop_check"
        case .createIndex: "create_index"
        case .dropIndex: "drop_index"
        case .createView: "create_view"
        case .dropView: "drop_view"
        }
    }

    /// The table the change is about, if any.
    public var table: String? {
        switch self {
        case .createTable(let t), .dropTable(let t): t.name
        case .renameTable(_, let to): to
        case .addColumn(let t, _), .dropColumn(let t, _), .renameColumn(let t, _, _), .alterColumn(let t, _, _),
             .addPrimaryKey(let t, _), .dropPrimaryKey(let t, _), .addForeignKey(let t, _), .dropForeignKey(let t, _),
             .addUnique(let t, _), .dropUnique(let t, _), .addCheck(let t, _), .dropCheck(let t, _),
             .createIndex(let t, _), .dropIndex(let t, _): t
        default: nil
        }
    }

    /// True when applying the change can lose data: dropping a table or column, narrowing a type,
    /// removing enum values, or making a column NOT NULL.
    public var isDestructive: Bool {
        switch self {
        case .dropTable, .dropColumn: true
        case .alterColumn(_, let from, let to): TypeNarrowing.isNarrowing(from: from.type, to: to.type) || (from.nullable && !to.nullable)
        case .alterEnum(let from, let to): !Set(from.values).isSubset(of: Set(to.values))
        default: false
        }
    }

    /// One line for people: `add column users.email varchar(255) NOT NULL`.
    public var description: String {
        switch self {
        case .createEnum(let e): "create enum \(e.name) (\(e.values.joined(separator: ", ")))"
        case .dropEnum(let e): "drop enum \(e.name)"
        case .alterEnum(let a, let b): "change enum \(a.name) values from (\(a.values.joined(separator: ", "))) to (\(b.values.joined(separator: ", ")))"
        case .createDomain(let d): "create domain \(d.name) as \(d.baseType)"
        case .dropDomain(let d): "drop domain \(d.name)"
        case .createSequence(let s): "create sequence \(s.name)"
        case .dropSequence(let s): "drop sequence \(s.name)"
        case .alterSequence(let s, _): "change sequence \(s.name)"
        case .createTable(let t): "create table \(t.name)"
        case .dropTable(let t): "drop table \(t.name)"
        case .renameTable(let a, let b): "rename table \(a) to \(b)"
        case .addColumn(let t, let c): "add column \(t).\(c.name) \(c.type)\(c.nullable ? "" : " NOT NULL")"
        case .dropColumn(let t, let c): "drop column \(t).\(c.name)"
        case .renameColumn(let t, let a, let b): "rename column \(t).\(a) to \(b)"
        case .alterColumn(let t, let a, let b): "change column \(t).\(a.name): " + ColumnComparison.differences(a, b).joined(separator: ", ")
        case .addPrimaryKey(let t, let pk): "add primary key on \(t) (\(pk.columns.joined(separator: ", ")))"
        case .dropPrimaryKey(let t, let pk): "drop primary key on \(t) (\(pk.columns.joined(separator: ", ")))"
        case .addForeignKey(let t, let fk): "add foreign key \(t)(\(fk.columns.joined(separator: ", "))) → \(fk.referencedTable)(\(fk.referencedColumns.joined(separator: ", ")))"
        case .dropForeignKey(let t, let fk): "drop foreign key \(t).\(ConstraintNames.foreignKey(fk, in: t))"
        case .addUnique(let t, let u): "add unique constraint on \(t) (\(u.columns.joined(separator: ", ")))"
        case .dropUnique(let t, let u): "drop unique constraint \(t).\(ConstraintNames.unique(u, in: t))"
        case .addCheck(let t, let c): "add check on \(t): \(c.expression)"
        case .dropCheck(let t, let c): "drop check on \(t): \(c.expression)"
        case .createIndex(let t, let i): "create \(i.unique ? "unique " : "")index \(i.name) on \(t) (\(i.columns.joined(separator: ", ")))"
        case .dropIndex(let t, let i): "drop index \(i.name) on \(t)"
        case .createView(let v): "create \(v.materialized ? "materialized " : "")view \(v.name)"
        case .dropView(let v): "drop \(v.materialized ? "materialized " : "")view \(v.name)"
        }
    }

    /// The Codable summary returned over JSON-RPC.
    public var summary: SchemaChangeSummary {
        SchemaChangeSummary(kind: kind, table: table, description: description, destructive: isDestructive)
    }
}

/// What the wire shows of a change.
public struct SchemaChangeSummary: Sendable, Hashable, Codable {
    public var kind: String
    public var table: String?
    public var description: String
    public var destructive: Bool
}

/// Whether a type change can lose data.
enum TypeNarrowing {
    private static let integerWidth: [String: Int] = ["tinyint": 1, "smallint": 2, "mediumint": 3, "integer": 4, "bigint": 8]

    static func isNarrowing(from a: String, to b: String) -> Bool {
        let ta = SQLType.parse(a), tb = SQLType.parse(b)
        if ta == tb { return false }
        if let wa = integerWidth[ta.base], let wb = integerWidth[tb.base] { return wb < wa || ta.unsigned != tb.unsigned }
        if ta.base == tb.base, ["varchar", "char"].contains(ta.base) {
            guard let la = ta.arguments.first.flatMap({ Int($0) }) else { return !tb.arguments.isEmpty }
            guard let lb = tb.arguments.first.flatMap({ Int($0) }) else { return false }
            return lb < la
        }
        if (ta.base == "varchar" || ta.base == "char") && tb.base == "text" { return false }
        if ta.base == "decimal" && tb.base == "decimal" {
            let pa = ta.arguments.compactMap { Int($0) }, pb = tb.arguments.compactMap { Int($0) }
            if pa.isEmpty { return !pb.isEmpty }
            if pb.isEmpty { return false }
            let sa = pa.count > 1 ? pa[1] : 0, sb = pb.count > 1 ? pb[1] : 0
            return pb[0] - sb < pa[0] - sa || sb < sa
        }
        if ta.base == "real" && tb.base == "double" { return false }
        if ta.isInteger && (tb.base == "bigint" || tb.base == "decimal" || tb.base == "double") { return false }
        if ta.isInteger && tb.base == "text" { return false }
        return true
    }
}

/// How two versions of a column differ.
enum ColumnComparison {
    static func differences(_ a: ColumnDefinition, _ b: ColumnDefinition) -> [String] {
        var out: [String] = []
        if !sameType(a, b) { out.append("type \(a.type) → \(b.type)") }
        if a.nullable != b.nullable { out.append(b.nullable ? "drop NOT NULL" : "set NOT NULL") }
        if a.defaultValue?.comparisonKey != b.defaultValue?.comparisonKey {
            out.append("default \(a.defaultValue?.sqlText ?? "none") → \(b.defaultValue?.sqlText ?? "none")")
        }
        if a.autoIncrement != b.autoIncrement { out.append(b.autoIncrement ? "add auto-increment" : "drop auto-increment") }
        if normalizedOnUpdate(a) != normalizedOnUpdate(b) { out.append("on update \(a.onUpdate ?? "none") → \(b.onUpdate ?? "none")") }
        return out
    }

    static func sameType(_ a: ColumnDefinition, _ b: ColumnDefinition) -> Bool {
        SQLType.canonical(a.type) == SQLType.canonical(b.type)
    }

    static func normalizedOnUpdate(_ c: ColumnDefinition) -> String? {
        c.onUpdate.map { ColumnDefault.timeKeyword($0) ?? SQLText.expressionKey($0) }
    }
}
