import JSONRPC
import Testing

@testable import JSONRPCServer

/// JSON-RPC 2.0 batches, including every edge case of section 6 of the specification.
@Suite struct BatchTests {
    /// The answers in a batch reply, by id (the order is unspecified).
    private func byID(_ reply: JSONValue) throws -> [String: JSONValue] {
        let elements = try #require(reply.arrayValue, "expected an array, got \(reply)")
        var answers: [String: JSONValue] = [:]
        for element in elements { answers[element["id"]?.description ?? "?"] = element }
        #expect(answers.count == elements.count, "duplicate ids in \(reply)")
        return answers
    }

    @Test func answersAMixedBatchAsOneArray() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send("""
            [{"jsonrpc":"2.0","id":1,"method":"test.add","params":{"a":1,"b":2}},
             {"jsonrpc":"2.0","method":"test.record","params":{"text":"in batch"}},
             {"jsonrpc":"2.0","id":"two","method":"test.sleep","params":{"ms":20}},
             {"foo":"boo"},
             {"jsonrpc":"2.0","id":3,"method":"nope"},
             {"jsonrpc":"2.0","id":4,"method":"test.add","params":{"a":"x"}}]
            """.replacingOccurrences(of: "\n", with: ""))
        let answers = try byID(try await harness.next())
        #expect(answers.count == 5)
        #expect(answers["1"]?["result"] == 3)
        #expect(answers["\"two\""]?["result"] == "slept 20 ms for \"two\"")
        #expect(answers["null"]?["error"]?["code"] == .integer(-32600))
        #expect(answers["3"]?["error"]?["code"] == .integer(-32601))
        #expect(answers["4"]?["error"]?["code"] == .integer(-32602))
        try await harness.stop()
        #expect(harness.state.recorded.values == ["in batch"])
    }

    @Test func answersAnEmptyBatchWithOneErrorObject() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send("[]")
        #expect(try await harness.next() == [
            "jsonrpc": "2.0", "id": .null, "error": ["code": -32600, "message": "Invalid request: empty batch"],
        ])
        try await harness.stop()
    }

    @Test func answersEachInvalidElementSeparately() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send("[1,2,3]")
        let reply = try #require(try await harness.next().arrayValue)
        #expect(reply.count == 3)
        #expect(reply.allSatisfy { $0["id"] == .null && $0["error"]?["code"] == .integer(-32600) })
        harness.send(#"[[{"jsonrpc":"2.0","id":1,"method":"test.add","params":{"a":1,"b":1}}]]"#)
        let nested = try #require(try await harness.next().arrayValue)
        #expect(nested.count == 1 && nested[0]["error"]?["code"] == .integer(-32600))
        try await harness.stop()
    }

    @Test func sendsNothingForABatchOfNotifications() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"[{"jsonrpc":"2.0","method":"test.record","params":{"text":"a"}},{"jsonrpc":"2.0","method":"test.record","params":{"text":"b"}}]"#)
        // The next message is the answer to this request: the batch got no reply.
        #expect(try await harness.call("test.add", id: 7, params: ["a": 0, "b": 0])["id"] == 7)
        try await harness.stop()
        #expect(Set(harness.state.recorded.values) == ["a", "b"])
    }

    @Test func answersABatchOfImmediateErrorsAtOnce() async throws {
        let harness = ServerHarness()
        harness.send(#"[{"jsonrpc":"2.0","id":1,"method":"test.add"},{"jsonrpc":"2.0","id":2,"method":"initialize"}]"#)
        let answers = try byID(try await harness.next())
        #expect(answers["1"]?["error"]?["code"] == .integer(-32002))
        #expect(answers["2"]?["result"]?["serverInfo"]?["name"] == "test-server")
        try await harness.stop()
    }
}
