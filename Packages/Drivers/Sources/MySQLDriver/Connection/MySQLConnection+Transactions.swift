extension MySQLConnection {
    /// Starts a transaction (`START TRANSACTION`, `READ ONLY` on a read-only connection).
    ///
    /// - Throws: `.misuse` when one is already open (use savepoints to nest).
    /// - Note: MariaDB commits implicitly before DDL (`CREATE`, `ALTER`, `DROP`...); `inTransaction`
    ///   follows the server's own flag, so it is false again after such a statement.
    public func begin() async throws {
        let handle = try requireHandle()
        guard !handle.inTransaction else {
            throw DatabaseError.mysqlDriver(.misuse, "a transaction is already open; use a savepoint to nest")
        }
        try handle.run(configuration.readOnly ? "START TRANSACTION READ ONLY" : "START TRANSACTION")
    }

    /// Commits the open transaction; does nothing when none is open (MariaDB may have committed it
    /// implicitly before a DDL statement).
    public func commit() async throws {
        let handle = try requireHandle()
        guard handle.inTransaction else { return }
        try handle.run("COMMIT")
    }

    /// Rolls back the open transaction; does nothing when none is open.
    public func rollback() async throws {
        let handle = try requireHandle()
        guard handle.inTransaction else { return }
        try handle.run("ROLLBACK")
    }

    /// Sets a savepoint in the open transaction. The name is validated and quoted.
    ///
    /// - Throws: `.misuse` outside a transaction, `.invalidValue` for an empty or over-long name.
    public func savepoint(_ name: String) async throws {
        try runSavepointCommand("SAVEPOINT", name)
    }

    /// Releases a savepoint (keeps its changes).
    public func releaseSavepoint(_ name: String) async throws {
        try runSavepointCommand("RELEASE SAVEPOINT", name)
    }

    /// Undoes the changes made since a savepoint; the savepoint remains.
    public func rollbackToSavepoint(_ name: String) async throws {
        try runSavepointCommand("ROLLBACK TO SAVEPOINT", name)
    }

    private func runSavepointCommand(_ command: String, _ name: String) throws(DatabaseError) {
        let handle = try requireHandle()
        try dialect.validateIdentifier(name, role: "savepoint name")
        guard handle.inTransaction else {
            throw .mysqlDriver(.misuse, "savepoints need an open transaction; call begin() first")
        }
        try handle.run("\(command) \(dialect.quote(name))")
    }
}
