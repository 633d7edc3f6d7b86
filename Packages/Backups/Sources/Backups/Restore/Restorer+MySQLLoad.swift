import Drivers
import Foundation
import Synchronization

/// Remarks a restore makes about how it ran (a table loaded the slower way, and why), returned with the result.
final class RestoreNotes: Sendable {
    private let notes = Mutex<[String]>([])

    func add(_ note: String) { notes.withLock { $0.append(note) } }

    var all: [String] { notes.withLock { $0 } }
}

/// What a MariaDB restore learns once, after the tables exist: every column's type, and whether the
/// server takes `LOAD DATA LOCAL` (`local_infile`); a refusal switches every later table to INSERTs.
final class MySQLLoadContext: Sendable {
    private let columnTypes: [String: [String: String]]
    private let localInfile: Atomic<Bool>
    /// The large tables whose automatic statistics recalculation is off while they load, with the value
    /// `STATS_AUTO_RECALC` takes back afterwards (`DEFAULT`, or `1` when the table's definition set it).
    private let pausedStatistics: [String: String]

    private init(columnTypes: [String: [String: String]], localInfile: Bool, pausedStatistics: [String: String]) {
        self.columnTypes = columnTypes
        self.localInfile = Atomic(localInfile)
        self.pausedStatistics = pausedStatistics
    }

    /// Tables with at least this many bytes of rows in the backup load with InnoDB's automatic statistics
    /// recalculation off (two `ALTER TABLE`s of a few milliseconds each are not worth it on small tables).
    static let statisticsPauseBytes: Int64 = 64 << 20

    /// Reads the target's column types and `@@GLOBAL.local_infile`, notes why INSERTs will be used when off,
    /// and pauses the statistics recalculation of the InnoDB tables among `large` (see `pauseStatistics`).
    static func prepare(_ connection: any DatabaseConnection, notes: RestoreNotes, large: Set<String>) async throws -> MySQLLoadContext {
        var types = [String: [String: String]]()
        for row in try await connection.textRows(
            "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()") {
            types[row[0] ?? "", default: [:]][row[1] ?? ""] = (row[2] ?? "").lowercased()
        }
        // The base tables once, for both statistics steps: name, engine, `CREATE_OPTIONS`.
        let tables = try await connection.textRows("""
            SELECT TABLE_NAME, ENGINE, CREATE_OPTIONS FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME
            """)
        try await settleStatistics(connection, tables: tables.compactMap { $0[0] })
        let paused = try await pauseStatistics(connection, of: tables.filter { $0[0].map(large.contains) == true && $0[1] == "InnoDB" })
        let allowed = try await connection.scalar("SELECT @@GLOBAL.local_infile")
        let on = allowed == .integer(1) || allowed == .text("1") || allowed == .text("ON")
        if !on {
            notes.add("the server has local_infile off, so rows were loaded with INSERT statements (slower); SET GLOBAL local_infile = 1 to allow LOAD DATA LOCAL")
        }
        return MySQLLoadContext(columnTypes: types, localInfile: on, pausedStatistics: paused)
    }

    /// Sets `STATS_AUTO_RECALC = 0` on the InnoDB `tables` (rows of name, engine, `CREATE_OPTIONS`) that
    /// recalculate automatically, and returns what each one had. While a large table loads, InnoDB queues it for a statistics recalculation
    /// each time another tenth of its rows has changed; on MariaDB 10.11 that kept a background thread at
    /// about 75% of a core through a 9.8 M-row load, on a machine whose other core was loading it (the load
    /// took 43-46 s with it, 36.6 s without). `resumeStatistics` puts the setting back and analyzes the
    /// table once. The change is metadata only (`ALGORITHM = INSTANT`); a server that refuses it (another
    /// engine version, no ALTER privilege) just loads the table as before.
    private static func pauseStatistics(_ connection: any DatabaseConnection, of tables: [[String?]]) async throws -> [String: String] {
        var paused = [String: String]()
        for row in tables {
            guard let table = row[0] else { continue }
            let options = (row[2] ?? "").lowercased().split(separator: " ")
            if options.contains("stats_auto_recalc=0") { continue }
            let original = options.contains("stats_auto_recalc=1") ? "1" : "DEFAULT"
            do {
                _ = try await connection.execute("ALTER TABLE \(Dialect.mysql.quote(table)) STATS_AUTO_RECALC = 0, ALGORITHM = INSTANT")
                paused[table] = original
            } catch is DatabaseError {
                continue
            }
        }
        return paused
    }

