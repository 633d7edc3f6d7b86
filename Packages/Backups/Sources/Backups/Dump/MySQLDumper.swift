import DatabaseDriver
import Foundation

/// Dumps a MariaDB/MySQL database from one `START TRANSACTION WITH CONSISTENT SNAPSHOT`, with DDL from
/// `SHOW CREATE TABLE|VIEW|PROCEDURE|FUNCTION|TRIGGER` and rows streamed unbuffered.
///
/// One connection reads everything (MariaDB cannot share a snapshot between sessions); compression still
/// runs on every core.
struct MySQLDumper: EngineDumper {
    /// Types whose values are written as hex literals (bytes, not text).
    static let binaryTypes: Set<String> = [
        "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point", "linestring",
        "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection",
    ]

    func dump(leader: any DatabaseConnection, sink: DumpSink) async throws {
        _ = try await leader.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        _ = try await leader.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        let q = Dialect.mysql
        let objects = try await leader.textRows(
            "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
        let tables = objects.filter { $0[1] == "BASE TABLE" }.compactMap { $0[0] }
        let views = objects.filter { $0[1] == "VIEW" }.compactMap { $0[0] }

        var columns = [String: [(name: String, type: String, generated: Bool, charset: String?)]]()
        for row in try await leader.textRows("""
            SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, EXTRA, CHARACTER_SET_NAME FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION
            """) {
            let extra = (row[3] ?? "").uppercased()
            columns[row[0] ?? "", default: []].append((row[1] ?? "", (row[2] ?? "").lowercased(),
                                                       extra.contains("VIRTUAL") || extra.contains("STORED") || extra.contains("PERSISTENT"),
                                                       row[4]))
        }
        var primaryKeys = [String: [String]]()
        for row in try await leader.textRows("""
            SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
            WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION
            """) {
            primaryKeys[row[0] ?? "", default: []].append(row[1] ?? "")
        }

        let pre = sink.entry(.preData, name: "pre-data")
        for table in tables {
            guard let sql = try await leader.textRows("SHOW CREATE TABLE \(q.quote(table))").first?[1] else { continue }
            try pre.statement(sql)
        }
        try sink.record(pre, order: 0)

        sink.progress.phase("data", total: tables.count)
        for (index, table) in tables.enumerated() {
            try Task.checkCancellation()
            let insertable = (columns[table] ?? []).filter { !$0.generated }
            let names = insertable.map { q.quote($0.name) }.joined(separator: ", ")
            let writer = sink.entry(.tableData, name: table, insertPrefix: "INSERT INTO \(q.quote(table)) (\(names)) VALUES ")
            if !insertable.isEmpty {
                let tuple = insertable.map { Self.literal(column: q.quote($0.name), type: $0.type, charset: $0.charset) }
                    .joined(separator: ", ',', ")
                let order = primaryKeys[table].map { " ORDER BY " + $0.map(q.quote).joined(separator: ", ") } ?? ""
                try await streamRows(leader, "SELECT CONCAT('(', \(tuple), ')') FROM \(q.quote(table))\(order)", into: writer)
            }
            try sink.record(writer, order: index + 1, table: (nil, table))
        }

        sink.progress.phase("post_data")
        let post = sink.entry(.postData, name: "post-data")
        for row in try await leader.textRows("""
            SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_TYPE, ROUTINE_NAME
            """) {
            guard let name = row[0], let type = row[1] else { continue }
            guard let sql = try await leader.textRows("SHOW CREATE \(type) \(q.quote(name))").first?[2] else {
                throw BackupError(.database, "SHOW CREATE \(type) \(name) returned no definition (missing privilege?)")
            }
            try post.compound(Self.withoutDefiner(sql))
        }
        var viewDefinitions = [(name: String, sql: String)]()
        for view in views {
            guard let sql = try await leader.textRows("SHOW CREATE VIEW \(q.quote(view))").first?[1] else { continue }
            viewDefinitions.append((view, Self.withoutDefiner(sql)))
        }
        for view in Self.dependencyOrder(viewDefinitions) { try post.statement(view.sql) }
        for row in try await leader.textRows("""
            SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER
            """) {
            guard let name = row[0], let sql = try await leader.textRows("SHOW CREATE TRIGGER \(q.quote(name))").first?[2] else { continue }
            try post.compound(Self.withoutDefiner(sql))
        }
        try sink.record(post, order: tables.count + 1)
        _ = try await leader.execute("COMMIT")
    }

    /// The SQL expression giving a column's value as a literal in the connection's character set (utf8mb4).
    /// Only text in another character set is converted: the conversion costs the server more than the
    /// quoting itself.
    static func literal(column: String, type: String, charset: String?) -> String {
        if binaryTypes.contains(type) {
            return "IF(\(column) IS NULL, 'NULL', CONCAT('X''', HEX(\(column)), ''''))"
        }
        if type == "bit" {
            return "IF(\(column) IS NULL, 'NULL', CAST(\(column) + 0 AS CHAR))"
        }
        if type == "float" {
            // The text protocol rounds FLOAT to 6 digits; its exact DOUBLE value reads back as the same FLOAT.
            return "IF(\(column) IS NULL, 'NULL', CAST(CAST(\(column) AS DOUBLE) AS CHAR))"
        }
        if let charset, charset != "utf8mb4" { return "CONVERT(QUOTE(\(column)) USING utf8mb4)" }
        return "QUOTE(\(column))"
    }

    /// Removes `DEFINER=user@host` so the restoring user owns the object (it may not have SUPER).
    static func withoutDefiner(_ sql: String) -> String {
        sql.replacingOccurrences(of: #"DEFINER=(`[^`]*`|'[^']*'|[^ @]+)@(`[^`]*`|'[^']*'|[^ ]+) "#, with: "", options: .regularExpression)
    }

    /// Views ordered so that a view comes after every view its definition names.
    static func dependencyOrder(_ views: [(name: String, sql: String)]) -> [(name: String, sql: String)] {
        var remaining = views
        var done = Set<String>()
        var ordered = [(name: String, sql: String)]()
        while !remaining.isEmpty {
            let ready = remaining.firstIndex { view in
                remaining.allSatisfy { other in other.name == view.name || done.contains(other.name) || !view.sql.contains("`\(other.name)`") }
            } ?? 0
            let view = remaining.remove(at: ready)
            done.insert(view.name)
            ordered.append(view)
        }
        return ordered
    }
}
