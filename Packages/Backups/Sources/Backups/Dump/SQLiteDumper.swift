import DatabaseDriver
import Foundation

/// Dumps a SQLite database as SQL inside one read transaction (a consistent snapshot of the file), with DDL
/// from `sqlite_master` and rows as `quote()` literals: what the plain SQL format renders. Native backups
/// of SQLite are database images instead (`SQLiteImageDumper`); backups taken before those restore from
/// this format.
struct SQLiteDumper: EngineDumper {
    func dump(leader: any DatabaseConnection, sink: DumpSink) async throws {
        let q = Dialect.sqlite
        try await leader.begin()
        let objects = try await SQLiteTables.objects(leader)
        let tables = try await SQLiteTables.list(leader, objects: objects)

        let pre = sink.entry(.preData, name: "pre-data")
        for table in tables { try pre.statement(table.sql) }
        try sink.record(pre, order: 0)

        let dataTables = tables.filter { !$0.virtual }
        sink.progress.phase("data", total: dataTables.count)
        for (index, table) in dataTables.enumerated() {
            try Task.checkCancellation()
            let columns = try await SQLiteTables.columns(leader, of: table.name)
            let names = columns.map(q.quote).joined(separator: ", ")
            let writer = sink.entry(.tableData, name: table.name, insertPrefix: "INSERT INTO \(q.quote(table.name)) (\(names)) VALUES ")
            if let query = SQLiteTables.tupleQuery(table, columns: columns) {
                try await streamRows(leader, query, into: writer)
            }
            try sink.record(writer, order: index + 1, table: (nil, table.name))
        }

        sink.progress.phase("post_data")
        let post = sink.entry(.postData, name: "post-data")
        for row in objects where row[0] != "table" {
            if let sql = row[3] { try post.statement(sql) }
        }
        let hasSequence = try await leader.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if hasSequence == .integer(1) {
            try post.statement("DELETE FROM sqlite_sequence")
            for row in try await leader.textRows("SELECT '(' || quote(name) || ',' || quote(seq) || ')' FROM sqlite_sequence ORDER BY name") {
                if let tuple = row[0] { try post.statement("INSERT INTO sqlite_sequence (name, seq) VALUES \(tuple)") }
            }
        }
        try sink.record(post, order: dataTables.count + 1)
        try await leader.commit()
    }
}

/// The tables of a SQLite database as the dumps see them, and the row text their checksums are taken over.
enum SQLiteTables {
    struct Table: Sendable {
        var name: String
        var sql: String
        var withoutRowID: Bool
        var virtual: Bool
    }

    /// `sqlite_master` rows (type, name, tbl_name, sql) with SQL, SQLite's own objects left out, in creation order.
    static func objects(_ connection: any DatabaseConnection) async throws -> [[String?]] {
        try await connection.textRows("""
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid
            """)
    }

    /// The tables among `objects`, without the shadow tables of virtual tables.
    static func list(_ connection: any DatabaseConnection, objects: [[String?]]) async throws -> [Table] {
        let shadow = Set(try await connection.textRows("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'")
            .compactMap { $0[0] })
        var tables = [Table]()
        for row in objects where row[0] == "table" {
            guard let name = row[1], let sql = row[3], !shadow.contains(name) else { continue }
            let upper = sql.uppercased()
            tables.append(Table(name: name, sql: sql, withoutRowID: upper.contains("WITHOUT ROWID"),
                                virtual: upper.hasPrefix("CREATE VIRTUAL TABLE")))
        }
        return tables
    }

    static func columns(_ connection: any DatabaseConnection, of table: String) async throws -> [String] {
        try await connection.textColumn("SELECT name FROM pragma_table_info(\(Dialect.sqlite.stringLiteral(table)))")
    }

    /// A query returning each row of `table` in rowid order as one text value, `(lit, lit, ...)` of
    /// `quote()` literals (the text a SQL dump's row checksum is taken over); nil without columns.
    static func tupleQuery(_ table: Table, columns: [String]) -> String? {
        guard !columns.isEmpty else { return nil }
        let q = Dialect.sqlite
        let tuple = columns.map { "quote(\(q.quote($0)))" }.joined(separator: " || ',' || ")
        let order = table.withoutRowID ? "" : " ORDER BY _rowid_"
        return "SELECT '(' || \(tuple) || ')' FROM \(q.quote(table.name))\(order)"
    }
}
