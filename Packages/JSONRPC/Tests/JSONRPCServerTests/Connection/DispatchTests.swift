import JSONRPC
import Testing

@testable import JSONRPCServer

/// Routing requests to handlers, and how their results and failures are answered.
@Suite struct DispatchTests {
    @Test func answersUnknownMethodsWithMethodNotFound() async throws {
        let harness = try await ServerHarness(initialized: true)
        #expect(try await harness.call("nope.missing", id: 4) == [
            "jsonrpc": "2.0", "id": 4, "error": ["code": -32601, "message": "Method not found: nope.missing"],
        ])
        try await harness.stop()
    }

    @Test func answersUndecodableParamsWithTheirPath() async throws {
        let harness = try await ServerHarness(initialized: true)
        let answer = try await harness.call("test.add", params: ["a": "one", "b": 2])
        #expect(answer["error"] == ["code": -32602, "message": "Invalid params: params.a: expected integer, got string"])
        let missing = try await harness.call("test.add", params: ["a": 1])
        #expect(missing["error"]?["message"] == "Invalid params: params.b: required value is missing")
        try await harness.stop()
    }

    @Test func acceptsAbsentNullAndExtraParams() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"test.echo"}"#)
        #expect(try await harness.next()["result"] == .null)
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"test.echo","params":null}"#)
        #expect(try await harness.next()["result"] == .null)
        harness.send(#"{"jsonrpc":"2.0","id":3,"method":"test.add","params":{"a":1,"b":2,"variant_b_name":true}}"#)
        #expect(try await harness.next()["result"] == 3)
        try await harness.stop()
    }

    @Test func echoesIdsExactly() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","id":"req-\"1\"","method":"test.add","params":{"a":0,"b":0}}"#)
        #expect(try await harness.next()["id"] == "req-\"1\"")
        harness.send(#"{"jsonrpc":"2.0","id":9007199254740993,"method":"test.add","params":{"a":0,"b":0}}"#)
        #expect(try await harness.next()["id"] == .integer(9_007_199_254_740_993))
        #expect(harness.rawOutput.contains(#""id":9007199254740993,"#))
        harness.send(#"{"jsonrpc":"2.0","id":-5,"method":"test.add","params":{"a":0,"b":0}}"#)
        #expect(try await harness.next()["id"] == -5)
        harness.send(#"{"jsonrpc":"2.0","id":null,"method":"test.add","params":{"a":0,"b":0}}"#)
        #expect(try await harness.next() == ["jsonrpc": "2.0", "id": .null, "result": 0])
        try await harness.stop()
    }

    @Test func answersInvalidRequestsWithTheIdWhenReadable() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"id":8,"method":"test.add"}"#)
        let missingVersion = try await harness.next()
        #expect(missingVersion["id"] == 8)
        #expect(missingVersion["error"]?["code"] == .integer(-32600))
        harness.send(#"{"jsonrpc":"2.0","id":{"x":1},"method":"test.add"}"#)
        let badID = try await harness.next()
        #expect(badID["id"] == .null)
        #expect(badID["error"]?["code"] == .integer(-32600))
        harness.send("42")
        #expect(try await harness.next()["error"]?["code"] == .integer(-32600))
        try await harness.stop()
    }

    @Test func sendsRPCErrorsAsThrown() async throws {
        let harness = try await ServerHarness(initialized: true)
        #expect(try await harness.call("test.rpcError")["error"] == [
            "code": -32042, "message": "Database is locked", "data": ["type": "DatabaseLocked"],
        ])
        try await harness.stop()
    }

    @Test func mapsOtherErrorsToInternalErrorsByDefault() async throws {
        let harness = try await ServerHarness(initialized: true)
        #expect(try await harness.call("test.fail", params: ["reason": "disk full"])["error"] == [
            "code": -32603, "message": "Internal error: test failure: disk full", "data": ["type": "TestFailure"],
        ])
        try await harness.stop()
    }

    @Test func mapsOtherErrorsThroughTheConfiguredMapper() async throws {
        let harness = try await ServerHarness(initialized: true) { configuration in
            configuration.errorMapper = { error in
                RPCError(code: -32050, message: "mapped: \(error)", data: ["type": "TestFailure"])
            }
        }
        #expect(try await harness.call("test.fail", params: ["reason": "x"])["error"] == [
            "code": -32050, "message": "mapped: test failure: x", "data": ["type": "TestFailure"],
        ])
        // RPCErrors bypass the mapper.
        #expect(try await harness.call("test.rpcError")["error"]?["code"] == .integer(-32042))
        try await harness.stop()
    }

    @Test func runsNotificationHandlersWithoutAnswering() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","method":"test.record","params":{"text":"hello"}}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"test.unknownNotification"}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"test.record","params":{"wrong":1}}"#)
        // The next message is the answer to this request: nothing was written for the notifications.
        #expect(try await harness.call("test.add", id: 99, params: ["a": 1, "b": 1])["id"] == 99)
        try await harness.stop()
        #expect(harness.state.recorded.values == ["hello"])
        #expect(harness.logs.contains(level: .error, "Notification handler failed"))
    }

    @Test func reportsProgressWhenTheClientPassesAToken() async throws {
        let harness = try await ServerHarness(initialized: true)
        for (id, key) in [(1, "work_done_token"), (2, "workDoneToken")] {
            let messages = try await {
                harness.send(RPCRequest(id: .integer(Int64(id)), method: "test.progress", params: .object([key: .string("tok\(id)")])).jsonValue.description)
                return try await harness.next(4)
            }()
            #expect(messages.map { $0["method"] } == ["$/progress", "$/progress", "$/progress", nil])
            #expect(messages[0]["params"] == ["token": .string("tok\(id)"), "value": ["kind": "begin", "title": "Copying", "percentage": 0]])
            #expect(messages[1]["params"]?["value"] == ["kind": "report", "message": "half", "percentage": 50])
            #expect(messages[2]["params"]?["value"] == ["kind": "end", "message": "done"])
            #expect(messages[3] == ["jsonrpc": "2.0", "id": .integer(Int64(id)), "result": true])
        }
        #expect(try await harness.call("test.progress", id: 3) == ["jsonrpc": "2.0", "id": 3, "result": true])
        try await harness.stop()
    }

    @Test func deliversNotificationsSentByHandlers() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"test.notify","params":{"text":"row 1"}}"#)
        #expect(try await harness.next(2) == [
            ["jsonrpc": "2.0", "method": "test.event", "params": ["text": "row 1"]],
            ["jsonrpc": "2.0", "id": 1, "result": .emptyObject],
        ])
        try await harness.stop()
    }
}
