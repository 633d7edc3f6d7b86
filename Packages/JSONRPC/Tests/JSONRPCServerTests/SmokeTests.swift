import JSONRPC
import Testing

@testable import JSONRPCServer

@Suite struct SmokeTests {
    @Test func initializeThenAdd() async throws {
        let harness = try await ServerHarness(initialized: true)
        let answer = try await harness.call("test.add", params: ["a": 2, "b": 3])
        print("RAW:", harness.rawOutput, "ANSWER:", answer)
        #expect(answer == ["jsonrpc": "2.0", "id": 1, "result": 5])
        try await harness.stop()
    }
}
