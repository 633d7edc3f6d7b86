import Foundation
import Synchronization

/// Turns a MariaDB table entry's `R` rows (`('a',X'00ff',NULL,5)`, the literals `QUOTE`/`HEX` produced)
/// into the tab-separated text `LOAD DATA` reads, in blocks of about 256 KiB, one chunk at a time.
///
/// Each value keeps its exact bytes: a quoted string's escapes (`\\`, `\'`, `\0`, `\Z`, the only ones
/// `QUOTE` writes) mean the same to `LOAD DATA`, tabs and newlines inside it are escaped, `NULL` becomes
/// `\N`, and hex literals pass their digits to `UNHEX` (see `MySQLLoadPlan`). A value of a shape the plan
/// does not expect throws `LoadDataFeed.Unconvertible`, and the restorer loads that table with INSERTs.
///
/// `loadDataLocal` calls `next` on the connection's queue, one call at a time; the state sits in a `Mutex`
/// only to satisfy `Sendable`.
final class LoadDataFeed: Sendable {
    /// A row this feed cannot express exactly as `LOAD DATA` text.
    struct Unconvertible: Error, CustomStringConvertible {
        let description: String
    }

    private struct State {
        var frames = FrameReader()
        var finished = false
        var rows: Int64 = 0
    }

    private let chunks: ReadAhead
    private let modes: [MySQLLoadPlan.ColumnMode]
    private let state = Mutex(State())
    static let blockSize = 256 * 1024

    init(entry: Manifest.Entry, reader: ChunkReader, plan: MySQLLoadPlan) {
        chunks = ReadAhead(chunks: entry.chunks, reader: reader)
        self.modes = plan.columns.map(\.mode)
    }

    /// Rows converted so far.
    var rows: Int64 { state.withLock { $0.rows } }

    /// The next block of whole lines, or `nil` at the end.
    ///
    /// - Throws: `BackupError` when a chunk fails verification or the stream ends inside a record;
    ///   `Unconvertible` for a value of an unexpected shape; `CancellationError` when cancelled.
    @Sendable func next() throws -> [UInt8]? {
        try state.withLock { state throws -> [UInt8]? in
            guard !state.finished else { return nil }
            var block = [UInt8]()
            block.reserveCapacity(Self.blockSize + 128 * 1024)
            while block.count < Self.blockSize {
                if Task.isCancelled { throw CancellationError() }
                guard let bytes = try chunks.next() else {
                    try state.frames.finish()
                    state.finished = true
                    break
                }
                var rows: Int64 = 0
                try state.frames.feed(bytes) { kind, text in
                    guard kind == .row else { return }
                    try Self.appendLine(row: text.assumingMemoryBound(to: UInt8.self), modes: modes, to: &block)
                    rows += 1
                }
                state.rows += rows
            }
            return block.isEmpty && state.finished ? nil : block
        }
    }

    private static let quote = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ",")
    private static let open = UInt8(ascii: "("), close = UInt8(ascii: ")"), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")

    /// Appends one row as a `LOAD DATA` line (fields by tab, lines by newline, escapes by backslash).
    static func appendLine(row: UnsafeBufferPointer<UInt8>, modes: [MySQLLoadPlan.ColumnMode], to out: inout [UInt8]) throws(Unconvertible) {
        let n = row.count
        guard n >= 2, row[0] == open else { throw Unconvertible(description: "a row does not start with '('") }
        var i = 1
        for (column, mode) in modes.enumerated() {
            if column > 0 { out.append(tab) }
            guard i < n else { throw Unconvertible(description: "a row has fewer values than columns") }
            let first = row[i]
            if first == quote {
                guard mode == .text else { throw Unconvertible(description: "a quoted string for a \(mode) column") }
                i += 1
                var closed = false
                while i < n {
                    let byte = row[i]
                    if byte == backslash {
                        guard i + 1 < n else { break }
                        out.append(byte)
                        out.append(row[i + 1])
                        i += 2
                    } else if byte == quote {
                        if i + 1 < n, row[i + 1] == quote {
                            out.append(quote)
                            i += 2
                        } else {
                            i += 1
                            closed = true
                            break
                        }
                    } else if byte == tab {
                        out.append(backslash); out.append(UInt8(ascii: "t")); i += 1
                    } else if byte == newline {
                        out.append(backslash); out.append(UInt8(ascii: "n")); i += 1
                    } else {
                        out.append(byte); i += 1
                    }
                }
                guard closed else { throw Unconvertible(description: "an unterminated string literal") }
            } else if first == UInt8(ascii: "N") {
                guard i + 4 <= n, row[i + 1] == UInt8(ascii: "U"), row[i + 2] == UInt8(ascii: "L"), row[i + 3] == UInt8(ascii: "L") else {
                    throw Unconvertible(description: "an unexpected bare word")
                }
                out.append(backslash); out.append(UInt8(ascii: "N"))
                i += 4
            } else if first == UInt8(ascii: "X") || first == UInt8(ascii: "x"), i + 1 < n, row[i + 1] == quote {
                guard mode == .hex else { throw Unconvertible(description: "a hex literal for a \(mode) column") }
                i += 2
                var closed = false
                while i < n {
                    let byte = row[i]
                    i += 1
                    if byte == quote { closed = true; break }
                    guard (byte >= 48 && byte <= 57) || (byte | 0x20 >= 97 && byte | 0x20 <= 102) else {
                        throw Unconvertible(description: "a hex literal with a non-hex digit")
                    }
                    out.append(byte)
                }
                guard closed else { throw Unconvertible(description: "an unterminated hex literal") }
            } else {
                // A bare number: BIT columns (as an integer) and FLOAT columns (as the exact DOUBLE text).
                guard mode != .hex else { throw Unconvertible(description: "a bare value for a binary column") }
                let start = i
                while i < n, row[i] != comma, row[i] != close {
                    let byte = row[i]
                    guard byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                            || byte | 0x20 == UInt8(ascii: "e") || (byte >= 48 && byte <= 57) else {
                        throw Unconvertible(description: "an unexpected bare value")
                    }
                    out.append(byte)
                    i += 1
                }
                guard i > start else { throw Unconvertible(description: "an empty value") }
            }
            guard i < n else { throw Unconvertible(description: "a row ends inside a value") }
            let separator = row[i]
            i += 1
            if column == modes.count - 1 {
                guard separator == close, i == n else { throw Unconvertible(description: "a row has more values than columns") }
            } else {
                guard separator == comma else { throw Unconvertible(description: "a row has fewer values than columns") }
            }
        }
        out.append(newline)
    }
}
