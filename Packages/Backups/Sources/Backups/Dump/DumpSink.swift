import Drivers
import Foundation
import Synchronization

/// Collects the entries of one dump as the engine's dumper produces them, possibly from several workers,
/// and hands them back in restore order.
final class DumpSink: Sendable {
    let chunks: ChunkWriter
    let progress: ProgressReporter
    private let recorded = Mutex<[Recorded]>([])

    struct Recorded: Sendable {
        var order: Int
        var entry: Manifest.Entry?
        var table: Manifest.TableSummary?
        /// The rows behind `table`'s count and checksum, when this entry holds them (parts are merged).
        var rows: RowChecksum?
    }

    /// The base backup's entries by `kind`, name and part: their chunk lists are the delta bases.
    private let baseEntries: [String: Manifest.Entry]
    /// Reads the base backup's chunks (to see where it split a table into parts).
    private let baseReader: ChunkReader?

    /// - Parameter base: the base backup's entries, their lists in the index of `chunks`.
    /// - Parameter baseReader: reads the chunks of `base`'s chain.
    init(chunks: ChunkWriter, progress: ProgressReporter, base: [Manifest.Entry] = [], baseReader: ChunkReader? = nil) {
        self.chunks = chunks
        self.progress = progress
        self.baseReader = baseReader
        var entries = [String: Manifest.Entry]()
        for entry in base { entries[Self.key(entry.kind, entry.name, entry.part)] = entry }
        self.baseEntries = entries
    }

    private static func key(_ kind: Manifest.Entry.Kind, _ name: String, _ part: Int?) -> String {
        "\(kind.rawValue)\u{0}\(name)\u{0}\(part.map(String.init) ?? "")"
    }

    /// A writer for a new entry (`part` for one part of a table dumped in parts).
    func entry(_ kind: Manifest.Entry.Kind, name: String, insertPrefix: String? = nil,
               copyStatement: String? = nil, part: Int? = nil, fixedChunkSize: Int? = nil) -> EntryWriter {
        EntryWriter(kind: kind, name: name, insertPrefix: insertPrefix, copyStatement: copyStatement, part: part, chunks: chunks,
                    base: baseEntries[Self.key(kind, name, part)]?.chunks ?? [], fixedChunkSize: fixedChunkSize)
    }

    /// The parts (from 1) the base backup cut table `name`'s data into, in order; empty when it holds the table
    /// whole or there is no base.
    func baseParts(ofTable name: String) -> [Int] {
        var parts = [Int]()
        var part = 1
        while baseEntries[Self.key(.tableData, name, part)] != nil {
            parts.append(part)
            part += 1
        }
        return baseEntries[Self.key(.tableData, name, 0)] == nil ? [] : parts
    }

    /// The first row of part `part` of table `name` in the base backup, as the frame's text (read from as
    /// many of its first chunks as it spans); nil when the part is empty or absent, or its rows were written
    /// for another `copyStatement` (the table's columns changed).
    func firstBaseRow(ofTable name: String, part: Int, copyStatement: String) throws -> [UInt8]? {
        guard let entry = baseEntries[Self.key(.tableData, name, part)], entry.copyStatement == copyStatement,
              let baseReader else { return nil }
        let list = entry.chunks
        var frames = FrameReader()
        var row: [UInt8]?
        var position = 0
        while row == nil, position < list.count {
            try frames.feed(try baseReader.read(try list.reference(at: position))) { kind, text in
                if row == nil, kind == .copyRow { row = Array(text) }
            }
            position += 1
        }
        return row
    }

    /// Ends `writer`'s stream and records its entry at position `order`; a table entry also records the
    /// table's row count and checksum.
    func record(_ writer: EntryWriter, order: Int, table: (schema: String?, name: String)? = nil) throws(BackupError) {
        let (entry, rows) = try writer.finish()
        let summary = table.map { Manifest.TableSummary(schema: $0.schema, name: $0.name, rowCount: rows.count, checksum: rows.hex) }
        recorded.withLock { $0.append(Recorded(order: order, entry: entry, table: summary, rows: table == nil ? nil : rows)) }
        if table != nil { progress.tableDone(name: writer.name, rows: rows.count, bytes: chunks.logicalBytes) }
    }

    /// Records table summaries that belong to no entry of their own (the tables of a database image),
    /// after every entry.
    func record(tables: [Manifest.TableSummary]) {
        recorded.withLock { recorded in
            for table in tables { recorded.append(Recorded(order: Int.max, entry: nil, table: table)) }
        }
    }

    /// The recorded entries in order, and the table summaries in the same order (a table dumped in parts
    /// has one summary, of all its parts).
    func finish() -> (entries: [Manifest.Entry], tables: [Manifest.TableSummary]) {
        let sorted = recorded.withLock { $0 }.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }
            .map(\.element)
        var tables = [Manifest.TableSummary]()
        var rows = [RowChecksum?]()
        var positions = [String: Int]()
        for record in sorted {
            guard let table = record.table else { continue }
            let key = "\(table.schema ?? "")\u{0}\(table.name)"
            if let position = positions[key], var merged = rows[position], let part = record.rows {
                merged.merge(part)
                rows[position] = merged
                tables[position].rowCount = merged.count
                tables[position].checksum = merged.hex
            } else {
                positions[key] = tables.count
                tables.append(table)
                rows.append(record.rows)
            }
        }
        return (sorted.compactMap(\.entry), tables)
    }
}

