import DBMServer
import Foundation
import JSONRPC
import XCTest

/// A dbm server running in this process on a pair of pipes, and a client for it (Content-Length framing).
final class InProcessServer: @unchecked Sendable {
    // @unchecked Sendable: the client side is used from one test at a time; the server runs in its own task.
    private let toServer = Pipe()
    private let fromServer = Pipe()
    private var buffer: [UInt8] = []
    private var nextID: Int64 = 0
    let state: ServerState
    private var serverTask: Task<Int32, Never>?

    /// A server whose monitoring workspace (history, statement record) is a fresh temporary directory.
    convenience init(readOnly: Bool = false) {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-it-workspace-\(UUID().uuidString)")
        self.init(state: ServerState(readOnly: readOnly, workspaceDir: workspace.path))
    }

    init(state: ServerState) {
        self.state = state
        let server = ServerFactory.makeServer(state: state)
        let input = toServer.fileHandleForReading.fileDescriptor
        let output = fromServer.fileHandleForWriting.fileDescriptor
        serverTask = Task.detached { await server.run(input: input, output: output) }
    }

    /// Sends a request and returns its result, or throws the `RPCError` it answered with.
    func call(_ method: String, _ params: JSONValue = .emptyObject) throws -> JSONValue {
        nextID += 1
        let id = nextID
        try send(["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params])
        while true {
            let message = try read()
            guard message["id"] == .integer(id) else { continue }
            if let error = message["error"] { throw RPCError(jsonValue: error)! }
            return message["result"] ?? .null
        }
    }

    func initialize() throws {
        _ = try call("initialize", ["capabilities": .emptyObject])
    }

    /// Ends the session; returns the server's exit code.
    func shutdown() async throws -> Int32 {
        _ = try call("shutdown", .null)
        try send(["jsonrpc": "2.0", "method": "exit"])
        try toServer.fileHandleForWriting.close()
        return await serverTask!.value
    }

    func send(_ message: JSONValue) throws {
        let body = message.serialized()
        try toServer.fileHandleForWriting.write(contentsOf: Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    func read() throws -> JSONValue {
        while true {
            if let end = headerEnd() {
                let header = String(decoding: buffer[0..<end], as: UTF8.self)
                let length = Int(header.split(separator: ":")[1].trimmingCharacters(in: .whitespaces))!
                if buffer.count >= end + 4 + length {
                    let message = try JSONValue(parsing: buffer[(end + 4)..<(end + 4 + length)])
                    buffer.removeFirst(end + 4 + length)
                    return message
                }
            }
            let chunk = fromServer.fileHandleForReading.availableData
            if chunk.isEmpty { throw RPCError(code: -1, message: "the server closed its output before answering") }
            buffer.append(contentsOf: chunk)
        }
    }

    private func headerEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }
}
