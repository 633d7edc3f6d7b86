import JSONRPC
import Logging

/// The connection's main loop. It runs on a dedicated thread (never on the cooperative pool): it reads,
/// splits and parses messages, runs the lifecycle, and starts one task per request.
///
/// Everything here is confined to that thread; what tasks need lives in the shared ``Connection``.
final class ConnectionLoop {
    /// Why the loop stopped.
    enum Ending: Equatable {
        /// `exit` arrived; the process should exit with `code`.
        case exit(code: Int32)
        /// The input reached its end (or ended mid-message).
        case endOfInput
        /// Reading failed.
        case readFailed
        /// ``RPCServer/run(input:output:)``'s task was cancelled.
        case stopped
    }

    let connection: Connection
    var lifecycle: SessionLifecycle
    private var decoder: FrameDecoder
    /// Set by `exit`; the loop stops after the current message.
    var ending: Ending?
    /// No later message is buffered behind the one being handled: the client waits for this answer, so
    /// the request starts on this thread (see `start(_:method:answerWhenDone:)`).
    var inputDrained = true

    static let readChunkSize = 64 * 1024

    init(connection: Connection) {
        self.connection = connection
        lifecycle = SessionLifecycle(requiresInitialize: connection.configuration.requiresInitialize)
        decoder = FrameDecoder(maxMessageSize: connection.configuration.maxMessageSize)
    }

    var logger: Logger { connection.logger }

    /// Reads `input` until `exit`, end of input, a read error, or a byte on `wakeFD`.
    func run(input: Int32, wakeFD: Int32) -> Ending {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readChunkSize, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            // Spin only when every request is answered: while tasks run, the cores are theirs.
            let spin = connection.inFlight.activeTaskCount == 0 ? connection.configuration.inputSpin : .zero
            switch FileDescriptorIO.read(input, into: chunk, wakeFD: wakeFD, spin: spin) {
            case .bytes(let count):
                decoder.append(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
                // Answers given while this read is processed leave together in one write.
                connection.writer.hold()
                while ending == nil, let event = decoder.nextEvent() {
                    inputDrained = !decoder.hasBufferedInput
                    handle(event)
                }
                connection.writer.release()
                if let ending { return ending }
            case .endOfInput:
                if let event = decoder.finish() { handle(event) }
                return ending ?? .endOfInput
            case .failed(let code):
                logger.error("Cannot read from the client", metadata: ["error": "\(FileDescriptorIO.describe(errno: code))"])
                return .readFailed
            case .interrupted:
                return .stopped
            }
        }
    }

    private var outputFramingSet = false

    private func handle(_ event: FrameDecoder.Event) {
        if !outputFramingSet, let framing = decoder.framing {
            connection.writer.setFraming(framing)
            outputFramingSet = true
            logger.debug("Detected framing", metadata: ["framing": "\(framing)"])
        }
        switch event {
        case .message(let body):
            let value: JSONValue
            do {
                value = try JSONValue(parsing: body, maxDepth: connection.configuration.maxNestingDepth)
            } catch {
                logger.warning("Received invalid JSON", metadata: ["error": "\(error)"])
                connection.writer.send(RPCResponse(id: .null, error: .parseError(error.description)))
                return
            }
            dispatch(value)
        case .oversized(let size):
            let limit = connection.configuration.maxMessageSize
            let detail = size.map { "message of \($0) bytes exceeds the maximum of \(limit) bytes" }
                ?? "message exceeds the maximum of \(limit) bytes"
            logger.warning("Skipped an oversized message", metadata: ["size": "\(size.map(String.init) ?? "unknown")"])
            connection.writer.send(RPCResponse(id: .null, error: .invalidRequest(detail)))
        case .invalidHeader(let reason):
            logger.error("Invalid message header; resynchronizing on the next Content-Length", metadata: ["reason": "\(reason)"])
            connection.writer.send(RPCResponse(id: .null, error: .parseError("invalid message header: \(reason)")))
        case .truncated(let reason):
            logger.error("Input ended in the middle of a message", metadata: ["reason": "\(reason)"])
        }
    }
}
