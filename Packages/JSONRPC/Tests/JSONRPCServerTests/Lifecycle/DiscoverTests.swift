import JSONRPC
import Testing

@testable import JSONRPCServer

/// `rpc.discover` over the wire.
@Suite struct DiscoverTests {
    @Test func answersTheOpenRPCDocumentOfEveryMethod() async throws {
        let harness = try await ServerHarness(initialized: true)
        let answer = try await harness.call("rpc.discover", id: 1)
        let document = try #require(answer["result"])
        #expect(document["openrpc"] == "1.4.0")
        #expect(document["info"] == ["title": "test-server", "version": "9.9.9"])
        let names = try #require(document["methods"]?.arrayValue?.compactMap { $0["name"]?.stringValue })
        #expect(names.prefix(6) == ["initialize", "initialized", "shutdown", "exit", "$/cancelRequest", "rpc.discover"])
        #expect(names.contains("test.add") && names.contains("test.record"))
        let add = try #require(document["methods"]?.arrayValue?.first { $0["name"] == "test.add" })
        #expect(add["params"] == [
            ["name": "a", "required": true, "schema": ["type": "integer"]],
            ["name": "b", "required": true, "schema": ["type": "integer"]],
        ])
        #expect(add["result"] == ["name": "result", "schema": ["type": "integer"]])
        #expect(document == harness.server.openRPCDocument)
        try await harness.stop()
    }
}
