import JSONRPC
import Logging
import Synchronization

/// Serializes every outgoing message onto one file descriptor, never interleaving two messages, and
/// coalesces messages that are ready together into one `write`.
///
/// At most one thread writes at a time (the "flusher"); others append framed messages to a pending buffer
/// that the flusher writes in the next round. Synchronous ``send(body:)`` flushes at once when the writer is
/// idle (no hand-off, minimal latency). ``sendCoalescing(body:)``, used for answers produced by request
/// tasks, first yields once, so answers of other tasks that are already runnable join the same write: under
/// pipelined load many answers go out per system call. Messages from one producer keep their order.
/// While the reader thread processes the messages of one read (``hold()`` ... ``release()``), answers produced
/// meanwhile collect in the pending buffer and leave in one write at ``release()``: pipelined requests that
/// are answered on the spot cost one system call per read, not one per answer.
/// After a write error (the client closed its end) output is dropped and logged once.
final class OutputWriter: Sendable {
    private struct State {
        var framing = Framing.newlineDelimited
        var pending: [UInt8] = []
        /// A flush is scheduled or running; `pending` is only non-empty while this is set.
        var busy = false
        /// The reader thread is processing a read; ``release()`` flushes what collected meanwhile.
        var held = false
        var failed = false
    }

    private let fd: Int32
    private let state = Mutex(State())
    private let logger: Logger

    init(fd: Int32, logger: Logger) {
        self.fd = fd
        self.logger = logger
    }

    /// Sets the framing for all later messages (the input's framing, once detected).
    func setFraming(_ framing: Framing) {
        state.withLock { $0.framing = framing }
    }

    /// Writes a response now (or as part of the running flush).
    func send(_ response: RPCResponse) {
        send(body: Self.body(of: response))
    }

    /// Writes a notification now (or as part of the running flush).
    func send(_ notification: RPCNotification) {
        var body: [UInt8] = []
        body.reserveCapacity(128)
        notification.serialize(into: &body)
        send(body: body)
    }

    /// Writes a response, letting answers that are ready at the same time share the write.
    func sendCoalescing(_ response: RPCResponse) async {
        await sendCoalescing(body: Self.body(of: response))
    }

    /// Writes a batch answer, letting answers that are ready at the same time share the write.
    func sendBatchCoalescing(_ responses: [RPCResponse]) async {
        var body: [UInt8] = []
        RPCResponse.serializeBatch(responses, into: &body)
        await sendCoalescing(body: body)
    }

    /// Writes a batch answer now (or as part of the running flush).
    func sendBatch(_ responses: [RPCResponse]) {
        var body: [UInt8] = []
        RPCResponse.serializeBatch(responses, into: &body)
        send(body: body)
    }

    /// Frames and writes one message body now, or hands it to the running flush.
    func send(body: [UInt8]) {
        let framing: Framing? = state.withLock { state in
            if state.failed { return nil }
            if state.busy || state.held {
                state.framing.frame(body, into: &state.pending)
                return nil
            }
            state.busy = true
            return state.framing
        }
        guard let framing else { return }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(body.count + 32)
        framing.frame(body, into: &chunk)
        flush(startingWith: chunk)
    }

    /// Frames one message body into the pending buffer and, unless a flush is already scheduled, flushes
    /// after letting other runnable tasks add theirs.
    func sendCoalescing(body: [UInt8]) async {
        let mustFlush: Bool = state.withLock { state in
            if state.failed { return false }
            state.framing.frame(body, into: &state.pending)
            if state.busy || state.held { return false }
            state.busy = true
            return true
        }
        guard mustFlush else { return }
        await Task.yield()
        let chunk: [UInt8] = state.withLock { state in
            var taken: [UInt8] = []
            swap(&taken, &state.pending)
            return taken
        }
        flush(startingWith: chunk)
    }

    /// Collects messages sent from now on until ``release()``. Called by the reader thread only.
    func hold() {
        state.withLock { $0.held = true }
    }

    /// Ends ``hold()`` and writes what collected meanwhile, unless a flush is running (it takes them).
    func release() {
        let chunk: [UInt8]? = state.withLock { state in
            state.held = false
            if state.busy || state.pending.isEmpty { return nil }
            state.busy = true
            var taken: [UInt8] = []
            swap(&taken, &state.pending)
            return taken
        }
        if let chunk { flush(startingWith: chunk) }
    }

    /// Writes `chunk`, then whatever was appended meanwhile, until nothing is pending. Called by the flusher.
    private func flush(startingWith chunk: [UInt8]) {
        var chunk = chunk
        while true {
            let error = chunk.isEmpty ? nil : chunk.withUnsafeBytes { FileDescriptorIO.writeAll(fd, $0) }
            let more: Bool = state.withLock { state in
                if error != nil {
                    state.failed = true
                    state.pending = []
                    state.busy = false
                    return false
                }
                guard !state.pending.isEmpty else {
                    state.busy = false
                    return false
                }
                // Take the pending bytes; hand the written buffer back for reuse.
                chunk.removeAll(keepingCapacity: true)
                swap(&chunk, &state.pending)
                return true
            }
            if let error {
                logger.error("Cannot write to the client; dropping further output", metadata: [
                    "errno": "\(error)", "error": "\(FileDescriptorIO.describe(errno: error))",
                ])
                return
            }
            guard more else { return }
        }
    }

    private static func body(of response: RPCResponse) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(128)
        response.serialize(into: &body)
        return body
    }
}
