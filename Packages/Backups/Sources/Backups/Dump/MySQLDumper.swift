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

        var columns = [String: [(name: String, type: String, generated: Bool)]]()
        for row in try await leader.textRows("""
            SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, EXTRA FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION
            """) {
            let extra = (row[3] ?? "").uppercased()
            columns[row[0] ?? "", default: []].append((row[1] ?? "", (row[2] ?? "").lowercased(),
                                                       extra.contains("VIRTUAL") || extra.contains("STORED") || extra.contains("PERSISTENT")))
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
                let selections = insertable.map { Self.selection(column: q.quote($0.name), type: $0.type) }
                let order = primaryKeys[table].map { " ORDER BY " + $0.map(q.quote).joined(separator: ", ") } ?? ""
                try await streamTuples(leader, "SELECT \(selections.map(\.expression).joined(separator: ", ")) FROM \(q.quote(table))\(order)",
                                       forms: selections.map(\.form), into: writer)
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

    /// How a selected column's value becomes part of a row tuple.
    enum ValueForm: Sendable {
        /// The server sends the value as text (in utf8mb4, the connection's character set); dbm quotes it
        /// exactly as `QUOTE()` would, and writes `NULL` for NULL.
        case quoted
        /// The server's expression already is the SQL literal (hex bytes, a number, `NULL`); copied as is.
        case literal
    }

    /// Types whose text value, quoted by dbm, is the literal `QUOTE()` makes of them.
    static let quotedTypes: Set<String> = [
        "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "date", "datetime", "timestamp", "time", "year",
        "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json",
    ]

    /// What to select for a column, and how its value joins the row's tuple. Text, numbers and dates come
    /// as they are, converted to utf8mb4 by the server like every result, and are quoted by dbm: building
    /// the tuple with `CONCAT(QUOTE(...))` took the server 1.6 s for 1.9 M rows where sending the values
    /// took 1.0 s. Bytes, BIT, FLOAT and any other type keep a server-side expression that yields the
    /// literal. Either way a row's tuple is the one `CONCAT('(', QUOTE(a), ',', ..., ')')` gives, so
    /// checksums and chunks match those of earlier backups.
    static func selection(column: String, type: String) -> (expression: String, form: ValueForm) {
        if binaryTypes.contains(type) {
            return ("IF(\(column) IS NULL, 'NULL', CONCAT('X''', HEX(\(column)), ''''))", .literal)
        }
        if type == "bit" {
            return ("IF(\(column) IS NULL, 'NULL', CAST(\(column) + 0 AS CHAR))", .literal)
        }
        if type == "float" {
            // The text protocol rounds FLOAT to 6 digits; its exact DOUBLE value reads back as the same FLOAT.
            return ("IF(\(column) IS NULL, 'NULL', CAST(CAST(\(column) AS DOUBLE) AS CHAR))", .literal)
        }
        if quotedTypes.contains(type) { return (column, .quoted) }
        return ("QUOTE(\(column))", .literal)
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
