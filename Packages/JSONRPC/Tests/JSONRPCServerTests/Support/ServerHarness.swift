import Foundation
import JSONRPC
import Logging
import Synchronization
import Testing

@testable import JSONRPCServer

/// Runs an ``RPCServer`` in-process over two pipes and plays the client: writes raw bytes, reads answers.
final class ServerHarness: Sendable {
    struct Timeout: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting for \(what)" }
    }

    private struct Received {
        var messages: [JSONValue] = []
        var rawOutput: [UInt8] = []
        var outputClosed = false
    }

    /// Shared with the output thread.
    private final class ReceivedBox: Sendable {
        let state = Mutex(Received())
        func withLock<R>(_ body: (inout Received) -> R) -> R { state.withLock { body(&$0) } }
    }

    let server: RPCServer
    let logs: LogRecorder
    /// The gate and notification record the test methods use.
    let state: TestState
    private let clientWrite: Int32
    private let serverRead: Int32
    private let serverWrite: Int32
    private let clientRead: Int32
    private let received = ReceivedBox()
    private let writeQueue = DispatchQueue(label: "test.client.write")
    private let inputClosed = Atomic<Bool>(false)
    private let runTask: Task<Int32, Never>
    private let outputDone: Task<Void, Never>

    /// Starts the server. `configure` adjusts the configuration (logging goes to `logs`).
    init(
        requiresInitialize: Bool = true,
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) {
        let state = TestState()
        self.state = state
        var registry = MethodRegistry()
        TestMethods.registerAll(&registry, state: state)
        let logs = LogRecorder()
        var configuration = ServerConfiguration(
            serverInfo: ServerInfo(name: "test-server", version: "9.9.9"), protocolVersion: "2.0-test",
            capabilities: ["features": ["echo"]], logger: logs.logger)
        configuration.requiresInitialize = requiresInitialize
        configure(&configuration)
        let server = RPCServer(registry: registry, configuration: configuration)
        self.server = server
        self.logs = logs

        var toServer: [Int32] = [-1, -1]
        var fromServer: [Int32] = [-1, -1]
        precondition(pipe(&toServer) == 0 && pipe(&fromServer) == 0, "pipe() failed")
        (serverRead, clientWrite) = (toServer[0], toServer[1])
        (clientRead, serverWrite) = (fromServer[0], fromServer[1])
        let (input, output) = (serverRead, serverWrite)
        runTask = Task { await server.run(input: input, output: output) }

        // Read the server's output on a thread of its own, decoding frames as they complete.
        let received = self.received
        let readFD = clientRead
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let thread = Thread {
            var decoder = FrameDecoder(maxMessageSize: .max)
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(readFD, &chunk, chunk.count)
                if count <= 0 { break }
                decoder.append(chunk[0..<count])
                var parsed: [JSONValue] = []
                while let event = decoder.nextEvent() {
                    guard case .message(let body) = event else { continue }
                    parsed.append((try? JSONValue(parsing: body)) ?? .string("<unparsable output>"))
                }
                received.withLock {
                    $0.rawOutput.append(contentsOf: chunk[0..<count])
                    $0.messages.append(contentsOf: parsed)
                }
            }
            received.withLock { $0.outputClosed = true }
            continuation.finish()
        }
        thread.start()
        outputDone = Task { for await _ in stream {} }
    }

    /// Starts the server and, when `initialized`, completes `initialize` first.
    convenience init(initialized: Bool, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        self.init(configure: configure)
        if initialized {
            send(#"{"jsonrpc":"2.0","id":"init","method":"initialize","params":{}}"#)
            _ = try await next()
        }
    }

    // MARK: Client side

    /// Writes `bytes` to the server as is. The write happens on a serial queue, in order: a blocking write
    /// on the test's own thread could starve the cooperative pool the server needs to start.
    func sendRaw(_ bytes: [UInt8]) {
        let fd = clientWrite
        writeQueue.async {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    guard written > 0 else { return }
                    offset += written
                }
            }
        }
    }

    func sendRaw(_ text: String) { sendRaw(Array(text.utf8)) }

    /// Writes one newline-delimited message.
    func send(_ json: String) { sendRaw(json + "\n") }

    /// Writes one message with a Content-Length header.
    func sendFramed(_ json: String) {
        sendRaw("Content-Length: \(json.utf8.count)\r\n\r\n" + json)
    }

    /// Closes the server's input (end of input), after the writes already queued.
    func closeInput() {
        guard !inputClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let fd = clientWrite
        writeQueue.async { close(fd) }
    }

    /// The next message the server wrote.
    func next(timeout: Duration = .seconds(10)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while true {
            let message: JSONValue? = received.withLock { state in
                state.messages.isEmpty ? nil : state.messages.removeFirst()
            }
            if let message { return message }
            guard ContinuousClock.now < deadline else { throw Timeout(what: "a message from the server") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// The next `count` messages.
    func next(_ count: Int) async throws -> [JSONValue] {
        var messages: [JSONValue] = []
        for _ in 0..<count { messages.append(try await next()) }
        return messages
    }

    /// Sends a request and returns the next message (use when nothing else is in flight).
    func call(_ method: String, id: Int = 1, params: JSONValue? = nil) async throws -> JSONValue {
        send(RPCRequest(id: .integer(Int64(id)), method: method, params: params).jsonValue.description)
        return try await next()
    }

    /// Everything the server wrote so far, as text.
    var rawOutput: String { received.withLock { String(decoding: $0.rawOutput, as: UTF8.self) } }

    /// Messages received and not yet taken with `next`.
    var unreadMessages: [JSONValue] { received.withLock { $0.messages } }

    /// Waits for `run` to return and releases the pipes; returns the exit code.
    func finish(timeout: Duration = .seconds(10)) async throws -> Int32 {
        let code = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask { await self.runTask.value }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        guard let code else { throw Timeout(what: "the server to return from run()") }
        closeInput()
        writeQueue.sync {}
        close(serverRead)
        close(serverWrite)  // lets the output thread see the end
        await outputDone.value
        close(clientRead)
        return code
    }

    /// Ends input and waits for the server; for tests that do not care how it ends.
    func stop() async throws {
        closeInput()
        _ = try await finish()
    }
}

/// Captures log records so tests can check what the server reported.
final class LogRecorder: Sendable {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let storage = Mutex<[Record]>([])

    var logger: Logger {
        Logger(label: "test.jsonrpc") { _ in RecordingHandler(recorder: self) }
    }

    var records: [Record] { storage.withLock { $0 } }

    func append(_ record: Record) { storage.withLock { $0.append(record) } }

    func contains(level: Logger.Level, _ fragment: String) -> Bool {
        records.contains { $0.level == level && ($0.message + " " + $0.metadata.values.joined(separator: " ")).contains(fragment) }
    }

    private struct RecordingHandler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var flattened: [String: String] = [:]
            for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
                flattened[key] = "\(value)"
            }
            recorder.append(Record(level: event.level, message: "\(event.message)", metadata: flattened))
        }
    }
}
