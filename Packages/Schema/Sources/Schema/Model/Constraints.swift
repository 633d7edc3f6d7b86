/// A primary key, possibly composite. `name` is the constraint name where the engine keeps one.
public struct PrimaryKey: Sendable, Hashable {
    public var name: String?
    public var columns: [String]

    public init(name: String? = nil, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

/// What happens to referencing rows when the referenced row is deleted or its key updated.
public enum ForeignKeyAction: String, Sendable, Hashable, Codable, CaseIterable {
    case noAction = "NO ACTION"
    case restrict = "RESTRICT"
    case cascade = "CASCADE"
    case setNull = "SET NULL"
    case setDefault = "SET DEFAULT"

    /// Reads `CASCADE`, `set null`, `SET_NULL`, `no_action` and the other usual spellings.
    public init?(spelling: String) {
        let key = spelling.uppercased().replacingOccurrences(of: "_", with: " ")
            .split(separator: " ").joined(separator: " ")
        guard let action = ForeignKeyAction(rawValue: key) else { return nil }
        self = action
    }
}

/// A foreign key: `columns` of this table reference `referencedColumns` of `referencedTable`.
public struct ForeignKey: Sendable, Hashable {
    public var name: String?
    public var columns: [String]
    public var referencedTable: String
    public var referencedColumns: [String]
    public var onDelete: ForeignKeyAction
    public var onUpdate: ForeignKeyAction

    public init(
        name: String? = nil, columns: [String], referencedTable: String, referencedColumns: [String],
        onDelete: ForeignKeyAction = .noAction, onUpdate: ForeignKeyAction = .noAction
    ) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
    }

    /// Same columns, target and actions (the name aside). `RESTRICT` and `NO ACTION` differ only in
    /// when the check runs; MySQL reports one for the other, so they compare equal.
    func sameDefinition(as other: ForeignKey) -> Bool {
        func norm(_ a: ForeignKeyAction) -> ForeignKeyAction { a == .restrict ? .noAction : a }
        return columns == other.columns && referencedTable == other.referencedTable
            && referencedColumns == other.referencedColumns
            && norm(onDelete) == norm(other.onDelete) && norm(onUpdate) == norm(other.onUpdate)
    }
}

/// A unique constraint over one or more columns.
public struct UniqueConstraint: Sendable, Hashable {
    public var name: String?
    public var columns: [String]

    public init(name: String? = nil, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

/// A check constraint; `expression` is the SQL inside `CHECK (...)`.
public struct CheckConstraint: Sendable, Hashable {
    public var name: String?
    public var expression: String

    public init(name: String? = nil, expression: String) {
        self.name = name
        self.expression = expression
    }
}

/// An index. Each entry of `columns` is a column name, or an expression in parentheses (`"(lower(email))"`)
/// where the dialect has expression indexes. `predicate` makes it partial (PostgreSQL and SQLite).
public struct IndexDefinition: Sendable, Hashable {
    public var name: String
    public var columns: [String]
    public var unique: Bool
    /// The access method when it is not the default B-tree: `gin`, `gist`, `hash`, `brin` (PostgreSQL),
    /// `fulltext`, `spatial`, `hash` (MySQL).
    public var method: String?
    /// The `WHERE` clause of a partial index.
    public var predicate: String?

    public init(name: String, columns: [String], unique: Bool = false, method: String? = nil, predicate: String? = nil) {
        self.name = name
        self.columns = columns
        self.unique = unique
        let m = method?.lowercased()
        self.method = (m == nil || m == "btree" || m == "" || m == "unique") ? nil : m
        self.predicate = predicate
    }

    /// True when `entry` is an expression rather than a column name.
    public static func isExpression(_ entry: String) -> Bool { entry.hasPrefix("(") }
}
