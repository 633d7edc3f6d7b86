/// One table: its columns in order, its primary key, foreign keys, unique and check constraints, and indexes.
public struct TableDefinition: Sendable, Hashable {
    public var name: String
    /// The table's previous name: the diff renames it instead of dropping and recreating it.
    public var renamedFrom: String?
    public var columns: [ColumnDefinition]
    public var primaryKey: PrimaryKey?
    public var foreignKeys: [ForeignKey]
    public var uniqueConstraints: [UniqueConstraint]
    public var checkConstraints: [CheckConstraint]
    public var indexes: [IndexDefinition]
    public var comment: String?

    public init(
        name: String, renamedFrom: String? = nil, columns: [ColumnDefinition] = [], primaryKey: PrimaryKey? = nil,
        foreignKeys: [ForeignKey] = [], uniqueConstraints: [UniqueConstraint] = [],
        checkConstraints: [CheckConstraint] = [], indexes: [IndexDefinition] = [], comment: String? = nil
    ) {
        self.name = name
        self.renamedFrom = renamedFrom
        self.columns = columns
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
        self.uniqueConstraints = uniqueConstraints
        self.checkConstraints = checkConstraints
        self.indexes = indexes
        self.comment = comment
    }

    /// The column named `name`, if any.
    public func column(_ name: String) -> ColumnDefinition? { columns.first { $0.name == name } }

    /// True when `name` is one of the primary key's columns.
    public func isPrimaryKeyColumn(_ name: String) -> Bool { primaryKey?.columns.contains(name) ?? false }

    /// The table with constraints and indexes ordered by name (unnamed ones by their columns).
    public func sorted() -> TableDefinition {
        var copy = self
        copy.foreignKeys = foreignKeys.sorted { ($0.name ?? "", $0.columns.joined(separator: ",")) < ($1.name ?? "", $1.columns.joined(separator: ",")) }
        copy.uniqueConstraints = uniqueConstraints.sorted { ($0.name ?? "", $0.columns.joined(separator: ",")) < ($1.name ?? "", $1.columns.joined(separator: ",")) }
        copy.checkConstraints = checkConstraints.sorted { ($0.name ?? "", $0.expression) < ($1.name ?? "", $1.expression) }
        copy.indexes = indexes.sorted { $0.name < $1.name }
        return copy
    }

    /// Makes the primary key columns NOT NULL, as every engine does.
    mutating func normalizePrimaryKeyNullability() {
        guard let primaryKey else { return }
        for i in columns.indices where primaryKey.columns.contains(columns[i].name) {
            columns[i].nullable = false
        }
    }
}
