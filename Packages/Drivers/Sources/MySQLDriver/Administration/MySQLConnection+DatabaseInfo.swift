extension MySQLConnection {
    /// Version, size, encoding and object counts of the connected database, from `information_schema`.
    ///
    /// `engine` is `"mysql"` (the dialect; `serverVersion` tells MariaDB from MySQL). `sizeBytes` is the
    /// sum of data and index lengths; `tableCount` counts base tables (system-versioned ones included),
    /// `indexCount` distinct indexes (a primary key counts as one).
    public func databaseInfo() async throws -> DatabaseInfo {
        let version = try await serverVersion()
        let sql = """
            SELECT DATABASE(),
              (SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables
                 WHERE table_schema = DATABASE()),
              (SELECT default_character_set_name FROM information_schema.schemata WHERE schema_name = DATABASE()),
              (SELECT COUNT(*) FROM information_schema.tables
                 WHERE table_schema = DATABASE() AND table_type IN ('BASE TABLE', 'SYSTEM VERSIONED')),
              (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'VIEW'),
              (SELECT COUNT(DISTINCT table_name, index_name) FROM information_schema.statistics
                 WHERE table_schema = DATABASE())
            """
        let row = try await withCursor(sql, .none) { cursor in try cursor.next() }
        guard let row else {
            throw DatabaseError.mysqlDriver(.other, "information_schema returned no row", sql: sql)
        }
        func integer(_ i: Int) -> Int64? {
            switch row[i] {
            case .integer(let v): v
            case .decimal(let s): Int64(s)
            default: nil
            }
        }
        var name = configuration.database
        if case .text(let current) = row[0] { name = current }
        var encoding: String?
        if case .text(let charset) = row[2] { encoding = charset }
        return DatabaseInfo(
            engine: "mysql", serverVersion: version, databaseName: name, sizeBytes: integer(1), encoding: encoding,
            tableCount: Int(integer(3) ?? 0), viewCount: integer(4).map { Int($0) }, indexCount: integer(5).map { Int($0) })
    }
}
