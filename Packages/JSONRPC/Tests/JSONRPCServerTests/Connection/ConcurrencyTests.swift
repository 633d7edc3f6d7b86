import JSONRPC
import Testing

@testable import JSONRPCServer

/// Requests run concurrently and are answered as they finish.
@Suite struct ConcurrencyTests {
    @Test func answersAFastRequestWhileASlowOneRuns() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","id":"slow","method":"test.waitForGate"}"#)
        harness.send(#"{"jsonrpc":"2.0","id":"fast","method":"test.add","params":{"a":20,"b":22}}"#)
        // The slow request cannot finish before the gate opens, which happens only after this answer.
        #expect(try await harness.next() == ["jsonrpc": "2.0", "id": "fast", "result": 42])
        harness.send(#"{"jsonrpc":"2.0","id":"open","method":"test.openGate"}"#)
        let rest = try await harness.next(2)
        #expect(Set(rest.map(\.description)) == [
            #"{"jsonrpc":"2.0","id":"slow","result":"released \"slow\""}"#,
            #"{"jsonrpc":"2.0","id":"open","result":true}"#,
        ])
        try await harness.stop()
    }

    @Test func finishesPendingRequestsAtEndOfInputByDefault() async throws {
        let harness = try await ServerHarness(initialized: true)
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"test.sleep","params":{"ms":50}}"#)
        harness.closeInput()
        #expect(try await harness.finish() == 0)
        #expect(harness.unreadMessages == [["jsonrpc": "2.0", "id": 1, "result": "slept 50 ms for 1"]])
    }

    @Test func neverInterleavesConcurrentWrites() async throws {
        let harness = try await ServerHarness(initialized: true)
        let count = 300
        var input = ""
        for id in 0..<count {
            // Large results written from many tasks at once must stay whole.
            let value = String(repeating: "v", count: 3000 + id)
            input += #"{"jsonrpc":"2.0","id":\#(id),"method":"test.echo","params":{"value":"\#(value)"}}"# + "\n"
        }
        harness.sendRaw(input)
        var ids: Set<Int64> = []
        for _ in 0..<count {
            let answer = try await harness.next()
            let id = try #require(answer["id"]?.integerValue)
            #expect(answer["result"]?.stringValue?.count == 3000 + Int(id))
            ids.insert(id)
        }
        #expect(ids.count == count)
        #expect(!harness.rawOutput.contains("<unparsable output>"))
        try await harness.stop()
    }
}
