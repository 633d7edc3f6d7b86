import Foundation
import JSONRPC
import Logging
import Synchronization

/// A JSON-RPC 2.0 server over a pair of file descriptors (stdin/stdout by default), with the LSP lifecycle.
///
/// The framing (Content-Length headers or newline-delimited JSON) is detected from the client's first byte
/// and used for the answers. A dedicated thread reads and parses; each request runs in its own task, so
/// answers may come out of order; all output goes through one writer that never interleaves messages.
///
/// ```swift
/// var registry = MethodRegistry()
/// registry.register(Connect.self) { params, context in ... }
/// var configuration = ServerConfiguration(serverInfo: ServerInfo(name: "dbm-server", version: "1.0.0"))
/// configuration.onShutdown = { await pool.closeAll() }
/// let code = await RPCServer(registry: registry, configuration: configuration).run()
/// exit(code)
/// ```
public final class RPCServer: Sendable {
    /// The application's methods.
    public let registry: MethodRegistry
    /// How the server presents itself and behaves.
    public let configuration: ServerConfiguration
    private let cachedDocument = Mutex<JSONValue?>(nil)

    /// Creates a server; nothing runs until ``run(input:output:)``.
    public init(registry: MethodRegistry, configuration: ServerConfiguration) {
        self.registry = registry
        self.configuration = configuration
    }

    /// The OpenRPC document `rpc.discover` answers: the built-in methods, then the registry's, by name.
    /// Generated on first use and cached.
    public var openRPCDocument: JSONValue {
        cachedDocument.withLock { cached in
            if let cached { return cached }
            let document = OpenRPCDocument.generate(
                info: configuration.documentInfo, methods: BuiltinMethods.descriptors + registry.descriptors)
            cached = document
            return document
        }
    }

    /// Serves stdin/stdout until `exit` or end of input; see ``run(input:output:)``.
    public func run() async -> Int32 {
        await run(input: STDIN_FILENO, output: STDOUT_FILENO)
    }

    /// Serves one client reading `input` and writing `output` (pipes, sockets, files) until `exit`, the end
    /// of input, or cancellation of the calling task. Then it waits for running requests (cancelling them
    /// after `exit`, on cancellation, or at end of input when configured), calls
    /// ``ServerConfiguration/onShutdown``, and returns the process exit code:
    /// 0 after `shutdown` + `exit`, 1 for `exit` without `shutdown` or a read error, 0 at end of input.
    ///
    /// The descriptors are not closed. `SIGPIPE` is ignored process-wide so that a vanished client shows up
    /// as a write error instead of killing the process.
    public func run(input: Int32, output: Int32) async -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        var wakePipe: [Int32] = [-1, -1]
        guard pipe(&wakePipe) == 0 else {
            configuration.logger.critical("Cannot create the reader's wake-up pipe", metadata: [
                "error": "\(String(cString: strerror(errno)))",
            ])
            await configuration.onShutdown()
            return 1
        }
        let (wakeRead, wakeWrite) = (wakePipe[0], wakePipe[1])
        defer {
            close(wakeRead)
            close(wakeWrite)
        }
        let connection = Connection(
            registry: registry, configuration: configuration,
            writer: OutputWriter(fd: output, logger: configuration.logger),
            discoveryDocument: { [self] in openRPCDocument })

        let ending: ConnectionLoop.Ending = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    let loop = ConnectionLoop(connection: connection)
                    continuation.resume(returning: loop.run(input: input, wakeFD: wakeRead))
                }
                thread.name = "dbm.jsonrpc.reader"
                thread.stackSize = 8 << 20  // parsing recursion is bounded by maxNestingDepth
                thread.start()
            }
        } onCancel: {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }

        let exitCode: Int32
        switch ending {
        case .exit(let code):
            exitCode = code
            connection.inFlight.cancelAll()
        case .endOfInput:
            exitCode = 0
            if configuration.pendingRequestsAtEndOfInput == .cancel { connection.inFlight.cancelAll() }
        case .readFailed:
            exitCode = 1
            connection.inFlight.cancelAll()
        case .stopped:
            exitCode = 0
            connection.inFlight.cancelAll()
        }
        configuration.logger.info("Connection ended", metadata: ["reason": "\(ending)", "exitCode": "\(exitCode)"])
        await connection.inFlight.waitUntilIdle()
        await configuration.onShutdown()
        return exitCode
    }
}
