import Drivers
import Foundation
import Synchronization

/// Restores a native backup into an empty database: pre-data statements, every table's rows (several
/// tables at once on PostgreSQL and MariaDB), then constraints, indexes, triggers and sequence values.
///
/// Statements that fail because an object they need does not exist yet are retried after the others, so a
/// dependency order the catalog did not capture still restores.
struct Restorer {
    let backup: StoredBackup
    let key: BackupKey?
    var target: ConnectionConfiguration
    let jobs: Int
    let progress: ProgressReporter
    /// How the restore ran where it matters to the caller (a table that fell back to INSERTs, and why).
    let notes = RestoreNotes()
    /// True while building a SQLite restore in a new staging file (see `SQLiteStaging`): no journal, no syncs.
    var buildsSQLiteFile = false
    /// MariaDB tables with at least this many bytes of rows load with InnoDB's statistics recalculation paused
    /// (see `MySQLLoadContext`).
    var statisticsPauseBytes = MySQLLoadContext.statisticsPauseBytes

    /// Reads the backup's chunks; the stored bytes are verified, the plaintext is not hashed again (see
    /// `ChunkReader.checksContentAddress`; `validate_backup` does that).
    var chunkReader: ChunkReader { backup.reader(key: key, checksContentAddress: false) }

    /// Rows per INSERT are bounded by size, so a statement stays well under MariaDB's packet limit.
    static let batchBytes = 1 << 20

    func run() async throws -> [Manifest.TableSummary] {
        let manifest = backup.manifest
        guard manifest.engine == target.dialect.rawValue else {
            throw BackupError(.invalidArgument, "backup \(manifest.id) is of a \(manifest.engine) database; it cannot be restored into \(target.dialect.rawValue)")
        }
        try await prepareTarget()
        if let image = manifest.entries.first(where: { $0.kind == .databaseImage }) { return try await restoreImage(image) }
        // A SQLite restore into a new file is built beside it and renamed into place when complete.
        guard target.dialect == .sqlite, let staging = SQLiteStaging(target: target.database) else { return try await restore() }
        return try await staging.build { buildPath in
            var building = self
            building.target = target.with(database: buildPath)
            building.buildsSQLiteFile = true
            return try await building.restore()
        }
    }

    private func restore() async throws -> [Manifest.TableSummary] {
        let manifest = backup.manifest
        let reader = chunkReader
        let connection = try await open()
        do {
            try await requireEmpty(connection)
            progress.phase("schema")
            for entry in manifest.entries where entry.kind == .preData {
                try await runStatements(entry, reader: reader, connection: connection)
            }
            // One table's parts (PostgreSQL) load in order on one connection, so the restored heap keeps the
            // dump's row order; largest tables first, so parallel workers finish together.
            let data = Self.tables(manifest.entries.filter { $0.kind == .tableData })
                .sorted { Self.bytes(of: $0) > Self.bytes(of: $1) }
            let mysqlContext = target.dialect == .mysql
                ? try await MySQLLoadContext.prepare(connection, notes: notes, large: Set(
                    data.filter { Self.bytes(of: $0) >= statisticsPauseBytes }.compactMap { $0.first?.name }))
                : nil
            let copyTargets = target.dialect == .postgresql ? try await Self.copyTargets(connection) : [:]
            progress.phase("data", total: data.count)
            try await loadData(data, reader: reader, first: connection, mysql: mysqlContext, copyTargets: copyTargets)
            progress.phase("post_data")
            for entry in manifest.entries where entry.kind == .postData {
                if target.dialect == .postgresql && jobs > 1 {
                    try await runPostDataInParallel(entry, reader: reader, first: connection)
                } else {
                    try await runStatements(entry, reader: reader, connection: connection)
                }
            }
            if target.dialect == .sqlite { try await connection.commit() }
        } catch {
            await connection.close()
            throw BackupError.wrap(error, "restore of \(manifest.id) failed")
        }
        await connection.close()
        progress.phase("done")
        return manifest.tables
    }

    /// Creates the target database when it does not exist (servers only; SQLite creates the file).
    private func prepareTarget() async throws {
        guard target.dialect != .sqlite else {
            let directory = URL(fileURLWithPath: target.database).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return
        }
        let admin = target.with(database: target.dialect == .postgresql ? "postgres" : "mysql")
        let driver = Database.driver(for: target.dialect)
        let existing = try await driver.listDatabases(admin)
        if !existing.contains(target.database) {
            try await driver.createDatabase(target.database, options: CreateDatabaseOptions(ifNotExists: true), on: admin)
        }
    }

