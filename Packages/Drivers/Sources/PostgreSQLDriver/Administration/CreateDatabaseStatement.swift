/// The text of a `CREATE DATABASE` statement, built from validated, quoted parts.
struct CreateDatabaseStatement {
    let sql: String

    /// - Throws: `.invalidValue` for an empty or overlong identifier, or an encoding/collation outside
    ///   `^[A-Za-z0-9_.@-]+$`.
    init(name: String, options: CreateDatabaseOptions) throws(DatabaseError) {
        let dialect = Dialect.postgresql
        try dialect.validateIdentifier(name, role: "database name")
        var sql = "CREATE DATABASE " + dialect.quote(name)
        if let owner = options.owner {
            try dialect.validateIdentifier(owner, role: "owner")
            sql += " OWNER " + dialect.quote(owner)
        }
        if let template = options.template {
            try dialect.validateIdentifier(template, role: "template")
            sql += " TEMPLATE " + dialect.quote(template)
        } else if options.encoding != nil || options.collation != nil {
            sql += " TEMPLATE template0"
        }
        if let encoding = options.encoding {
            try Self.validateSetting(encoding, role: "encoding")
            sql += " ENCODING " + dialect.stringLiteral(encoding)
        }
        if let collation = options.collation {
            try Self.validateSetting(collation, role: "collation")
            sql += " LOCALE " + dialect.stringLiteral(collation)
        }
        self.sql = sql
    }

    /// Encoding and locale names: letters, digits and `_ . @ -` only.
    static func validateSetting(_ value: String, role: String) throws(DatabaseError) {
        let allowed = value.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "@") || c == UInt8(ascii: "-")
        }
        guard !value.isEmpty, value.utf8.count <= 128, allowed else {
            throw DatabaseError(.invalidValue,
                "\(role) may contain only letters, digits and _ . @ - (for example UTF8 or en_US.UTF-8)",
                engine: PostgreSQLErrors.engine)
        }
    }
}
