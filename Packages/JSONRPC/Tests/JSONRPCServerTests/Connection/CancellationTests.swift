import JSONRPC
import Testing

@testable import JSONRPCServer

/// `$/cancelRequest` and the -32800 answer.
@Suite struct CancellationTests {
    private let cancelled: JSONValue = ["code": -32800, "message": "Request cancelled"]

    @Test func cancelsASleepingRequest() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","id":7,"method":"test.sleep","params":{"ms":60000}}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":7}}"#)
        #expect(try await harness.next() == ["jsonrpc": "2.0", "id": 7, "error": cancelled])
        try await harness.stop()
    }

    @Test func answersCancelledEvenWhenTheHandlerReturnsNormally() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","id":"spin","method":"test.spin"}"#)
        // Make sure the request is running before cancelling it.
        #expect(try await harness.call("test.add", id: 1, params: ["a": 1, "b": 1])["result"] == 2)
        harness.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"spin"}}"#)
        #expect(try await harness.next() == ["jsonrpc": "2.0", "id": "spin", "error": cancelled])
        try await harness.stop()
    }

    @Test func cancelsARequestInsideABatch() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"[{"jsonrpc":"2.0","id":1,"method":"test.sleep","params":{"ms":60000}},{"jsonrpc":"2.0","id":2,"method":"test.add","params":{"a":1,"b":2}}]"#)
        harness.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#)
        let reply = try #require(try await harness.next().arrayValue)
        #expect(Set(reply.map(\.description)) == [
            #"{"jsonrpc":"2.0","id":1,"error":{"code":-32800,"message":"Request cancelled"}}"#,
            #"{"jsonrpc":"2.0","id":2,"result":3}"#,
        ])
        try await harness.stop()
    }

    @Test func ignoresUnknownAndFinishedIds() async throws {
        let harness = try await ServerHarness(initialized: true)
        #expect(try await harness.call("test.add", id: 5, params: ["a": 1, "b": 1])["result"] == 2)
        harness.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":5}}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"never-sent"}}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"nonsense":true}}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest"}"#)
        // The same id may be reused after it finished; the new request is not affected.
        #expect(try await harness.call("test.add", id: 5, params: ["a": 2, "b": 2]) == ["jsonrpc": "2.0", "id": 5, "result": 4])
        try await harness.stop()
    }

    @Test func cancelsRunningRequestsOnExit() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"test.sleep","params":{"ms":60000}}"#)
        #expect(try await harness.call("test.add", id: 2, params: ["a": 0, "b": 0])["id"] == 2)
        harness.send(#"{"jsonrpc":"2.0","method":"exit"}"#)
        #expect(try await harness.finish() == 1)
        #expect(harness.unreadMessages == [["jsonrpc": "2.0", "id": 1, "error": cancelled]])
    }

    @Test func cancelsPendingRequestsAtEndOfInputWhenConfigured() async throws {
        let harness = try await ServerHarness(initialized: true) { $0.pendingRequestsAtEndOfInput = .cancel }
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"test.sleep","params":{"ms":60000}}"#)
        #expect(try await harness.call("test.add", id: 2, params: ["a": 0, "b": 0])["id"] == 2)
        harness.closeInput()
        #expect(try await harness.finish() == 0)
        #expect(harness.unreadMessages == [["jsonrpc": "2.0", "id": 1, "error": cancelled]])
    }
}
