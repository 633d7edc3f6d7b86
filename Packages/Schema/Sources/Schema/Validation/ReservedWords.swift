import DatabaseDriver

/// Words each engine reserves. dbm quotes every identifier, so a reserved word still works in dbm's DDL,
/// but hand-written SQL against the table would have to quote it too; validation warns.
enum ReservedWords {
    static let common: Set<String> = [
        "all", "alter", "and", "any", "as", "asc", "between", "both", "by", "case", "cast", "check", "collate", "column",
        "constraint", "create", "cross", "current_date", "current_time", "current_timestamp", "current_user", "default",
        "delete", "desc", "distinct", "drop", "else", "end", "except", "exists", "false", "fetch", "for", "foreign", "from",
        "grant", "group", "having", "in", "inner", "insert", "intersect", "into", "is", "join", "leading", "left", "like",
        "limit", "natural", "not", "null", "on", "or", "order", "outer", "primary", "references", "right", "select", "set",
        "table", "then", "to", "trailing", "true", "union", "unique", "update", "using", "values", "when", "where", "with",
    ]
    static let postgresql: Set<String> = common.union([
        "analyse", "analyze", "array", "asymmetric", "authorization", "binary", "concurrently", "current_catalog",
        "current_role", "current_schema", "deferrable", "do", "freeze", "full", "ilike", "initially", "isnull", "lateral",
        "localtime", "localtimestamp", "notnull", "offset", "only", "overlaps", "placing", "returning", "session_user",
        "similar", "some", "symmetric", "tablesample", "user", "variadic", "verbose", "window",
    ])
    static let mysql: Set<String> = common.union([
        "accessible", "add", "before", "bigint", "binary", "blob", "call", "cascade", "change", "char", "character",
        "condition", "continue", "convert", "cursor", "database", "databases", "dec", "decimal", "declare", "delayed",
        "describe", "double", "dual", "each", "elseif", "enclosed", "escaped", "exit", "explain", "float", "force",
        "fulltext", "generated", "get", "high_priority", "if", "ignore", "index", "infile", "int", "integer", "interval",
        "iterate", "key", "keys", "kill", "lead", "leave", "lines", "load", "lock", "long", "loop", "match", "mod",
        "modifies", "numeric", "option", "optionally", "out", "precision", "procedure", "purge", "range", "read", "real",
        "release", "rename", "repeat", "replace", "require", "restrict", "return", "revoke", "rlike", "schema", "schemas",
        "separator", "show", "signal", "smallint", "spatial", "sql", "ssl", "starting", "straight_join", "terminated",
        "tinyint", "trigger", "undo", "unlock", "unsigned", "usage", "use", "utc_date", "utc_time", "utc_timestamp",
        "varchar", "varying", "while", "write", "xor", "year_month", "zerofill", "rank", "row", "rows",
    ])
    static let sqlite: Set<String> = common.union([
        "abort", "action", "add", "after", "analyze", "attach", "autoincrement", "before", "begin", "cascade", "commit",
        "conflict", "database", "deferrable", "deferred", "detach", "each", "escape", "exclusive", "explain", "fail",
        "glob", "if", "ignore", "immediate", "index", "indexed", "initially", "instead", "isnull", "key", "match",
        "no", "notnull", "of", "offset", "plan", "pragma", "query", "raise", "recursive", "regexp", "reindex",
        "release", "rename", "replace", "restrict", "rollback", "row", "savepoint", "temp", "temporary", "transaction",
        "trigger", "vacuum", "view", "virtual", "without",
    ])

    static func isReserved(_ word: String, in dialect: Dialect) -> Bool {
        let w = word.lowercased()
        switch dialect {
        case .postgresql: return postgresql.contains(w)
        case .mysql: return mysql.contains(w)
        case .sqlite: return sqlite.contains(w)
        }
    }
}