/// Streams a query whose single column is a row tuple's SQL text into `writer`, checking for cancellation
/// every thousand rows. Runs on the connection's own queue.
func streamRows(_ connection: any DatabaseConnection, _ sql: String, into writer: EntryWriter) async throws {
    let box = UncheckedSendable(writer)
    try await connection.withCursor(sql, .none) { cursor in
        var n = 0
        while let row = try cursor.next() {
            n += 1
            if n % 1000 == 0, Task.isCancelled { throw CancellationError() }
            switch row.values.first ?? .null {
            case .text(let text): try box.value.row(Array(text.utf8))
            case .blob(let bytes): try box.value.row(bytes)
            default: throw BackupError(.database, "a row tuple query returned a non-text value")
            }
        }
    }
}

/// Streams a MariaDB query's rows into `writer` as row tuples, `(v1,v2,...)`, each value quoted like
/// `QUOTE()` or copied as the literal the query made of it (see `MySQLDumper.selection`). Runs on the
/// connection's own queue; the tuple is built in one reused buffer.
func streamTuples(_ connection: any DatabaseConnection, _ sql: String, forms: [MySQLDumper.ValueForm],
                  into writer: EntryWriter) async throws {
    guard let mysql = connection as? MySQLConnection else {
        throw BackupError(.database, "the MariaDB dumper needs a MariaDB connection")
    }
    let box = UncheckedSendable(writer)
    let null = Array("NULL".utf8)
    _ = try await mysql.reduceRawRows(sql, into: [UInt8]()) { tuple, row in
        guard row.count == forms.count else { throw BackupError(.database, "a dump query returned \(row.count) columns, not \(forms.count)") }
        tuple.removeAll(keepingCapacity: true)
        tuple.append(UInt8(ascii: "("))
        for index in 0..<forms.count {
            if index > 0 { tuple.append(UInt8(ascii: ",")) }
            guard let value = row[index] else {
                tuple.append(contentsOf: null)
                continue
            }
            switch forms[index] {
            case .literal: tuple.append(contentsOf: value)
            case .quoted: SQLQuote.append(value, to: &tuple)
            }
        }
        tuple.append(UInt8(ascii: ")"))
        try tuple.withUnsafeBytes { try box.value.row($0) }
    }
}

/// MariaDB's `QUOTE()`: the text in single quotes, with a backslash before `\` and `'`, and NUL and
/// Ctrl-Z written as `\0` and `\Z`.
enum SQLQuote {
    static func append(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "'"))
        var start = 0
        var index = 0
        let count = text.count
        while index < count {
            // Eight bytes at a time while none of them needs an escape (most text has none).
            while index + 8 <= count, !mayNeedEscape(text.loadUnaligned(fromByteOffset: index, as: UInt64.self)) { index += 8 }
            guard index < count else { break }
            let escaped: UInt8
            switch text[index] {
            case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
            case UInt8(ascii: "'"): escaped = UInt8(ascii: "'")
            case 0: escaped = UInt8(ascii: "0")
            case 0x1A: escaped = UInt8(ascii: "Z")
            default:
                index += 1
                continue
            }
            // The run before the byte goes in at once, then the byte's escape.
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[start..<index]))
            out.append(UInt8(ascii: "\\"))
            out.append(escaped)
            index += 1
            start = index
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[start..<count]))
        out.append(UInt8(ascii: "'"))
    }

    /// True when one of the eight bytes may be `\`, `'`, NUL or Ctrl-Z (the classic "has a zero byte" test
    /// on the word XORed with each; it can say true for other bytes, never false for these).
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0 }
        return hasZero(word) || hasZero(word ^ 0x5C5C_5C5C_5C5C_5C5C) || hasZero(word ^ 0x2727_2727_2727_2727)
            || hasZero(word ^ 0x1A1A_1A1A_1A1A_1A1A)
    }
}

/// Streams `COPY (query) TO STDOUT` text data into `writer` as `D` frames; the COPY stops on cancellation.
func copyRows(_ connection: PostgreSQLConnection, _ sql: String, into writer: EntryWriter) async throws {
    let box = UncheckedSendable(writer)
    try await connection.copyOut(sql) { block in
        try block.withUnsafeBytes { try box.value.copyRows($0) }
    }
}

/// Carries a value across a `@Sendable` boundary when it is only ever used by one thread at a time.
/// `@unchecked Sendable`: used for `EntryWriter`s handed to a connection's queue while the caller waits
/// for that call to return, so no two threads touch the writer concurrently.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

import DatabaseDriver
