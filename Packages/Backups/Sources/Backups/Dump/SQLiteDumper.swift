import DatabaseDriver
import Foundation

/// Dumps a SQLite database inside one read transaction (a consistent snapshot of the file), with DDL from
/// `sqlite_master` and rows as `quote()` literals.
struct SQLiteDumper: EngineDumper {
    func dump(leader: any DatabaseConnection, sink: DumpSink) async throws {
        let q = Dialect.sqlite
        try await leader.begin()
        let objects = try await leader.textRows("""
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid
            """)
        let shadow = Set(try await leader.textRows("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'")
            .compactMap { $0[0] })

        let pre = sink.entry(.preData, name: "pre-data")
        var tables = [(name: String, withoutRowID: Bool, virtual: Bool)]()
        for row in objects where row[0] == "table" {
            guard let name = row[1], let sql = row[3], !shadow.contains(name) else { continue }
            try pre.statement(sql)
            let upper = sql.uppercased()
            tables.append((name, upper.contains("WITHOUT ROWID"), upper.hasPrefix("CREATE VIRTUAL TABLE")))
        }
        try sink.record(pre, order: 0)

        let dataTables = tables.filter { !$0.virtual }
        sink.progress.phase("data", total: dataTables.count)
        for (index, table) in dataTables.enumerated() {
            try Task.checkCancellation()
            let columns = try await leader.textColumn("SELECT name FROM pragma_table_info(\(q.stringLiteral(table.name)))")
            let names = columns.map(q.quote).joined(separator: ", ")
            let writer = sink.entry(.tableData, name: table.name, insertPrefix: "INSERT INTO \(q.quote(table.name)) (\(names)) VALUES ")
            if !columns.isEmpty {
                let tuple = columns.map { "quote(\(q.quote($0)))" }.joined(separator: " || ',' || ")
                let order = table.withoutRowID ? "" : " ORDER BY _rowid_"
                try await streamRows(leader, "SELECT '(' || \(tuple) || ')' FROM \(q.quote(table.name))\(order)", into: writer)
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
