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
                let converted = Self.convertedCharsets(insertable.map(\.charset))
                let tuple = insertable.map { Self.literal(column: q.quote($0.name), type: $0.type, charset: $0.charset, converted: converted) }
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

    /// Character sets that are Unicode: two of them in one CONCAT are an illegal mix of collations.
    static let unicodeCharsets: Set<String> = ["utf8mb4", "utf8mb3", "utf8", "ucs2", "utf16", "utf16le", "utf32"]

    /// The character sets (of a table's columns) whose text must be converted explicitly in the row's
    /// CONCAT. None when the text is in utf8mb4 plus at most one other set that is not Unicode, or all in one
    /// set: CONCAT then converts on its own (a Unicode side wins over a non-Unicode one; the literals are
    /// coercible), and skipping `CONVERT` saved the server 0.5-0.7 s on 1.9 M rows with two latin1 columns.
    /// Otherwise every set but utf8mb4 (two other sets, or utf8mb3 beside utf8mb4, would not mix).
    static func convertedCharsets(_ charsets: [String?]) -> Set<String> {
        let all = Set(charsets.compactMap { $0 })
        let others = all.subtracting(["utf8mb4"])
        if all.count <= 1 { return [] }
        if others.count == 1, let other = others.first, !unicodeCharsets.contains(other) { return [] }
        return others
    }

    /// The SQL expression giving a column's value as a literal in the connection's character set (utf8mb4).
    /// Only text in one of the `converted` character sets is converted: the conversion costs the server more
    /// than the quoting itself.
    static func literal(column: String, type: String, charset: String?, converted: Set<String>) -> String {
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
        if let charset, converted.contains(charset) { return "CONVERT(QUOTE(\(column)) USING utf8mb4)" }
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
