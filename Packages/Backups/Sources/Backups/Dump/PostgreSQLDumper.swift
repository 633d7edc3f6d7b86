import DatabaseDriver
import Drivers
import Foundation
import Synchronization

/// Dumps a PostgreSQL database from one REPEATABLE READ snapshot, exported by the leader and imported by
/// every worker, so tables are read in parallel and still agree with each other.
struct PostgreSQLDumper: EngineDumper {
    /// Worker connections reading table data in parallel (each one its own server backend).
    var workers: Int

    private struct Relation: Sendable {
        var oid: Int64
        var schema: String
        var name: String
        var kind: String
        var persistence: String
        var isPartition: Bool
        var partitionBound: String?
        var partitionKey: String?
        var parents: String?
        var viewDefinition: String?
        var options: String?
        var isPopulated: Bool
        var primaryKey: String?
        var pages: Int64
        var qualified: String { Dialect.postgresql.quote(schema) + "." + Dialect.postgresql.quote(name) }
    }

    private struct Column: Sendable {
        var name: String
        var type: String
        var notNull: Bool
        var defaultExpression: String?
        var identity: String
        var generated: String
        var isLocal: Bool
        var collation: String?
    }

    func dump(leader: any DatabaseConnection, sink: DumpSink) async throws {
        try await leader.begin()
        _ = try await leader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        _ = try await leader.execute("SELECT pg_catalog.set_config('search_path', '', false)")
        guard let snapshot = try await leader.scalar("SELECT pg_catalog.pg_export_snapshot()")?.catalogText else {
            throw BackupError(.database, "PostgreSQL did not export a snapshot")
        }

        let relations = try await leader.textRows(PostgreSQLCatalog.relations).map(Self.relation)
        let tables = relations.filter { $0.kind == "r" || $0.kind == "p" }
        // Keep concurrent DDL away from what we read, as pg_dump does.
        for batch in stride(from: 0, to: tables.count, by: 200) {
            let names = tables[batch..<min(batch + 200, tables.count)].map(\.qualified).joined(separator: ", ")
            _ = try await leader.execute("LOCK TABLE \(names) IN ACCESS SHARE MODE")
        }
        var columns = [Int64: [Column]]()
        for row in try await leader.textRows(PostgreSQLCatalog.columns) {
            columns[Int64(row[0] ?? "") ?? 0, default: []].append(Column(
                name: row[1] ?? "", type: row[2] ?? "", notNull: row[3] == "true", defaultExpression: row[4],
                identity: row[5] ?? "", generated: row[6] ?? "", isLocal: row[7] == "true", collation: row[8]))
        }

        try await writePreData(leader: leader, relations: relations, columns: columns, sink: sink)

        let dataTables = tables.filter { $0.kind == "r" }.sorted { ($0.schema, $0.name) < ($1.schema, $1.name) }
        sink.progress.phase("data", total: dataTables.count)
        let slices = try await slices(of: dataTables, columns: columns, leader: leader, sink: sink)
        try await dumpData(slices, columns: columns, snapshot: snapshot, configuration: leader.configuration, sink: sink)

        try await writePostData(leader: leader, relations: relations, order: (dataTables.count + 1) * Self.ordersPerTable, sink: sink)
        try await leader.commit()
    }

    private static func relation(_ row: [String?]) -> Relation {
        Relation(oid: Int64(row[0] ?? "") ?? 0, schema: row[1] ?? "", name: row[2] ?? "", kind: row[3] ?? "",
                 persistence: row[4] ?? "p", isPartition: row[5] == "true", partitionBound: row[6], partitionKey: row[7],
                 parents: row[8], viewDefinition: row[9], options: row[10], isPopulated: row[11] == "true",
                 primaryKey: row[12], pages: Int64(row[13] ?? "") ?? 0)
    }

    private func writePreData(leader: any DatabaseConnection, relations: [Relation], columns: [Int64: [Column]], sink: DumpSink) async throws {
        let entry = sink.entry(.preData, name: "pre-data")
        for sql in try await leader.textColumn(PostgreSQLCatalog.schemas) { try entry.statement(sql) }
        for sql in try await leader.textColumn(PostgreSQLCatalog.extensions) { try entry.statement(sql) }
        for row in try await leader.textRows(PostgreSQLCatalog.types) { if let sql = row[1] { try entry.statement(sql) } }
        for row in try await leader.textRows(PostgreSQLCatalog.sequences) { if let sql = row[1] { try entry.statement(sql) } }

        // Functions, aggregates, tables and views in creation (OID) order, which respects their dependencies
        // (a function returning a table's row type comes after the table).
        var objects = [(oid: Int64, sql: String)]()
        for row in try await leader.textRows(PostgreSQLCatalog.functions) + (try await leader.textRows(PostgreSQLCatalog.aggregates)) {
            if let sql = row[1] { objects.append((Int64(row[0] ?? "") ?? 0, sql)) }
        }
        for relation in relations {
            objects.append((relation.oid, Self.createStatement(relation, columns: columns[relation.oid] ?? [])))
        }
        for object in objects.sorted(by: { $0.oid < $1.oid }) { try entry.statement(object.sql) }
        try sink.record(entry, order: 0)
    }

