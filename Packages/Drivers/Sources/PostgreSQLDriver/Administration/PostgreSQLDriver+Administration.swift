extension PostgreSQLDriver {
    /// The server's databases, templates excluded, in name order.
    public func listDatabases(_ configuration: ConnectionConfiguration) async throws -> [String] {
        try await withAdministrationConnection(configuration, avoiding: nil) { connection in
            let result = try await connection.query(
                "SELECT datname FROM pg_catalog.pg_database WHERE NOT datistemplate ORDER BY datname")
            return result.rows.compactMap { row in
                if case .text(let name) = row[0] { return name }
                return nil
            }
        }
    }

    /// Runs `CREATE DATABASE` with the quoted name and options.
    ///
    /// The name, owner and template are validated and quoted as identifiers; encoding and collation (sent
    /// as `LOCALE`) must match `^[A-Za-z0-9_.@-]+$` and go in as string literals, since DDL takes no
    /// parameters. When an encoding or collation is given without a template, `template0` is used, as
    /// PostgreSQL requires for settings that differ from `template1`'s.
    ///
    /// - Throws: `.duplicateObject` when the database exists (unless `options.ifNotExists`),
    ///   `.invalidValue` for a name or option that fails validation.
    public func createDatabase(
        _ name: String, options: CreateDatabaseOptions, on configuration: ConnectionConfiguration
    ) async throws {
        let statement = try CreateDatabaseStatement(name: name, options: options).sql
        try await withAdministrationConnection(configuration, avoiding: name) { connection in
            if options.ifNotExists, try await Self.exists(name, on: connection) { return }
            do {
                _ = try await connection.execute(statement, .none)
            } catch let error as DatabaseError where error.code == .duplicateObject && options.ifNotExists {
                return
            }
        }
    }

    /// Runs `DROP DATABASE [IF EXISTS]` with the quoted name. Sessions still connected to it make it fail
    /// (`WITH (FORCE)` is never used).
    ///
    /// - Throws: `.unknownDatabase` when it does not exist and `ifExists` is false.
    public func dropDatabase(_ name: String, ifExists: Bool, on configuration: ConnectionConfiguration) async throws {
        let dialect = Dialect.postgresql
        try dialect.validateIdentifier(name, role: "database name")
        let sql = "DROP DATABASE " + (ifExists ? "IF EXISTS " : "") + dialect.quote(name)
        try await withAdministrationConnection(configuration, avoiding: name) { connection in
            _ = try await connection.execute(sql, .none)
        }
    }

    private static func exists(_ name: String, on connection: PostgreSQLConnection) async throws -> Bool {
        try await connection.scalar("SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", [.text(name)]) != nil
    }

    /// Connects to the configured database, or to `postgres` when none is configured or when the
    /// configured one is the database being created or dropped, runs `body`, and closes the connection.
    private func withAdministrationConnection<T: Sendable>(
        _ configuration: ConnectionConfiguration, avoiding name: String?,
        _ body: (PostgreSQLConnection) async throws -> T
    ) async throws -> T {
        var target = configuration
        if target.database.isEmpty || target.database == name { target.database = "postgres" }
        target.readOnly = configuration.readOnly
        let connection = try await PostgreSQLConnection.open(target)
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }
}
