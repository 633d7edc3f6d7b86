import DatabaseDriver

/// The names dbm gives constraints that a schema leaves unnamed, following PostgreSQL's own convention
/// (`orders_pkey`, `orders_user_id_fkey`, `users_email_key`, `orders_check`). DDL always writes a name, so a
/// later migration can drop the constraint by the same name on every engine.
enum ConstraintNames {
    static func primaryKey(_ table: TableDefinition) -> String {
        table.primaryKey?.name ?? fit("\(table.name)_pkey")
    }

    static func foreignKey(_ fk: ForeignKey, in table: String) -> String {
        fk.name ?? fit("\(table)_\(fk.columns.joined(separator: "_"))_fkey")
    }

    static func unique(_ u: UniqueConstraint, in table: String) -> String {
        u.name ?? fit("\(table)_\(u.columns.joined(separator: "_"))_key")
    }

    static func check(_ check: CheckConstraint, in table: TableDefinition) -> String {
        if let name = check.name { return name }
        let unnamed = table.checkConstraints.filter { $0.name == nil }
        let position = unnamed.firstIndex(of: check) ?? 0
        return fit("\(table.name)_check" + (position == 0 ? "" : String(position)))
    }

    /// Truncates to 63 bytes (the shortest limit, PostgreSQL's) on a character boundary.
    static func fit(_ name: String) -> String {
        guard name.utf8.count > 63 else { return name }
        var out = ""
        for ch in name {
            if out.utf8.count + String(ch).utf8.count > 63 { break }
            out.append(ch)
        }
        return out
    }
}
