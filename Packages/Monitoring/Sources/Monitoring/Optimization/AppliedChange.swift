/// One change an optimization applied, with the statement that undoes it.
public struct AppliedChange: Sendable, Hashable, Codable {
    /// Pass to `rollback_optimization` to undo this change alone.
    public var changeID: String
    /// The rule that proposed it (`fk_without_index`, `missing_index`, ...).
    public var rule: String
    public var description: String
    /// The statement that was run.
    public var sql: String
    /// The statement that undoes it; `nil` for maintenance that changes neither schema nor data
    /// (`ANALYZE`, `VACUUM`, `OPTIMIZE TABLE`), which needs no undo.
    public var inverseSQL: String?

    public init(changeID: String, rule: String, description: String, sql: String, inverseSQL: String?) {
        self.changeID = changeID
        self.rule = rule
        self.description = description
        self.sql = sql
        self.inverseSQL = inverseSQL
    }

    enum CodingKeys: String, CodingKey {
        case rule, description, sql
        case changeID = "change_id"
        case inverseSQL = "inverse_sql"
    }
}