    /// A connection with the session settings a restore needs.
    func open() async throws -> any DatabaseConnection {
        // MariaDB connections may stream rows with LOAD DATA LOCAL (from memory; no file is ever read).
        let connection: any DatabaseConnection = target.dialect == .mysql
            ? try await MySQLConnection.connect(target, localInfileStreams: true)
            : try await Database.connect(target)
        for statement in Self.sessionSetup(target.dialect) { _ = try await connection.execute(statement) }
        if target.dialect == .postgresql {
            // Index builds keep the server's `maintenance_work_mem`: raising it to sort in memory made two
            // concurrent builds on a 1 GiB table slower (5.0-5.5 s at 256 MB against 4.0-4.3 s at 64 MB; one
            // large quicksort uses the CPU cache worse than merging sorted runs), though 6% faster at 200 MB.
            // With `jobs` builds at once, each build's own parallel workers only oversubscribe the server:
            // on 2 cores, two concurrent builds of a 200 MB table took 730-880 ms each with the default two
            // workers and 360-730 ms with none.
            if jobs > 1 { _ = try await connection.execute("SET max_parallel_maintenance_workers = 0") }
        }
        if buildsSQLiteFile {
            // A file nobody else sees until it is complete: a crash leaves only a staging file to delete.
            // The page cache stays at SQLite's default: rows arrive in rowid order, and peak memory must stay low.
            for pragma in ["PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA locking_mode = EXCLUSIVE"] {
                _ = try await connection.execute(pragma)
            }
        }
        if target.dialect == .sqlite { try await connection.begin() }
        return connection
    }

    /// Statements run first on every restore connection (also written at the top of plain SQL files).
    static func sessionSetup(_ dialect: Dialect) -> [String] {
        switch dialect {
        case .postgresql:
            ["SELECT pg_catalog.set_config('search_path', '', false)", "SET check_function_bodies = false",
             "SET client_min_messages = warning", "SET synchronous_commit = off"]
        case .mysql:
            ["SET FOREIGN_KEY_CHECKS = 0", "SET UNIQUE_CHECKS = 0", "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'"]
        case .sqlite:
            ["PRAGMA foreign_keys = OFF"]
        }
    }

