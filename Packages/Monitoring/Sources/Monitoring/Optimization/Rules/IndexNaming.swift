import DatabaseDriver

/// Names and statements for indexes dbm creates or drops.
enum IndexStatements {
    /// `idx_<table>_<columns>`, shortened with a hash suffix to fit the engine's identifier limit, and
    /// different from every name in `taken`.
    static func name(table: String, columns: [String], dialect: Dialect, taken: Set<String>) -> String {
        var base = "idx_" + ([table] + columns).joined(separator: "_")
        let limit = min(dialect.maxIdentifierBytes, 63)
        if base.utf8.count > limit {
            let hash = String(UInt32(truncatingIfNeeded: base.hashValueStable), radix: 16)
            base = String(base.utf8.prefix(limit - hash.count - 1)) ?? "idx"
            base += "_" + hash
        }
        var candidate = base
        var n = 2
        while taken.contains(candidate) { candidate = base + "_\(n)"; n += 1 }
        return candidate
    }

    static func create(_ name: String, table: SchemaCatalog.Table, columns: [String], dialect: Dialect) -> String {
        let cols = columns.map(dialect.quote).joined(separator: ", ")
        switch dialect {
        case .postgresql:
            return "CREATE INDEX CONCURRENTLY \(dialect.quote(name)) ON \(table.sqlName(dialect)) (\(cols))"
        case .mysql, .sqlite:
            return "CREATE INDEX \(dialect.quote(name)) ON \(table.sqlName(dialect)) (\(cols))"
        }
    }

    static func drop(_ name: String, schema: String?, table: String, dialect: Dialect) -> String {
        switch dialect {
        case .postgresql: "DROP INDEX CONCURRENTLY \(dialect.quote(qualified: [schema, name].compactMap { $0 }))"
        case .mysql: "DROP INDEX \(dialect.quote(name)) ON \(dialect.quote(table))"
        case .sqlite: "DROP INDEX \(dialect.quote(name))"
        }
    }
}

extension String {
    /// FNV-1a over the UTF-8 bytes: stable across runs, unlike `hashValue`.
    var hashValueStable: UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }
}
