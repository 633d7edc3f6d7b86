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

    private init(columnTypes: [String: [String: String]], localInfile: Bool) {
        self.columnTypes = columnTypes
        self.localInfile = Atomic(localInfile)
    }

    /// Reads the target's column types and `@@GLOBAL.local_infile`; notes why INSERTs will be used when off.
    static func prepare(_ connection: any DatabaseConnection, notes: RestoreNotes) async throws -> MySQLLoadContext {
        var types = [String: [String: String]]()
        for row in try await connection.textRows(
            "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()") {
            types[row[0] ?? "", default: [:]][row[1] ?? ""] = (row[2] ?? "").lowercased()
        }
        try await settleStatistics(connection)
        let allowed = try await connection.scalar("SELECT @@GLOBAL.local_infile")
        let on = allowed == .integer(1) || allowed == .text("1") || allowed == .text("ON")
        if !on {
            notes.add("the server has local_infile off, so rows were loaded with INSERT statements (slower); SET GLOBAL local_infile = 1 to allow LOAD DATA LOCAL")
        }
        return MySQLLoadContext(columnTypes: types, localInfile: on)
    }

    /// Runs `ANALYZE TABLE` on the new, still empty base tables (milliseconds). On MariaDB 10.11, loading a
    /// table InnoDB has not yet computed statistics for kept a background statistics task busy through the
    /// whole load: the server used twice the CPU (12.5 s instead of 6.4 s for 1.9 M rows), which on a small
    /// machine is taken from the restore itself. The statistics are recomputed after the load as usual.
    private static func settleStatistics(_ connection: any DatabaseConnection) async throws {
        let tables = try await connection.textRows(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
            .compactMap { $0[0] }
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
