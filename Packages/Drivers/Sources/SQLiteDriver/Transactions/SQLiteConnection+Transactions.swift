import CSQLite
import DatabaseDriver

extension SQLiteConnection {
    /// True while a transaction is open (SQLite is not in autocommit mode). A savepoint outside a
    /// transaction opens one too.
    public var inTransaction: Bool {
        guard let db else { return false }
        return sqlite3_get_autocommit(db) == 0
    }

    /// Starts a deferred transaction.
    /// - Throws: `.misuse` when a transaction is already open (use savepoints to nest).
    public func begin() async throws {
        guard !inTransaction else {
            throw SQLiteErrorMapping.driver(.misuse, "a transaction is already open; use a savepoint to nest")
        }
        try control("BEGIN")
    }

    /// Commits the open transaction. Throws `.misuse` when none is open.
    public func commit() async throws {
        try requireTransaction("commit")
        try control("COMMIT")
    }

    /// Rolls back the open transaction. Throws `.misuse` when none is open.
    public func rollback() async throws {
        try requireTransaction("roll back")
        try control("ROLLBACK")
    }

    /// Sets a savepoint named `name` (any text but NUL; it is quoted, never spliced).
    public func savepoint(_ name: String) async throws {
        try control("SAVEPOINT " + savepointName(name))
    }

    /// Releases the savepoint `name` and those set after it, keeping their changes.
    public func releaseSavepoint(_ name: String) async throws {
        try control("RELEASE SAVEPOINT " + savepointName(name))
    }

    /// Undoes the changes since the savepoint `name`; the savepoint stays set.
    public func rollbackToSavepoint(_ name: String) async throws {
        try control("ROLLBACK TO SAVEPOINT " + savepointName(name))
    }

    private func savepointName(_ name: String) throws(DatabaseError) -> String {
        try dialect.validateIdentifier(name, role: "savepoint name")
        return dialect.quote(name)
    }

    private func requireTransaction(_ action: String) throws(DatabaseError) {
        _ = try openHandle()
        guard inTransaction else {
            throw SQLiteErrorMapping.driver(.misuse, "cannot \(action): no transaction is open")
        }
    }

    /// Runs a transaction-control statement (allowed on read-only connections).
    private func control(_ sql: String) throws(DatabaseError) {
        let db = try openHandle()
        guard let statement = try StatementCompiler.single(sql, db: db) else { return }
        defer { statement.finalize() }
        _ = try run(statement, db: db)
    }
}