    /// After `table` loaded (or failed to): gives it back its `STATS_AUTO_RECALC` and analyzes it, so the
    /// optimizer sees the loaded rows at once (InnoDB samples a few pages per index: milliseconds). Does
    /// nothing for a table whose statistics were not paused.
    func resumeStatistics(of table: String, on connection: any DatabaseConnection) async throws {
        guard let original = pausedStatistics[table] else { return }
        let name = Dialect.mysql.quote(table)
        _ = try await connection.execute("ALTER TABLE \(name) STATS_AUTO_RECALC = \(original), ALGORITHM = INSTANT")
        _ = try await connection.textRows("ANALYZE TABLE \(name)")
    }

    /// Runs `ANALYZE TABLE` on the new, still empty base tables (milliseconds). On MariaDB 10.11, loading a
    /// table InnoDB has not yet computed statistics for kept a background statistics task busy through the
    /// whole load: the server used twice the CPU (12.5 s instead of 6.4 s for 1.9 M rows), which on a small
    /// machine is taken from the restore itself. The statistics are recomputed after the load as usual.
    private static func settleStatistics(_ connection: any DatabaseConnection, tables: [String]) async throws {
        for batch in stride(from: 0, to: tables.count, by: 100) {
            let names = tables[batch..<min(batch + 100, tables.count)].map(Dialect.mysql.quote).joined(separator: ", ")
            _ = try await connection.textRows("ANALYZE TABLE \(names)")
        }
    }

    /// The plan for a table entry, or nil when it must load with INSERTs (local_infile off, or a prefix
    /// or column this restore cannot map).
    func plan(for entry: Manifest.Entry, insertPrefix: String, notes: RestoreNotes) -> MySQLLoadPlan? {
        guard localInfile.load(ordering: .relaxed) else { return nil }
        guard let plan = MySQLLoadPlan(table: entry.name, insertPrefix: insertPrefix, columnTypes: columnTypes[entry.name] ?? [:]) else {
            notes.add("table \(entry.name): its columns do not map onto LOAD DATA, so it was loaded with INSERT statements")
            return nil
        }
        return plan
    }

    /// Stops using `LOAD DATA LOCAL` for the tables not started yet.
    func refuseLocalInfile() { localInfile.store(false, ordering: .relaxed) }
}

extension Restorer {
    /// Loads one MariaDB table with `LOAD DATA LOCAL INFILE` streamed from the archive, inside one
    /// transaction. Returns false, having rolled back, when the table must be loaded with INSERTs instead:
    /// the server refused `LOAD DATA LOCAL`, a value had a shape the feed cannot express, or the load raised
    /// a warning or inserted another number of rows than the stream holds (so a value might not be exact).
    func loadWithLoadData(_ entry: Manifest.Entry, plan: MySQLLoadPlan, reader: ChunkReader, connection: MySQLConnection,
                          context: MySQLLoadContext) async throws -> Bool {
        try await connection.begin()
        let feed = LoadDataFeed(entry: entry, reader: reader, plan: plan)
        let outcome: LoadDataResult
        do {
            outcome = try await connection.loadDataLocal(plan.statement, feed.next)
        } catch let error as LoadDataFeed.Unconvertible {
            try await connection.rollback()
            notes.add("table \(entry.name): \(error.description), so it was loaded with INSERT statements")
            return false
        } catch let error as DatabaseError where error.engineCode == "4166" || error.engineCode == "1148" {
            try await connection.rollback()
            if context.plan(for: entry, insertPrefix: entry.insertPrefix ?? "", notes: notes) != nil {
                notes.add("the server refused LOAD DATA LOCAL (\(error.message)), so rows were loaded with INSERT statements")
            }
            context.refuseLocalInfile()
            return false
        } catch {
            try? await connection.rollback()
            throw error
        }
        let streamed = feed.rows
        guard outcome.warningCount == 0, outcome.rowsAffected == streamed else {
            try await connection.rollback()
            let why = outcome.warningCount > 0
                ? "LOAD DATA raised \(outcome.warningCount) warning(s) (\(outcome.warningMessages.joined(separator: "; ")))"
                : "LOAD DATA inserted \(outcome.rowsAffected) of \(streamed) rows"
            notes.add("table \(entry.name): \(why), so it was loaded again with INSERT statements")
            return false
        }
        try await connection.commit()
        progress.tableDone(name: entry.name, rows: streamed, bytes: 0)
        return true
    }
}
