import JSONRPC
import Logging
import Synchronization

/// Serializes every outgoing message onto one file descriptor, never interleaving two messages.
///
/// Whoever sends while no write is in progress writes immediately, on its own thread (no hand-off, so a lone
/// response goes out with minimal latency). Messages sent while a write is in progress are framed into a
/// pending buffer that the active writer flushes with one `write` per round, so bursts of responses coalesce.
/// After a write error (the client closed its end) output is dropped and logged once.
final class OutputWriter: Sendable {
    private struct State {
        var framing = Framing.newlineDelimited
        var pending: [UInt8] = []
        var writing = false
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

    func send(_ response: RPCResponse) {
        var body: [UInt8] = []
        body.reserveCapacity(128)
        response.serialize(into: &body)
        send(body: body)
    }

    func send(_ notification: RPCNotification) {
        var body: [UInt8] = []
        body.reserveCapacity(128)
        notification.serialize(into: &body)
        send(body: body)
    }

    func sendBatch(_ responses: [RPCResponse]) {
        var body: [UInt8] = []
        RPCResponse.serializeBatch(responses, into: &body)
        send(body: body)
    }

    /// Frames and writes one message body.
    func send(body: [UInt8]) {
        let framing: Framing? = state.withLock { state in
            if state.failed { return nil }
            if state.writing {
                state.framing.frame(body, into: &state.pending)
                return nil
            }
            state.writing = true
            return state.framing
        }
        guard let framing else { return }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(body.count + 32)
        framing.frame(body, into: &chunk)
        while true {
            let error = chunk.withUnsafeBytes { FileDescriptorIO.writeAll(fd, $0) }
            let next: [UInt8]? = state.withLock { state in
                if error != nil {
                    state.failed = true
                    state.pending = []
                    state.writing = false
                    return nil
                }
                guard !state.pending.isEmpty else {
                    state.writing = false
                    return nil
                }
                // Hand the written buffer back for reuse and take the pending one.
                chunk.removeAll(keepingCapacity: true)
                swap(&chunk, &state.pending)
                return chunk
            }
            if let error {
                logger.error("Cannot write to the client; dropping further output", metadata: [
                    "errno": "\(error)", "error": "\(FileDescriptorIO.describe(errno: error))",
                ])
                return
            }
            guard let next else { return }
            chunk = next
        }
    }
}
