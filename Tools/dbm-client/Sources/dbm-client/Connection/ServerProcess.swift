import Foundation
import JSONRPC

/// A `dbm-server` child process and the JSON-RPC session with it (Content-Length framing on its stdio).
///
/// The client sends one request at a time and reads until its response arrives, showing `$/progress`
/// notifications on the way. `@unchecked Sendable`: writes are serialized by `writeLock` (a SIGINT
/// handler may send `$/cancelRequest` from another thread); reads happen on the calling thread only.
final class ServerProcess: @unchecked Sendable {
    private let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private var buffer: [UInt8] = []
    private var nextID: Int64 = 0
    private let writeLock = NSLock()
    private(set) var inFlight: Int64?
    var onProgress: ((JSONValue) -> Void)?

    /// Starts the server found by `locate(explicit:)`, passing `arguments`.
    init(executable: URL, arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.standardError
        try process.run()
    }

    /// The server binary: `--server`, `DBM_SERVER`, `dbm-server` beside this executable, or on `PATH`.
    static func locate(explicit: String?) throws -> URL {
        let fm = FileManager.default
        if let path = explicit ?? ProcessInfo.processInfo.environment["DBM_SERVER"], !path.isEmpty {
            guard fm.isExecutableFile(atPath: path) else { throw ClientError("dbm-server not found at \(path)") }
            return URL(fileURLWithPath: path)
        }
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let sibling = me.deletingLastPathComponent().appendingPathComponent("dbm-server")
        if fm.isExecutableFile(atPath: sibling.path) { return sibling }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("dbm-server")
            if fm.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ClientError("dbm-server not found: build it with `swift build`, put it on PATH, or pass --server")
    }

    /// Sends `initialize` and `initialized`.
    func initialize() throws {
        _ = try request("initialize", params: ["clientInfo": ["name": "dbm-client"], "capabilities": .emptyObject])
        try notify("initialized", params: .emptyObject)
    }

    /// Sends a request and waits for its response. Adds a `work_done_token` so long operations report progress.
    func request(_ method: String, params: JSONValue) throws -> JSONValue {
        nextID += 1
        let id = nextID
        var params = params
        if case .object(var object) = params, object["work_done_token"] == nil, method != "initialize" {
            object["work_done_token"] = .string("dbm-client-\(id)")
            params = .object(object)
        }
        inFlight = id
        defer { inFlight = nil }
        try send(["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params])
        while true {
            let message = try readMessage()
            if let responseID = message["id"], responseID == .integer(id) {
                if let error = message["error"] {
                    throw RPCError(jsonValue: error) ?? ClientError("malformed error from dbm-server")
                }
                return message["result"] ?? .null
            }
            if message["method"]?.stringValue == "$/progress", let value = message["params"]?["value"] {
                onProgress?(value)
            }
        }
    }

    func notify(_ method: String, params: JSONValue) throws {
        try send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    /// Asks the server to cancel the request in flight (from a signal handler's queue).
    func cancelInFlight() {
        guard let id = inFlight else { return }
        try? notify("$/cancelRequest", params: ["id": .integer(id)])
    }

    /// `shutdown`, `exit`, and waits for the process.
    func close() {
        _ = try? request("shutdown", params: .null)
        try? notify("exit", params: .null)
        try? stdinPipe.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private func send(_ message: JSONValue) throws {
        let body = message.serialized()
        var frame = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        frame.append(contentsOf: body)
        writeLock.lock()
        defer { writeLock.unlock() }
        do {
            try stdinPipe.fileHandleForWriting.write(contentsOf: frame)
        } catch {
            throw ClientError("dbm-server is not running (it exited with status \(process.isRunning ? 0 : process.terminationStatus))")
        }
    }

    private func readMessage() throws -> JSONValue {
        while true {
            if let (length, headerEnd) = headerLength(), buffer.count >= headerEnd + length {
                let body = buffer[headerEnd..<(headerEnd + length)]
                let message = try JSONValue(parsing: body)
                buffer.removeFirst(headerEnd + length)
                return message
            }
            let chunk = stdoutPipe.fileHandleForReading.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                throw ClientError("dbm-server closed the connection (exit status \(process.terminationStatus))")
            }
            buffer.append(contentsOf: chunk)
        }
    }

    /// The body length and where the body starts, once a whole header block is buffered.
    private func headerLength() -> (Int, Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && Array(buffer[i..<(i + 4)]) == separator {
            let header = String(decoding: buffer[0..<i], as: UTF8.self)
            for line in header.split(separator: "\r\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == "content-length",
                   let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) {
                    return (n, i + 4)
                }
            }
            return nil
        }
        return nil
    }
}

/// A failure of the client itself (not an error answered by the server).
struct ClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
