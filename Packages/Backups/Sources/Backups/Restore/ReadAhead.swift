import Dispatch
import Synchronization

/// Runs a producer of byte blocks on a background thread, a few blocks ahead of the consumer, so that
/// reading chunks (verify, decrypt, decompress) and converting rows overlap with the database loading the
/// previous block.
///
/// At most `depth` blocks wait in memory. `next` returns them in order; an error the producer threw is
/// returned at its place, and ends the sequence. `stop` (also called on deinit) ends the background work
/// early. The producer runs outside any task, so it cannot see cancellation: the consumer checks it.
///
/// - Important: `next` blocks until a block is ready; call it from a connection's own queue (COPY and
///   LOAD DATA feeds), and `nextWaiting` from async code.
final class ReadAhead: Sendable {
    private struct State {
        var ready: [Result<[UInt8]?, any Error>] = []
        var stopped = false
        var ended = false
    }

    /// What the background thread and the consumer share; the thread holds it, not the `ReadAhead`, so the
    /// consumer can drop the `ReadAhead` (which stops the thread) while a block is being produced.
    private final class Shared: Sendable {
        let state = Mutex(State())
        let filled = DispatchSemaphore(value: 0)
        /// Where `nextWaiting` blocks: a queue of its own, for the reason the producer has one.
        let waiter = DispatchQueue(label: "dbm.backups.read-ahead.wait", qos: .userInitiated)
        /// Starts at 0 and is signalled `depth` times: libdispatch traps when a semaphore is freed with a
        /// value below the one it was created with, which is the case whenever the consumer stops early.
        let free = DispatchSemaphore(value: 0)
        init(depth: Int) { for _ in 0..<depth { free.signal() } }
    }

    private let shared: Shared

    init(depth: Int = 3, _ produce: @escaping @Sendable () throws -> [UInt8]?) {
        shared = Shared(depth: depth)
        let shared = self.shared
        // A queue of its own, so the producer has a thread of its own: it blocks (on `free`, or on another
        // `ReadAhead` it reads from), and blocked work on the global queues, which are as wide as the machine
        // has cores, would hold back every other producer.
        DispatchQueue(label: "dbm.backups.read-ahead", qos: .userInitiated).async {
            while true {
                shared.free.wait()
                if shared.state.withLock({ $0.stopped }) { return }
                let result = Result { try produce() }
                shared.state.withLock { $0.ready.append(result) }
                shared.filled.signal()
                if case .success(.some) = result { continue }
                return
            }
        }
    }

    /// Reads an entry's chunks ahead: each block is one chunk's verified plaintext.
    convenience init(chunks: ChunkList, reader: ChunkReader, depth: Int = 3) {
        let index = Atomic<Int>(0)
        self.init(depth: depth) {
            let next = index.add(1, ordering: .relaxed).oldValue
            return next < chunks.count ? try reader.read(try chunks.reference(at: next)) : nil
        }
    }

    deinit { stop() }

    /// The next block, or nil after the last one.
    /// - Throws: the error the producer threw.
    func next() throws -> [UInt8]? {
        if shared.state.withLock({ $0.ended }) { return nil }
        shared.filled.wait()
        let result = shared.state.withLock { state in
            let result = state.ready.removeFirst()
            if case .success(.some) = result {} else { state.ended = true }
            return result
        }
        shared.free.signal()
        return try result.get()
    }

    /// `next()` for async callers: waits on a Dispatch thread of its own, never blocking Swift's cooperative
    /// pool or libdispatch's global queues.
    func nextWaiting() async throws -> [UInt8]? {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[UInt8]?, any Error>, Never>) in
            shared.waiter.async {
                continuation.resume(returning: Result { try self.next() })
            }
        }
        return try result.get()
    }

    /// Ends the background work; blocks not produced yet never are.
    func stop() {
        let first = shared.state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        if first { shared.free.signal() }
    }
}
