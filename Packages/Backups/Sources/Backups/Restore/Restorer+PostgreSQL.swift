import Drivers
import Foundation

/// The PostgreSQL side of a restore: how each table's rows load (`COPY ... FREEZE`, in binary where every
/// column's type allows), and post-data on several connections.
extension Restorer {
    /// A plain table (not partitioned, not foreign) of the target database, as its rows' COPY sees it.
    struct CopyTarget: Sendable {
        /// The quoted name the dump's COPY statements use.
        let qualified: String
        /// The COPY statement of a dump of this table with its insertable columns in order.
        let copyStatement: String
        /// Rewrites the rows in binary; nil when a column's type has no binary form in `CopyBinaryRows`.
        let binary: CopyBinaryRows?
    }

    /// The target's plain tables by entry name (`schema.name`). Their data can be loaded with `TRUNCATE` +
    /// `COPY ... WITH (FREEZE)` in one transaction: rows are written frozen (no later hint-bit or
    /// vacuum-freeze rewrite), and on a server with `wal_level = minimal` without WAL.
    static func copyTargets(_ connection: any DatabaseConnection) async throws -> [String: CopyTarget] {
        var columns = [String: (qualified: String, names: [String], types: [UInt32])]()
        for row in try await connection.textRows("""
            SELECT n.nspname, c.relname, a.attname, a.atttypid::pg_catalog.int8
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
            WHERE c.relkind = 'r' AND \(PostgreSQLCatalog.userSchema)
            ORDER BY c.oid, a.attnum
            """) {
            guard let schema = row[0], let name = row[1], let column = row[2], let type = row[3].flatMap({ UInt32($0) }) else { continue }
            let key = "\(schema).\(name)"
            columns[key, default: (Dialect.postgresql.quote(qualified: [schema, name]), [], [])].names.append(Dialect.postgresql.quote(column))
            columns[key]!.types.append(type)
        }
        return columns.mapValues { table in
            CopyTarget(qualified: table.qualified,
                       copyStatement: "COPY \(table.qualified) (\(table.names.joined(separator: ", "))) FROM STDIN",
                       binary: CopyBinaryRows(typeOIDs: table.types))
        }
    }

    /// Loads a table's `D` rows with `COPY FROM STDIN` inside one transaction, its parts one after the
    /// other (the restored heap keeps the dump's row order: two parts loaded at once interleave their pages,
    /// and a primary key's build then sorts rows out of order); `FREEZE` after a `TRUNCATE` of the (empty,
    /// just created) table when it is a plain table, and in binary when its columns' types allow (the server
    /// then parses no text). Should a row hold a value the binary rewrite does not read, or the server refuse
    /// the binary COPY, the table is loaded again as text; should it refuse `FREEZE`, with plain COPYs.
    func copyTable(_ parts: [Manifest.Entry], connection: PostgreSQLConnection, targets: [String: CopyTarget]) async throws {
        guard let name = parts.first?.name else { return }
        if let table = targets[name], parts.allSatisfy({ Self.isPlainCopy($0.copyStatement, of: table.qualified) }) {
            let truncate = "TRUNCATE ONLY \(table.qualified)"
            if let binary = table.binary, parts.allSatisfy({ $0.copyStatement == table.copyStatement }) {
                do {
                    try await copyTable(parts, options: " WITH (FORMAT binary, FREEZE)", binary: binary, truncate: truncate, connection: connection)
                    return
                } catch is CopyFeed.BinaryUnsupported {
                    notes.add("table \(name): a value is in a form the binary COPY does not read, so it was loaded as COPY text")
                } catch let error as DatabaseError where Self.refusesBinary(error) {
                    notes.add("table \(name): the binary COPY was refused (\(error.message)), so it was loaded as COPY text")
                }
            }
            do {
                try await copyTable(parts, options: " WITH (FREEZE)", binary: nil, truncate: truncate, connection: connection)
                return
            } catch let error as DatabaseError where error.code != .cancelled && error.code != .connectionLost {
                notes.add("table \(name): COPY FREEZE was refused (\(error.message)), so it was loaded with a plain COPY")
            }
        }
        try await copyTable(parts, options: "", binary: nil, truncate: nil, connection: connection)
    }

