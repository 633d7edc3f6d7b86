import Foundation
import Synchronization

/// Hands a table entry's `D` rows to `PostgreSQLConnection.copyIn` in blocks of about 256 KiB: as the COPY
/// text they were dumped in, or rewritten in COPY's binary format (`CopyBinaryRows`). One background thread
/// reads the chunks (verify, decrypt, decompress) and another cuts and rewrites the rows, each a few blocks
/// ahead, so both overlap with the database loading the previous block and memory stays bounded.
final class CopyFeed: Sendable {
    /// Thrown (and the COPY aborted) when a row holds a value `CopyBinaryRows` does not read; the restore
    /// then loads the table as text.
    struct BinaryUnsupported: Error {}

    private let blocks: ReadAhead
    static let blockSize = 256 * 1024

    init(entry: Manifest.Entry, reader: ChunkReader, binary: CopyBinaryRows? = nil) {
        let rows = RowBlocks(chunks: ReadAhead(chunks: entry.chunks, reader: reader), binary: binary)
        blocks = ReadAhead { try rows.next() }
    }

    /// The next block of COPY data (whole rows; in binary, the header first and the trailer last), or `nil`
    /// at the end.
    ///
    /// - Throws: `BackupError` when a chunk fails verification or the stream ends inside a record;
    ///   `BinaryUnsupported`; `CancellationError` when the task was cancelled.
    @Sendable func next() throws -> [UInt8]? {
        if Task.isCancelled { throw CancellationError() }
        return try blocks.next()
    }
}

/// Cuts an entry's chunks into blocks of whole COPY rows, rewriting them in binary when asked.
/// `next` is called by one `ReadAhead` thread at a time; the state sits in a `Mutex` only to satisfy `Sendable`.
private final class RowBlocks: Sendable {
    private struct State {
        var frames = FrameReader()
        var started = false
        var finished = false
        /// Where one row's binary form is written before it joins the block.
        var scratch = [UInt8]()
    }

    private let chunks: ReadAhead
    private let binary: CopyBinaryRows?
    private let state = Mutex(State())

    init(chunks: ReadAhead, binary: CopyBinaryRows?) {
        self.chunks = chunks
        self.binary = binary
    }

    func next() throws -> [UInt8]? {
        try state.withLock { state throws -> [UInt8]? in
            guard !state.finished else { return nil }
            var block = [UInt8]()
            block.reserveCapacity(CopyFeed.blockSize + 64 * 1024)
            if binary != nil && !state.started { block += CopyBinaryRows.header }
            state.started = true
            var scratch = state.scratch
            defer { state.scratch = scratch }
            while block.count < CopyFeed.blockSize {
                guard let bytes = try chunks.next() else {
                    try state.frames.finish()
                    state.finished = true
                    if binary != nil { block += CopyBinaryRows.trailer }
                    break
                }
                try state.frames.feed(bytes) { kind, text in
                    guard kind == .copyRow else { return }
                    guard let binary else {
                        // The row and the frame's terminating newline: one COPY line.
                        block.append(contentsOf: UnsafeRawBufferPointer(start: text.baseAddress, count: text.count + 1))
                        return
                    }
                    let capacity = binary.capacity(forRowOf: text.count)
                    if scratch.count < capacity { scratch = [UInt8](repeating: 0, count: max(capacity, 2 * scratch.count)) }
                    let written = scratch.withUnsafeMutableBytes { out -> Int? in
                        guard let written = binary.encode(text, into: out.baseAddress!) else { return nil }
                        block.append(contentsOf: UnsafeRawBufferPointer(rebasing: out[0..<written]))
                        return written
                    }
                    guard written != nil else { throw CopyFeed.BinaryUnsupported() }
                    // A very long row's buffer is not kept for the rows after it.
                    if scratch.count > 4 << 20 { scratch = [] }
                }
            }
            return block.isEmpty && state.finished ? nil : block
        }
    }
}
