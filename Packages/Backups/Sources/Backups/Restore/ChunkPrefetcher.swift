import Dispatch
import Synchronization

/// Reads (verifies, decrypts, decompresses) an entry's chunks on a background thread, a few ahead of the
/// consumer, so that work overlaps with the database loading the previous chunk's rows.
///
/// At most `depth` chunks wait in memory. `next` returns them in order; a read error is returned at its
/// place in the sequence. `stop` (also called on deinit) ends the background work early.
///
/// - Important: `next` blocks until the chunk is read; call it from a connection's own queue (COPY and
///   LOAD DATA feeds), and `nextWaiting` from async code.
final class ChunkPrefetcher: Sendable {
    private struct State {
        var ready: [Result<[UInt8], BackupError>] = []
        var stopped = false
    }

    /// What the background reader and the consumer share; the reader holds it, not the prefetcher, so
    /// the prefetcher can go away (and stop the reader) while a read is under way.
    private final class Shared: Sendable {
        let state = Mutex(State())
        let filled = DispatchSemaphore(value: 0)
        let free: DispatchSemaphore
        init(depth: Int) { free = DispatchSemaphore(value: depth) }
    }

    private let shared: Shared
    private let count: Int
    private let taken = Atomic<Int>(0)

    init(chunks: [ChunkReference], reader: ChunkReader, depth: Int = 3) {
        count = chunks.count
        shared = Shared(depth: depth)
        guard !chunks.isEmpty else { return }
        let shared = self.shared
        DispatchQueue.global(qos: .userInitiated).async {
            for chunk in chunks {
                shared.free.wait()
                if shared.state.withLock({ $0.stopped }) { return }
                let result: Result<[UInt8], BackupError>
                result = Result { () throws(BackupError) -> [UInt8] in try reader.read(chunk) }
                shared.state.withLock { $0.ready.append(result) }
                shared.filled.signal()
                if case .failure = result { return }
            }
        }
    }

    deinit { stop() }

    /// The next chunk's plaintext, or nil after the last one.
    /// - Throws: the `BackupError` reading that chunk failed with.
    func next() throws(BackupError) -> [UInt8]? {
        guard taken.load(ordering: .relaxed) < count else { return nil }
        shared.filled.wait()
        taken.add(1, ordering: .relaxed)
        let result = shared.state.withLock { $0.ready.removeFirst() }
        shared.free.signal()
        return try result.get()
    }

    /// `next()` for async callers: waits on a Dispatch thread, never blocking Swift's cooperative pool.
    func nextWaiting() async throws(BackupError) -> [UInt8]? {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[UInt8]?, BackupError>, Never>) in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Result { () throws(BackupError) -> [UInt8]? in try self.next() })
            }
        }
        return try result.get()
    }

    /// Ends the background reads; chunks not read yet are never read.
    func stop() {
        let first = shared.state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        if first { shared.free.signal() }
    }
}