    /// Whether the server's error refuses the binary data itself (a data exception such as 22P03 "incorrect
    /// binary data format", a feature not supported, a type without a binary input function), which the
    /// same rows as text may not meet. Anything else (a full disk, a lock timeout, a lost connection) would
    /// fail the text load too, and ends the restore at once.
    static func refusesBinary(_ error: DatabaseError) -> Bool {
        guard let state = error.engineCode, error.code != .cancelled, error.code != .connectionLost else { return false }
        return ["22", "0A", "42"].contains(String(state.prefix(2)))
    }

    /// Whether `copy` is `COPY <qualified> (...) FROM STDIN`, which `WITH (FREEZE)` may follow.
    private static func isPlainCopy(_ copy: String?, of qualified: String) -> Bool {
        guard let copy else { return false }
        return copy.hasPrefix("COPY \(qualified) (") && copy.hasSuffix(" FROM STDIN")
    }

    private func copyTable(_ parts: [Manifest.Entry], options: String, binary: CopyBinaryRows?, truncate: String?,
                           connection: PostgreSQLConnection) async throws {
        try await connection.begin()
        var loaded = [(name: String, rows: Int64)]()
        do {
            if let truncate { _ = try await connection.execute(truncate) }
            for part in parts {
                guard let copy = part.copyStatement else { continue }
                let rows = try await connection.copyIn(copy + options, CopyFeed(entry: part, reader: chunkReader, binary: binary).next)
                loaded.append((part.name, rows))
            }
            try await connection.commit()
        } catch {
            try? await connection.rollback()
            throw error
        }
        for part in loaded { progress.tableDone(name: part.name, rows: part.rows, bytes: 0) }
    }

    /// Runs a PostgreSQL post-data entry in `PostDataPlan`'s phases, each phase's statements spread over
    /// `jobs` connections. A statement that fails (a dependency the phases did not foresee, a deadlock
    /// between two foreign keys) is retried at the end, one connection, until no more succeed.
    func runPostDataInParallel(_ entry: Manifest.Entry, reader: ChunkReader, first: any DatabaseConnection) async throws {
        var statements = [String]()
        try reader.frames(of: entry) { frame in statements.append(String(decoding: frame.text, as: UTF8.self)) }
        let plan = PostDataPlan(statements)
        var failed = [String]()
        let helpers = try await openHelpers(count: min(jobs, max(plan.builds.count, plan.foreignKeys.count)) - 1)
        do {
            failed += try await runSpread(plan.builds, connections: [first] + helpers)
            failed += try await runSpread(plan.attachments, connections: [first])
            failed += try await runSpread(plan.foreignKeys, connections: [first] + helpers)
        } catch {
            for helper in helpers { await helper.close() }
            throw error
        }
        for helper in helpers { await helper.close() }
        try await runPending(failed + plan.rest, connection: first)
    }

    private func openHelpers(count: Int) async throws -> [any DatabaseConnection] {
        var helpers = [any DatabaseConnection]()
        for _ in 0..<max(0, count) {
            do { helpers.append(try await open()) } catch {
                for helper in helpers { await helper.close() }
                throw error
            }
        }
        return helpers
    }

    /// Runs statements on the given connections, each taking the next one when free; returns the ones that
    /// failed with an engine error (they are retried later). Cancellation and lost connections throw.
    private func runSpread(_ statements: [String], connections: [any DatabaseConnection]) async throws -> [String] {
        guard !statements.isEmpty else { return [] }
        if connections.count == 1 || statements.count == 1 {
            var failed = [String]()
            for statement in statements where try await !runOne(statement, on: connections[0]) { failed.append(statement) }
            return failed
        }
        let queue = WorkQueue(statements)
        return try await withThrowingTaskGroup(of: [String].self) { group in
            for connection in connections {
                group.addTask {
                    var failed = [String]()
                    while let statement = queue.next() {
                        if try await !runOne(statement, on: connection) { failed.append(statement) }
                    }
                    return failed
                }
            }
            var failed = [String]()
            for try await part in group { failed += part }
            return failed
        }
    }

    /// Runs one statement: true when it succeeded, false when the engine refused it.
    private func runOne(_ statement: String, on connection: any DatabaseConnection) async throws -> Bool {
        try Task.checkCancellation()
        do {
            _ = try await connection.execute(statement)
            return true
        } catch let error as DatabaseError where error.code != .cancelled && error.code != .connectionLost {
            return false
        }
    }
}
