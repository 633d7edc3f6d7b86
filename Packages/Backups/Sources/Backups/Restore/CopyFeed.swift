import Foundation
import Synchronization

/// Hands a table entry's `D` rows to `PostgreSQLConnection.copyIn` in blocks of about 256 KiB, reading
/// (and verifying, decrypting, decompressing) one chunk at a time, so memory stays bounded.
///
/// `copyIn` calls `next` on the connection's queue, one call at a time; the state sits in a `Mutex` only
/// to satisfy `Sendable`.
final class CopyFeed: Sendable {
    private struct State {
        var frames = FrameReader()
        var finished = false
    }

    private let chunks: ReadAhead
    private let state = Mutex(State())
    static let blockSize = 256 * 1024

    init(entry: Manifest.Entry, reader: ChunkReader) {
        chunks = ReadAhead(chunks: entry.chunks, reader: reader)
    }

    /// The next block of COPY text data (whole rows, each ending with a newline), or `nil` at the end.
    ///
    /// - Throws: `BackupError` when a chunk fails verification or the stream ends inside a record;
    ///   `CancellationError` when the task was cancelled.
    @Sendable func next() throws -> [UInt8]? {
        try state.withLock { state throws -> [UInt8]? in
            guard !state.finished else { return nil }
            var block = [UInt8]()
            while block.count < Self.blockSize {
                if Task.isCancelled { throw CancellationError() }
                guard let bytes = try chunks.next() else {
                    try state.frames.finish()
                    state.finished = true
                    break
                }
                try state.frames.feed(bytes) { kind, text in
                    // The row and the frame's terminating newline: one COPY line.
                    if kind == .copyRow { block.append(contentsOf: UnsafeRawBufferPointer(start: text.baseAddress, count: text.count + 1)) }
                }
            }
            return block.isEmpty && state.finished ? nil : block
        }
    }
}
