/// One column: name, type, nullability, default, auto-increment and MySQL's `ON UPDATE`.
///
/// `type` is kept in dbm's canonical spelling (see `SQLType.canonical`): `integer`, `varchar(50)`,
/// `decimal(10,2)`, `timestamptz`, `boolean`; engine-specific types pass through in lower case
/// (`tsvector`, `mediumint unsigned`, `year`), and an enum or domain is named by its type name.
public struct ColumnDefinition: Sendable, Hashable {
    public var name: String
    public var type: String
    public var nullable: Bool
    public var defaultValue: ColumnDefault?
    /// Values come from a sequence: PostgreSQL `serial`/identity, MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT`.
    public var autoIncrement: Bool
    /// MySQL's `ON UPDATE CURRENT_TIMESTAMP` (ignored with a validation message on other dialects).
    public var onUpdate: String?
    /// The column's previous name: the diff renames it instead of dropping it and losing its data.
    public var renamedFrom: String?
    public var comment: String?

    public init(
        name: String, type: String, nullable: Bool = true, defaultValue: ColumnDefault? = nil,
        autoIncrement: Bool = false, onUpdate: String? = nil, renamedFrom: String? = nil, comment: String? = nil
    ) {
        self.name = name
        self.type = SQLType.canonical(type)
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.autoIncrement = autoIncrement
        self.onUpdate = onUpdate
        self.renamedFrom = renamedFrom
        self.comment = comment
    }
}
