import Foundation
import JSONRPC
import Testing

@testable import JSONRPCServer

/// initialize → initialized → … → shutdown → exit, and what each phase admits.
@Suite struct LifecycleTests {
    @Test func answersInitializeWithServerInfoAndCapabilities() async throws {
        let harness = ServerHarness()
        let answer = try await harness.call(
            "initialize", id: 1,
            params: ["processId": 42, "clientInfo": ["name": "dbm-client", "version": "0.1"], "protocolVersion": "1.0"])
        #expect(answer == [
            "jsonrpc": "2.0", "id": 1,
            "result": [
                "serverInfo": ["name": "test-server", "version": "9.9.9"], "protocolVersion": "2.0-test",
                "capabilities": ["features": ["echo"]],
            ],
        ])
        #expect(harness.logs.contains(level: .info, "dbm-client"))
        try await harness.stop()
    }

    @Test func letsTheApplicationInspectOrRefuseInitialize() async throws {
        let harness = ServerHarness { configuration in
            configuration.onInitialize = { params in
                guard params.protocolVersion == "2.0" else {
                    throw RPCError(code: -32099, message: "Unsupported protocol version \(params.protocolVersion ?? "none")")
                }
            }
        }
        #expect(try await harness.call("initialize", id: 1, params: ["protocolVersion": "1.0"])["error"] == [
            "code": -32099, "message": "Unsupported protocol version 1.0",
        ])
        #expect(try await harness.call("test.add", id: 2, params: ["a": 1, "b": 1])["error"]?["code"] == .integer(-32002))
        #expect(try await harness.call("initialize", id: 3, params: ["protocolVersion": "2.0"])["result"] != nil)
        #expect(try await harness.call("test.add", id: 4, params: ["a": 1, "b": 1])["result"] == 2)
        try await harness.stop()
    }

    @Test func rejectsRequestsBeforeInitialize() async throws {
        let harness = ServerHarness()
        #expect(try await harness.call("test.add", id: 1, params: ["a": 1, "b": 1]) == [
            "jsonrpc": "2.0", "id": 1,
            "error": ["code": -32002, "message": "Server not initialized: send 'initialize' first"],
        ])
        #expect(try await harness.call("rpc.discover", id: 2)["error"]?["code"] == .integer(-32002))
        try await harness.stop()
    }

    @Test func dropsNotificationsBeforeInitialize() async throws {
        let harness = ServerHarness()
        harness.send(#"{"jsonrpc":"2.0","method":"test.record","params":{"text":"too early"}}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"initialized"}"#)
        #expect(try await harness.call("initialize", id: 1)["result"] != nil)
        harness.send(#"{"jsonrpc":"2.0","method":"initialized"}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"test.record","params":{"text":"on time"}}"#)
        try await harness.stop()
        #expect(harness.state.recorded.values == ["on time"])
    }

    @Test func acceptsInitializeOnlyOnce() async throws {
        let harness = try await ServerHarness(initialized: true)
        #expect(try await harness.call("initialize", id: 2)["error"] == [
            "code": -32600, "message": "Invalid request: 'initialize' may only be sent once",
        ])
        try await harness.stop()
    }

    @Test func rejectsMalformedInitializeParams() async throws {
        let harness = ServerHarness()
        let answer = try await harness.call("initialize", id: 1, params: ["clientInfo": ["version": "1"]])
        #expect(answer["error"]?["message"] == "Invalid params: params.clientInfo.name: required value is missing")
        // The session is still waiting for a valid initialize.
        #expect(try await harness.call("initialize", id: 2)["result"] != nil)
        try await harness.stop()
    }

    @Test func exitsWithZeroAfterShutdown() async throws {
        let shutdownHookRuns = Counter()
        let harness = try await ServerHarness(initialized: true) { configuration in
            configuration.onShutdown = { shutdownHookRuns.increment() }
        }
        harness.send(#"{"jsonrpc":"2.0","method":"initialized"}"#)
        #expect(try await harness.call("shutdown", id: 3) == ["jsonrpc": "2.0", "id": 3, "result": .null])
        #expect(try await harness.call("test.add", id: 4, params: ["a": 1, "b": 1])["error"] == [
            "code": -32600, "message": "Invalid request: the server is shutting down; only 'exit' is accepted",
        ])
        #expect(try await harness.call("shutdown", id: 5)["error"]?["code"] == .integer(-32600))
        harness.send(#"{"jsonrpc":"2.0","method":"exit"}"#)
        // run() returns on exit even though the input is still open.
        #expect(try await harness.finish() == 0)
        #expect(shutdownHookRuns.value == 1)
    }

    @Test func exitsWithOneWithoutShutdown() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","method":"exit"}"#)
        #expect(try await harness.finish() == 1)
    }

    @Test func acceptsExitBeforeInitialize() async throws {
        let harness = ServerHarness()
        harness.send(#"{"jsonrpc":"2.0","method":"exit"}"#)
        #expect(try await harness.finish() == 1)
    }

    @Test func ignoresEverythingAfterExit() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","method":"exit"}"# + "\n" + #"{"jsonrpc":"2.0","id":1,"method":"test.add","params":{"a":1,"b":1}}"#)
        #expect(try await harness.finish() == 1)
        #expect(harness.unreadMessages.isEmpty)
    }

    @Test func endsAtEndOfInputAndRunsTheShutdownHook() async throws {
        let shutdownHookRuns = Counter()
        let harness = try await ServerHarness(initialized: true) { configuration in
            configuration.onShutdown = { shutdownHookRuns.increment() }
        }
        harness.closeInput()
        #expect(try await harness.finish() == 0)
        #expect(shutdownHookRuns.value == 1)
    }

    @Test func servesAtOnceWhenInitializeIsNotRequired() async throws {
        let harness = ServerHarness(requiresInitialize: false)
        #expect(try await harness.call("test.add", id: 1, params: ["a": 2, "b": 2])["result"] == 4)
        #expect(try await harness.call("initialize", id: 2)["result"] != nil)
        #expect(try await harness.call("initialize", id: 3)["error"]?["code"] == .integer(-32600))
        try await harness.stop()
    }

    @Test func stopsWhenTheRunningTaskIsCancelled() async throws {
        let server = RPCServer(
            registry: MethodRegistry(),
            configuration: ServerConfiguration(serverInfo: ServerInfo(name: "s", version: "1"), logger: LogRecorder().logger))
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        #expect(pipe(&input) == 0 && pipe(&output) == 0)
        let (readFD, writeFD) = (input[0], output[1])
        let task = Task { await server.run(input: readFD, output: writeFD) }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        #expect(await task.value == 0)
        for fd in input + output { close(fd) }
    }
}
