import CLibPQ

extension PostgreSQLConnection {
    /// True while a transaction is open (including a failed one awaiting `rollback()`), as libpq tracks it:
    /// a `BEGIN` sent through `execute` counts too.
    public var inTransaction: Bool {
        guard let pointer = handle?.pointer else { return false }
        let status = PQtransactionStatus(pointer)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Starts a transaction. Throws `.misuse` when one is already open (use savepoints to nest).
    public func begin() async throws {
        if inTransaction {
            throw DatabaseError(.misuse, "a transaction is already open; use a savepoint to nest",
                engineCode: "25001", engine: PostgreSQLErrors.engine)
        }
        try await command("BEGIN")
    }

    /// Commits the open transaction.
    ///
    /// - Throws: `.misuse` when no transaction is open, or when the transaction had failed: PostgreSQL
    ///   then rolls it back instead (SQLSTATE 25P02).
    public func commit() async throws {
        try requireTransaction("commit")
        let failed = handle?.pointer.map { PQtransactionStatus($0) == PQTRANS_INERROR } ?? false
        let tag = try await command("COMMIT")
        if failed || tag == "ROLLBACK" {
            throw DatabaseError(.misuse, "the transaction had failed, so COMMIT rolled it back",
                engineCode: "25P02", sql: "COMMIT", engine: PostgreSQLErrors.engine)
        }
    }

    /// Rolls back the open transaction. Throws `.misuse` when none is open.
    public func rollback() async throws {
        try requireTransaction("roll back")
        try await command("ROLLBACK")
    }

    /// Creates a savepoint in the open transaction; the name is validated and quoted.
    public func savepoint(_ name: String) async throws {
        try await command("SAVEPOINT " + savepointIdentifier(name))
    }

    /// Releases a savepoint, keeping its changes in the open transaction.
    public func releaseSavepoint(_ name: String) async throws {
        try await command("RELEASE SAVEPOINT " + savepointIdentifier(name))
    }

    /// Undoes the changes made since a savepoint; the savepoint stays usable.
    public func rollbackToSavepoint(_ name: String) async throws {
        try await command("ROLLBACK TO SAVEPOINT " + savepointIdentifier(name))
    }

    private func savepointIdentifier(_ name: String) throws(DatabaseError) -> String {
        try dialect.validateIdentifier(name, role: "savepoint name")
        return dialect.quote(name)
    }

    private func requireTransaction(_ action: String) throws(DatabaseError) {
        _ = try livePointer()
        guard inTransaction else {
            throw DatabaseError(.misuse, "there is no transaction to \(action)", engineCode: "25P01",
                engine: PostgreSQLErrors.engine)
        }
    }

    /// Runs a statement the driver built and returns its command tag.
    @discardableResult
    private func command(_ sql: String) async throws -> String? {
        try await runCancellable(sql) { connection in
            guard PQsendQueryParams(connection, sql, 0, nil, nil, nil, nil, 0) == 1 else {
                throw PostgreSQLErrors.error(connection: connection, sql: sql)
            }
            return try ResultDrain.drain(connection, sql: sql).commandStatus
        }
    }
}
