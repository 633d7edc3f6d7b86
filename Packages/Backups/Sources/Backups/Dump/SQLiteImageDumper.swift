import Dispatch
import Drivers
import Foundation
import Synchronization

/// Backs up a SQLite database as an image of its file, as `sqlite3 .backup` does: SQLite's online backup
/// API copies the pages of one snapshot into a scratch file in the backup's partial directory, and the
/// file's bytes become one `database_image` entry. A restore writes the image back, so it runs as fast as
/// the chunks decompress, and gives back the database exactly (every object, every page setting).
///
/// Every table's row count and checksum are computed from the copy, on one connection per core, while the
/// image is being chunked.
struct SQLiteImageDumper: EngineDumper {
    /// The name of the scratch copy inside the partial directory (removed before the backup is published).
    static let copyName = "snapshot.sqlite"
    /// Images are cut every 512 KiB (128 pages of 4 KiB): pages keep their offsets in the file, so an
    /// unchanged region is the same chunk, and a changed chunk's delta base is the base's chunk at its offset.
    /// (A backup holds a reference to every chunk of its chain; 128 KiB chunks made four times as many.)
    static let chunkSize = 512 * 1024

    func dump(leader: any DatabaseConnection, sink: DumpSink) async throws {
        guard let source = leader as? SQLiteConnection else {
            throw BackupError(.invalidArgument, "a database image is taken of SQLite databases only")
        }
        let copy = sink.chunks.directory.appendingPathComponent(Self.copyName).path
        defer { for suffix in ["", "-journal", "-wal", "-shm"] { unlink(copy + suffix) } }

        sink.progress.phase("snapshot")
        // The read that opens the transaction fixes the snapshot every step of the copy reads.
        try await leader.begin()
        do {
            _ = try await leader.scalar("SELECT count(*) FROM sqlite_master")
            try await source.copyDatabase(to: copy)
            try await leader.commit()
        } catch let error as DatabaseError where error.code == .ioError {
            try? await leader.rollback()
            throw BackupError(.storage, "the snapshot copy in \(sink.chunks.directory.path) failed: \(error.message)")
        } catch {
            try? await leader.rollback()
            throw error
        }

        sink.progress.phase("data", total: 1)
        let writer = sink.entry(.databaseImage, name: "main", fixedChunkSize: Self.chunkSize)
        async let summaries = SQLiteTableSummaries.compute(databaseAt: copy)
        try await Self.stream(file: copy, into: writer)
        let tables = try await summaries
        try sink.record(writer, order: 0)
        sink.record(tables: tables)
        for table in tables { sink.progress.tableDone(name: table.name, rows: table.rowCount, bytes: sink.chunks.logicalBytes) }
    }

    /// Feeds the file's bytes to `writer` in blocks of 1 MiB, on a Dispatch thread (the chunk writer blocks
    /// while its workers are busy).
    static func stream(file path: String, into writer: EntryWriter) async throws {
        let cancelled = CancellationFlag()
        let box = UncheckedSendable(writer)
        try await withTaskCancellationHandler {
            try await offThePool {
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw BackupError(.storage, "cannot open the database copy (errno \(errno))") }
                defer { close(descriptor) }
                var block = [UInt8](repeating: 0, count: 1 << 20)
                while true {
                    if cancelled.isSet { throw BackupError(.cancelled, "backup cancelled") }
                    let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 {
                        if errno == EINTR { continue }
                        throw BackupError(.storage, "cannot read the database copy (errno \(errno))")
                    }
                    if count == 0 { return }
                    try block.withUnsafeBytes { try box.value.raw(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                }
            }
        } onCancel: {
            cancelled.set()
        }
    }
}

/// Row counts and checksums of every table of a SQLite database file, over each row's stored values
/// (`SQLiteConnection.reduceEncodedRows`), on one connection per core: large rowid tables are split into
/// rowid ranges (the checksum does not depend on row order, so the parts add up).
enum SQLiteTableSummaries {
    static func compute(databaseAt path: String,
                        workers: Int = ProcessInfo.processInfo.activeProcessorCount) async throws -> [Manifest.TableSummary] {
        let configuration = ConnectionConfiguration(dialect: .sqlite, database: path)
        let first = try await Database.connect(configuration)
        var parts = [Part]()
        var names = [String]()
        do {
            let tables = try await SQLiteTables.list(first, objects: try await SQLiteTables.objects(first)).filter { !$0.virtual }
            for table in tables {
                names.append(table.name)
                let columns = try await SQLiteTables.columns(first, of: table.name)
                let ranges = table.withoutRowID ? [nil] : try await rowidRanges(first, table: table.name, parts: workers)
                for range in ranges {
                    guard !columns.isEmpty else { continue }
                    let q = Dialect.sqlite
                    let condition = range.map { " WHERE _rowid_ BETWEEN \($0.lowerBound) AND \($0.upperBound)" } ?? ""
                    parts.append(Part(table: table.name,
                                      query: "SELECT \(columns.map(q.quote).joined(separator: ", ")) FROM \(q.quote(table.name))\(condition)"))
                }
            }
        } catch {
            await first.close()
            throw error
        }
        let queue = WorkQueue(parts)
        var totals = [String: RowChecksum]()
        do {
            try await withThrowingTaskGroup(of: [(String, RowChecksum)].self) { group in
                for worker in 0..<max(1, min(workers, parts.count)) {
                    group.addTask {
                        let connection = worker == 0 ? first : try await Database.connect(configuration)
                        var done = [(String, RowChecksum)]()
                        do {
                            while let part = queue.next() { done.append((part.table, try await checksum(connection, part.query))) }
                        } catch {
                            if worker != 0 { await connection.close() }
                            throw error
                        }
                        if worker != 0 { await connection.close() }
                        return done
                    }
                }
                for try await done in group {
                    for (table, sum) in done { totals[table, default: RowChecksum()].merge(sum) }
                }
            }
        } catch {
            await first.close()
            throw error
        }
        await first.close()
        return names.map { name in
            let sum = totals[name] ?? RowChecksum()
            return Manifest.TableSummary(schema: nil, name: name, rowCount: sum.count, checksum: sum.hex)
        }
    }

    private struct Part: Sendable {
        var table: String
        var query: String
    }

    /// `parts` even rowid ranges covering the table (one range, or none for an empty table, when small).
    private static func rowidRanges(_ connection: any DatabaseConnection, table: String, parts: Int) async throws -> [ClosedRange<Int64>?] {
        let row = try await connection.query("SELECT min(_rowid_), max(_rowid_) FROM \(Dialect.sqlite.quote(table))").rows.first
        guard case .integer(let low)? = row?.values.first, case .integer(let high)? = row?.values.last else { return [nil] }
        let span = high - low
        guard parts > 1, span > 10_000 else { return [nil] }
        let step = span / Int64(parts) + 1
        return stride(from: low, through: high, by: Int(step)).map { start in start...min(high, start + step - 1) }
    }

    private static func checksum(_ connection: any DatabaseConnection, _ sql: String) async throws -> RowChecksum {
        guard let sqlite = connection as? SQLiteConnection else { throw BackupError(.invalidArgument, "not a SQLite connection") }
        return try await sqlite.reduceEncodedRows(sql, into: RowChecksum()) { sum, row in sum.add(row) }
    }
}

/// Set once by a task's cancellation handler, read by work running outside the task.
final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

/// Runs blocking work on a Dispatch thread, never on Swift's cooperative pool, and returns its result.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try body() }) }
    }
}
