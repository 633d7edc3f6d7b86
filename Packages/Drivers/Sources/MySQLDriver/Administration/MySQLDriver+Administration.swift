extension MySQLDriver {
    /// The server's schemas that belong to users: `SHOW DATABASES` without `information_schema`,
    /// `performance_schema`, `mysql` and `sys`, sorted by name.
    public func listDatabases(_ configuration: ConnectionConfiguration) async throws -> [String] {
        let connection = try await MySQLConnection.connect(configuration, selectDatabase: false)
        defer { Task { await connection.close() } }
        let system: Set<String> = ["information_schema", "performance_schema", "mysql", "sys"]
        let result = try await connection.query("SHOW DATABASES")
        return result.rows.compactMap { row -> String? in
            guard case .text(let name) = row[0], !system.contains(name.lowercased()) else { return nil }
            return name
        }.sorted()
    }

    /// Creates a database: `CREATE DATABASE [IF NOT EXISTS] `name` [CHARACTER SET ...] [COLLATE ...]`.
    ///
    /// The name is validated (`Dialect.validateIdentifier`) and quoted with backticks, so any name is taken
    /// literally. `encoding` and `collation` must match `^[A-Za-z0-9_]+$`. With neither given, the
    /// database is created `CHARACTER SET utf8mb4` whatever the server's default (often `latin1`), so
    /// every Unicode text can be stored.
    /// - Throws: `.duplicateObject` when it exists (unless `ifNotExists`), `.invalidValue` for a bad name
    ///   or option, `.permissionDenied` on a read-only configuration.
    public func createDatabase(_ name: String, options: CreateDatabaseOptions, on configuration: ConnectionConfiguration) async throws {
        try dialect.validateIdentifier(name, role: "database name")
        var sql = "CREATE DATABASE " + (options.ifNotExists ? "IF NOT EXISTS " : "") + dialect.quote(name)
        if let encoding = options.encoding {
            try Self.validateOptionWord(encoding, role: "encoding")
            sql += " CHARACTER SET " + encoding
        }
        if options.encoding == nil && options.collation == nil {
            sql += " CHARACTER SET utf8mb4"
        }
        if let collation = options.collation {
            try Self.validateOptionWord(collation, role: "collation")
            sql += " COLLATE " + collation
        }
        try await runAdministration(sql, on: configuration)
    }

    /// Drops a database: `DROP DATABASE [IF EXISTS] `name``.
    ///
    /// - Throws: `.unknownDatabase` when it does not exist and `ifExists` is false.
    public func dropDatabase(_ name: String, ifExists: Bool, on configuration: ConnectionConfiguration) async throws {
        try dialect.validateIdentifier(name, role: "database name")
        try await runAdministration("DROP DATABASE " + (ifExists ? "IF EXISTS " : "") + dialect.quote(name), on: configuration)
    }

    private func runAdministration(_ sql: String, on configuration: ConnectionConfiguration) async throws {
        let connection = try await MySQLConnection.connect(configuration, selectDatabase: false)
        do {
            _ = try await connection.execute(sql)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    private static func validateOptionWord(_ value: String, role: String) throws(DatabaseError) {
        let valid = !value.isEmpty && value.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
        }
        guard valid else {
            throw .mysqlDriver(.invalidValue, "\(role) may only contain letters, digits and underscores")
        }
    }
}