    private static func createStatement(_ r: Relation, columns: [Column]) -> String {
        let q = Dialect.postgresql
        switch r.kind {
        case "v", "m":
            var definition = (r.viewDefinition ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if definition.hasSuffix(";") { definition.removeLast() }
            let options = r.options.map { " WITH (\($0))" } ?? ""
            return r.kind == "v"
                ? "CREATE VIEW \(r.qualified)\(options) AS \(definition)"
                : "CREATE MATERIALIZED VIEW \(r.qualified)\(options) AS \(definition) WITH NO DATA"
        default:
            let unlogged = r.persistence == "u" ? "UNLOGGED " : ""
            var sql = "CREATE \(unlogged)TABLE \(r.qualified)"
            if r.isPartition, let parent = r.parents, let bound = r.partitionBound {
                sql += " PARTITION OF \(parent) \(bound)"
            } else {
                let defs = columns.filter { $0.isLocal || r.parents == nil }.map { c -> String in
                    var def = "\(q.quote(c.name)) \(c.type)"
                    if let collation = c.collation { def += " COLLATE \(collation)" }
                    if c.generated == "s", let expr = c.defaultExpression {
                        def += " GENERATED ALWAYS AS (\(expr)) STORED"
                    } else if let expr = c.defaultExpression {
                        def += " DEFAULT \(expr)"
                    }
                    if c.identity == "a" { def += " GENERATED ALWAYS AS IDENTITY" }
                    if c.identity == "d" { def += " GENERATED BY DEFAULT AS IDENTITY" }
                    if c.notNull { def += " NOT NULL" }
                    return def
                }
                sql += " (" + defs.joined(separator: ", ") + ")"
                if let parents = r.parents { sql += " INHERITS (\(parents))" }
            }
            if let key = r.partitionKey { sql += " PARTITION BY \(key)" }
            if let options = r.options { sql += " WITH (\(options))" }
            return sql
        }
    }

    /// What one worker dumps at a time: a whole table, or one part of a large one.
    private struct Slice: Sendable {
        var table: Relation
        var order: Int
        var part: Int?
        /// The part's range of the primary key's first column (`WHERE` condition), nil for a whole table.
        var condition: String?
    }

    /// Entries of one table sort between `(i + 1) * ordersPerTable` and the next table's.
    private static let ordersPerTable = 1024
    /// Tables larger than this are dumped in one part per worker, split at quantiles of the first column
    /// of their primary key, so one large table is read on several connections at once (and restored in
    /// order, its parts one after the other).
    @TaskLocal static var partThreshold: Int64 = 64 << 20

    private func slices(of tables: [Relation], columns: [Int64: [Column]], leader: any DatabaseConnection,
                        sink: DumpSink) async throws -> [Slice] {
        var slices = [Slice]()
        for (index, table) in tables.enumerated() {
            let order = (index + 1) * Self.ordersPerTable
            let name = "\(table.schema).\(table.name)"
            // A table the base backup dumped in parts is split where the base split it. Otherwise relpages
            // (from the last VACUUM/ANALYZE, which also makes the histogram) picks the candidates, so small
            // tables cost no query; the histogram's query itself checks the table's actual size.
            let inherits = !sink.baseParts(ofTable: name).isEmpty
            let candidate = workers > 1 && table.pages * 8192 > Self.partThreshold
            var bounds = [String]()
            let key = table.primaryKey != nil && (inherits || candidate) ? try await keyColumn(of: table, leader: leader) : nil
            if let key, inherits {
                bounds = try await baseSplitPoints(of: table, key: key, columns: columns[table.oid] ?? [], leader: leader, sink: sink)
            }
            if let key, bounds.isEmpty, candidate { bounds = try await splitPoints(of: table, key: key, parts: workers, leader: leader) }
            guard let key, !bounds.isEmpty else {
                slices.append(Slice(table: table, order: order))
                continue
            }
            let literals = bounds.map { "\(Dialect.postgresql.stringLiteral($0))::\(key.type)" }
            for part in 0...literals.count {
                var conditions = [String]()
                if part > 0 { conditions.append("\(key.quoted) >= \(literals[part - 1])") }
                if part < literals.count { conditions.append("\(key.quoted) < \(literals[part])") }
                slices.append(Slice(table: table, order: order + part, part: part, condition: conditions.joined(separator: " AND ")))
            }
        }
        return slices
    }

    /// The first column of a table's primary key: its name, quoted name, type and collation (quoted; nil
    /// when the type has none or uses the default).
    private struct KeyColumn {
        var name: String
        var quoted: String
        var type: String
        var collation: String?
    }

    private func keyColumn(of table: Relation, leader: any DatabaseConnection) async throws -> KeyColumn? {
        let rows = try await leader.textRows("""
            SELECT a.attname, pg_catalog.quote_ident(a.attname), pg_catalog.format_type(a.atttypid, a.atttypmod),
              (SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.collname)
               FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
               WHERE c.oid = a.attcollation)
            FROM pg_catalog.pg_index x
            JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
            WHERE x.indrelid = \(table.oid) AND x.indisprimary
            """)
        guard let row = rows.first, let name = row[0], let quoted = row[1], let type = row[2] else { return nil }
        return KeyColumn(name: name, quoted: quoted, type: type, collation: row[3])
    }

    /// Where to split a large table: `parts - 1` distinct values of its primary key's first column, from the
    /// column's histogram in `pg_stats` (none when the table is small or has not been analysed).
    private func splitPoints(of table: Relation, key: KeyColumn, parts: Int, leader: any DatabaseConnection) async throws -> [String] {
        let q = Dialect.postgresql
        let rows = try await leader.textRows("""
            SELECT b.v
            FROM pg_catalog.pg_stats s
            CROSS JOIN LATERAL (
              SELECT h[1 + (pg_catalog.array_length(h, 1) - 1) * i / \(parts)] AS v, i
              FROM (SELECT s.histogram_bounds::text::text[] AS h) bounds, pg_catalog.generate_series(1, \(parts - 1)) i) b
            WHERE s.schemaname = \(q.stringLiteral(table.schema)) AND s.tablename = \(q.stringLiteral(table.name))
              AND s.attname = \(q.stringLiteral(key.name)) AND b.v IS NOT NULL
              AND pg_catalog.pg_relation_size(\(table.oid)) > \(Self.partThreshold)
            ORDER BY b.i
            """)
        var points = [String]()
        for row in rows {
            guard let value = row[0], value != points.last else { continue }
            points.append(value)
        }
        return points
    }

    private func dumpData(_ slices: [Slice], columns: [Int64: [Column]], snapshot: String,
                          configuration: ConnectionConfiguration, sink: DumpSink) async throws {
        // Largest tables first, so the workers finish together.
        let queue = WorkQueue(slices.sorted { $0.table.pages > $1.table.pages })
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, min(workers, slices.count)) {
                group.addTask {
                    let connection = try await Database.connect(configuration)
                    do {
                        try await connection.begin()
                        _ = try await connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                        _ = try await connection.execute("SET TRANSACTION SNAPSHOT \(Dialect.postgresql.stringLiteral(snapshot))")
                        _ = try await connection.execute("SELECT pg_catalog.set_config('search_path', '', false)")
                        while let slice = queue.next() {
                            try Task.checkCancellation()
                            try await dumpTable(slice, columns: columns[slice.table.oid] ?? [], connection: connection, sink: sink)
                        }
                        try await connection.commit()
                    } catch {
                        await connection.close()
                        throw error
                    }
                    await connection.close()
                }
            }
            try await group.waitForAll()
        }
    }

    private func dumpTable(_ slice: Slice, columns: [Column], connection: any DatabaseConnection, sink: DumpSink) async throws {
        let q = Dialect.postgresql
        let table = slice.table
        let insertable = Self.insertable(columns)
        let names = insertable.map { q.quote($0.name) }.joined(separator: ", ")
        let writer = sink.entry(.tableData, name: "\(table.schema).\(table.name)",
                                copyStatement: Self.copyStatement(table, columns), part: slice.part)
        if !insertable.isEmpty {
            guard let postgres = connection as? PostgreSQLConnection else {
                throw BackupError(.database, "the PostgreSQL dumper needs a PostgreSQL connection")
            }
            let condition = slice.condition.map { " WHERE \($0)" } ?? ""
            let order = table.primaryKey.map { " ORDER BY \($0)" } ?? ""
            try await copyRows(postgres, "COPY (SELECT \(names) FROM ONLY \(table.qualified)\(condition)\(order)) TO STDOUT", into: writer)
        }
        try sink.record(writer, order: slice.order, table: (table.schema, table.name))
    }

    /// The columns a table's rows are dumped and restored with, in order: all but generated ones.
    private static func insertable(_ columns: [Column]) -> [Column] { columns.filter { $0.generated.isEmpty } }

    /// The statement a table's rows are restored with (nil when it has no column to insert).
    /// COPY FROM writes identity columns as given, like INSERT ... OVERRIDING SYSTEM VALUE.
    private static func copyStatement(_ table: Relation, _ columns: [Column]) -> String? {
        let insertable = insertable(columns)
        guard !insertable.isEmpty else { return nil }
        return "COPY \(table.qualified) (\(insertable.map { Dialect.postgresql.quote($0.name) }.joined(separator: ", "))) FROM STDIN"
    }

    /// Where the base backup split `table` into parts: the first key of each part after the first, read from
    /// the part's first row. Each part of this backup then holds the same rows as the base's, so its stream
    /// lines up with the base's for delta compression. (Split points from the histogram move with every
    /// ANALYZE; when they had moved, every chunk of the later part started at another row than the base's,
    /// no delta found its bases, and an incremental after 1% of a 1 GiB table's rows changed stored 245 MB
    /// instead of about 1 MB.)
    ///
    /// Empty when the base holds the table whole, its columns changed, or the values no longer cast to the
    /// key's type in increasing order; the server checks that under a savepoint, so a failed cast leaves
    /// the snapshot's transaction usable.
    private func baseSplitPoints(of table: Relation, key: KeyColumn, columns: [Column], leader: any DatabaseConnection,
                                 sink: DumpSink) async throws -> [String] {
        let q = Dialect.postgresql
        let name = "\(table.schema).\(table.name)"
        guard let copyStatement = Self.copyStatement(table, columns),
              let field = Self.insertable(columns).firstIndex(where: { $0.name == key.name }) else { return [] }
        var values = [String]()
        for part in sink.baseParts(ofTable: name) {
            guard let first = try sink.firstBaseRow(ofTable: name, part: part, copyStatement: copyStatement),
                  let value = CopyText.field(field, of: first) else { return [] }
            values.append(value)
        }
        guard !values.isEmpty else { return [] }
        // Compared as the dump's WHERE clauses compare them: with the key's type and collation.
        let collate = key.collation.map { " COLLATE \($0)" } ?? ""
        let literals = values.map { "\(q.stringLiteral($0))::\(key.type)\(collate)" }
        let increasing = zip(literals, literals.dropFirst()).map { "\($0) < \($1)" }
        _ = try await leader.execute("SAVEPOINT dbm_base_split")
        do {
            let check = try await leader.scalar("SELECT \(([literals[0] + " IS NOT NULL"] + increasing).joined(separator: " AND "))")
            _ = try await leader.execute("RELEASE SAVEPOINT dbm_base_split")
            guard check?.catalogText == "true" else { return [] }
        } catch {
            _ = try await leader.execute("ROLLBACK TO SAVEPOINT dbm_base_split")
            return []
        }
        return values
    }

    private func writePostData(leader: any DatabaseConnection, relations: [Relation], order: Int, sink: DumpSink) async throws {
        sink.progress.phase("post_data")
        let entry = sink.entry(.postData, name: "post-data")
        let q = Dialect.postgresql
        for sql in try await leader.textColumn(PostgreSQLCatalog.constraints) { try entry.statement(sql) }
        for row in try await leader.textRows(PostgreSQLCatalog.indexes) {
            guard var sql = row[0] else { continue }
            // A partitioned table's index is created on the parent and recurses to the partitions.
            if row[1] == "p" { sql = sql.replacingOccurrences(of: " ON ONLY ", with: " ON ") }
            try entry.statement(sql)
        }
        for sql in try await leader.textColumn(PostgreSQLCatalog.sequenceOwners) { try entry.statement(sql) }
        for row in try await leader.textRows(PostgreSQLCatalog.sequences) {
            guard let name = row[0] else { continue }
            let state = try await leader.textRows("SELECT last_value, is_called FROM \(name)")
            guard let value = state.first?[0] else { continue }
            try entry.statement("SELECT pg_catalog.setval(\(q.stringLiteral(name)), \(value), \(state.first?[1] ?? "true"))")
        }
        for row in try await leader.textRows(PostgreSQLCatalog.identitySequences) {
            guard let table = row[0], let column = row[1], let sequence = row[2] else { continue }
            let state = try await leader.textRows("SELECT last_value, is_called FROM \(sequence)")
            guard let value = state.first?[0] else { continue }
            try entry.statement("SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(\(q.stringLiteral(table)), \(q.stringLiteral(column))), \(value), \(state.first?[1] ?? "true"))")
        }
        for relation in relations where relation.kind == "m" && relation.isPopulated {
            try entry.statement("REFRESH MATERIALIZED VIEW \(relation.qualified)")
        }
        for sql in try await leader.textColumn(PostgreSQLCatalog.triggers) { try entry.statement(sql) }
        try sink.record(entry, order: order)
    }
}
