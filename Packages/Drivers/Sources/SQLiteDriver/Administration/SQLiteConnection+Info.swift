import CSQLite
import DatabaseDriver

extension SQLiteConnection {
    /// The SQLite library's version (`"3.40.1"`).
    public func serverVersion() async throws -> String {
        _ = try openHandle()
        return String(cString: sqlite3_libversion())
    }

    /// Engine, library version, database path, size (`page_count × page_size`), text encoding, and the
    /// numbers of user tables, views and indexes (SQLite's internal `sqlite_*` tables are not counted).
    public func databaseInfo() async throws -> DatabaseInfo {
        let db = try openHandle()
        let pageCount = try integer("PRAGMA page_count", db: db)
        let pageSize = try integer("PRAGMA page_size", db: db)
        let tables = try integer(#"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'"#, db: db)
        let views = try integer("SELECT count(*) FROM sqlite_schema WHERE type = 'view'", db: db)
        let indexes = try integer("SELECT count(*) FROM sqlite_schema WHERE type = 'index'", db: db)
        let encoding = try text("PRAGMA encoding", db: db)
        return DatabaseInfo(
            engine: "sqlite", serverVersion: String(cString: sqlite3_libversion()),
            databaseName: configuration.isInMemory ? ":memory:" : configuration.database,
            sizeBytes: pageCount * pageSize, encoding: encoding,
            tableCount: Int(tables), viewCount: Int(views), indexCount: Int(indexes))
    }

    private func integer(_ sql: String, db: OpaquePointer) throws(DatabaseError) -> Int64 {
        try firstValue(sql, db: db) { sqlite3_column_int64($0, 0) }
    }

    private func text(_ sql: String, db: OpaquePointer) throws(DatabaseError) -> String {
        try firstValue(sql, db: db) { sqlite3_column_text($0, 0).map { String(cString: $0) } ?? "" }
    }

    private func firstValue<T>(_ sql: String, db: OpaquePointer, _ read: (OpaquePointer) -> T) throws(DatabaseError) -> T {
        guard let statement = try StatementCompiler.single(sql, db: db) else {
            throw SQLiteErrorMapping.driver(.other, "no statement in \(sql)")
        }
        defer { statement.finalize() }
        let rc = sqlite3_step(statement.handle)
        guard rc == SQLITE_ROW else { throw statement.error(rc) }
        return read(statement.handle)
    }
}