    func requireEmpty(_ connection: any DatabaseConnection) async throws {
        let sql = switch target.dialect {
        case .postgresql: "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m') AND \(PostgreSQLCatalog.userSchema)"
        case .mysql: "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        case .sqlite: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        }
        let count = try await connection.scalar(sql)
        guard count == .integer(0) else {
            throw BackupError(.targetNotEmpty, "the target database \(target.database) already holds tables; restore into an empty database")
        }
    }

    /// Runs an entry's statements; the ones that fail are retried after the rest until no more succeed.
    private func runStatements(_ entry: Manifest.Entry, reader: ChunkReader, connection: any DatabaseConnection) async throws {
        var statements = [String]()
        try reader.frames(of: entry) { frame in statements.append(String(decoding: frame.text, as: UTF8.self)) }
        try await runPending(statements, connection: connection)
    }

    /// Runs statements in order; the ones that fail are retried after the rest until no more succeed.
    func runPending(_ statements: [String], connection: any DatabaseConnection) async throws {
        var pending = statements
        while !pending.isEmpty {
            try Task.checkCancellation()
            var failed = [String]()
            var lastError: (any Error)?
            for statement in pending {
                do {
                    if target.dialect == .sqlite { try await connection.executeScript(statement) } else { _ = try await connection.execute(statement) }
                } catch let error as DatabaseError where error.code != .cancelled && error.code != .connectionLost {
                    failed.append(statement)
                    lastError = error
                }
            }
            if failed.count == pending.count, let lastError { throw lastError }
            pending = failed
        }
    }

    /// The table entries grouped by table: a table dumped in parts is one group, its parts in order.
    static func tables(_ entries: [Manifest.Entry]) -> [[Manifest.Entry]] {
        var groups = [[Manifest.Entry]]()
        var position = [String: Int]()
        for entry in entries {
            if entry.part != nil, let index = position[entry.name] {
                groups[index].append(entry)
            } else {
                if entry.part != nil { position[entry.name] = groups.count }
                groups.append([entry])
            }
        }
        return groups.map { $0.sorted { ($0.part ?? 0) < ($1.part ?? 0) } }
    }

    /// The bytes of rows a table's parts hold in the backup.
    private static func bytes(of parts: [Manifest.Entry]) -> Int64 { parts.reduce(0) { $0 + $1.chunks.byteCount } }

    private func loadData(_ entries: [[Manifest.Entry]], reader: ChunkReader, first: any DatabaseConnection,
                          mysql: MySQLLoadContext?, copyTargets: [String: CopyTarget]) async throws {
        if target.dialect == .sqlite || jobs <= 1 || entries.count <= 1 {
            for table in entries { try await loadTable(table, reader: reader, connection: first, mysql: mysql, copyTargets: copyTargets) }
            return
        }
        let queue = WorkQueue(entries)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<min(jobs, entries.count) {
                group.addTask {
                    let connection = worker == 0 ? first : try await open()
                    do {
                        while let table = queue.next() { try await loadTable(table, reader: reader, connection: connection, mysql: mysql, copyTargets: copyTargets) }
                    } catch {
                        if worker != 0 { await connection.close() }
                        throw error
                    }
                    if worker != 0 { await connection.close() }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Loads one table's rows (all its parts) inside one transaction: PostgreSQL with `COPY FROM STDIN`,
    /// MariaDB with `LOAD DATA LOCAL INFILE` where it loads exactly, otherwise (and on SQLite) in INSERT
    /// statements of about a megabyte.
    private func loadTable(_ parts: [Manifest.Entry], reader: ChunkReader, connection: any DatabaseConnection,
                           mysql: MySQLLoadContext?, copyTargets: [String: CopyTarget]) async throws {
        if parts.contains(where: { $0.copyStatement != nil }) {
            guard let postgres = connection as? PostgreSQLConnection else {
                throw BackupError(.invalidArgument, "COPY data restores only into PostgreSQL")
            }
            try await copyTable(parts, connection: postgres, targets: copyTargets)
            return
        }
        for entry in parts { try await loadTable(entry, reader: reader, connection: connection, mysql: mysql) }
    }

    private func loadTable(_ entry: Manifest.Entry, reader: ChunkReader, connection: any DatabaseConnection,
                           mysql: MySQLLoadContext?) async throws {
        guard let mysql else { return try await loadRows(entry, reader: reader, connection: connection, mysql: nil) }
        do {
            try await loadRows(entry, reader: reader, connection: connection, mysql: mysql)
        } catch {
            try? await mysql.resumeStatistics(of: entry.name, on: connection)
            throw error
        }
        try await mysql.resumeStatistics(of: entry.name, on: connection)
    }

    /// Loads one table entry's rows in one transaction (`LOAD DATA LOCAL` on MariaDB where it can).
    private func loadRows(_ entry: Manifest.Entry, reader: ChunkReader, connection: any DatabaseConnection,
                          mysql: MySQLLoadContext?) async throws {
        guard let prefix = entry.insertPrefix else { return }
        if let mysql, let connection = connection as? MySQLConnection,
           let plan = mysql.plan(for: entry, insertPrefix: prefix, notes: notes),
           try await loadWithLoadData(entry, plan: plan, reader: reader, connection: connection, context: mysql) {
            return
        }
        let prefixBytes = Array(prefix.utf8)
        var batch = [UInt8]()
        var rows: Int64 = 0
        let inTransaction = target.dialect != .sqlite
        if inTransaction { try await connection.begin() }
        do {
            var frameReader = FrameReader()
            let chunks = ReadAhead(chunks: entry.chunks, reader: reader)
            while let bytes = try await chunks.nextWaiting() {
                try Task.checkCancellation()
                let frames = try frameReader.feed(bytes)
                for frame in frames where frame.kind == .row {
                    if batch.isEmpty { batch = prefixBytes } else { batch.append(0x2C) }
                    batch.append(contentsOf: frame.text)
                    rows += 1
                    if batch.count >= Self.batchBytes {
                        _ = try await connection.execute(String(decoding: batch, as: UTF8.self))
                        batch.removeAll(keepingCapacity: true)
                    }
                }
            }
            try frameReader.finish()
            if !batch.isEmpty { _ = try await connection.execute(String(decoding: batch, as: UTF8.self)) }
            if inTransaction { try await connection.commit() }
        } catch {
            if inTransaction { try? await connection.rollback() }
            throw error
        }
        progress.tableDone(name: entry.name, rows: rows, bytes: 0)
    }
}
