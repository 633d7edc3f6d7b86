import DatabaseDriver

/// Decides a column's portable type from the type name it was declared with.
///
/// SQLite is dynamically typed: the declared name only sets the column's affinity. dbm first recognises
/// the names that carry more meaning than their affinity (`BOOLEAN`, `DATE`, `TIME`, `DATETIME`,
/// `TIMESTAMP`, `NUMERIC`/`DECIMAL`, `JSON`, `UUID`), then follows SQLite's own affinity rules
/// (https://sqlite.org/datatype3.html#determination_of_column_affinity). Expressions have no declared type
/// and map to `.unknown`: their values come back as their storage class.
enum DeclaredType {
    /// The portable type for a declared type name; `nil` or empty means no declared type.
    static func columnType(_ declared: String?) -> ColumnType {
        guard let declared, !declared.isEmpty else { return .unknown }
        let upper = declared.uppercased()
        let base = upper.prefix { $0 != "(" && $0 != " " }
        switch base {
        case "BOOLEAN", "BOOL": return .bool
        case "DATE": return .date
        case "TIME", "TIMETZ": return .time
        case "DATETIME", "DATETIME2", "SMALLDATETIME": return .timestamp
        case "TIMESTAMP": return upper.contains("WITH TIME ZONE") ? .timestampWithTimeZone : .timestamp
        case "TIMESTAMPTZ", "DATETIMEOFFSET": return .timestampWithTimeZone
        case "JSON", "JSONB": return .json
        case "UUID", "GUID", "UNIQUEIDENTIFIER": return .uuid
        case "NUMERIC", "DECIMAL": return .decimal
        default: break
        }
        // SQLite's affinity rules, in SQLite's order.
        if upper.contains("INT") { return .integer }
        if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") { return .text }
        if upper.contains("BLOB") { return .blob }
        if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") { return .double }
        // Any other name has NUMERIC affinity; with no better hint its values come as stored.
        return .unknown
    }
}
