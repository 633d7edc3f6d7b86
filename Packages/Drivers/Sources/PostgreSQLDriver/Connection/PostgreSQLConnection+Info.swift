extension PostgreSQLConnection {
    /// Counts user relations by kind, outside the system schemas (`pg_*`, `information_schema`).
    private static let infoQuery = """
        SELECT current_database(),
               pg_catalog.pg_database_size(current_database()),
               pg_catalog.pg_encoding_to_char(d.encoding),
               count(*) FILTER (WHERE c.relkind IN ('r', 'p')),
               count(*) FILTER (WHERE c.relkind IN ('v', 'm')),
               count(*) FILTER (WHERE c.relkind IN ('i', 'I'))
        FROM pg_catalog.pg_database d
        LEFT JOIN pg_catalog.pg_class c
          ON c.relnamespace IN (SELECT n.oid FROM pg_catalog.pg_namespace n
                                WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema')
        WHERE d.datname = current_database()
        GROUP BY d.encoding
        """

    /// The connected database's name, size on disk, encoding, and counts of tables (partitions included),
    /// views (materialized ones included) and indexes. One query.
    public func databaseInfo() async throws -> DatabaseInfo {
        let version = try await serverVersion()
        let result = try await query(Self.infoQuery)
        guard let row = result.rows.first, row.count == 6 else {
            throw DatabaseError(.other, "the server returned no information about the current database",
                engine: PostgreSQLErrors.engine)
        }
        func integer(_ value: DatabaseValue) -> Int64? {
            if case .integer(let n) = value { return n }
            return nil
        }
        func text(_ value: DatabaseValue) -> String? {
            if case .text(let s) = value { return s }
            return nil
        }
        return DatabaseInfo(
            engine: "postgresql", serverVersion: version,
            databaseName: text(row[0]) ?? configuration.database,
            sizeBytes: integer(row[1]), encoding: text(row[2]),
            tableCount: Int(integer(row[3]) ?? 0),
            viewCount: integer(row[4]).map { Int($0) }, indexCount: integer(row[5]).map { Int($0) })
    }
}
