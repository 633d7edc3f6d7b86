import JSONRPC
import Testing

@testable import JSONRPCServer

/// Framing, limits and malformed input, as a client sees them on the wire.
@Suite struct WireFormatTests {
    @Test func answersNewlineDelimitedInputLineByLine() async throws {
        let harness = ServerHarness(requiresInitialize: false)
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"test.add","params":{"a":1,"b":2}}"#)
        #expect(try await harness.next() == ["jsonrpc": "2.0", "id": 1, "result": 3])
        #expect(harness.rawOutput == "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":3}\n")
        try await harness.stop()
    }

    @Test func answersContentLengthInputWithHeaders() async throws {
        let harness = ServerHarness(requiresInitialize: false)
        harness.sendFramed(#"{"jsonrpc":"2.0","id":1,"method":"test.echo","params":{"value":"é"}}"#)
        #expect(try await harness.next() == ["jsonrpc": "2.0", "id": 1, "result": "é"])
        let body = #"{"jsonrpc":"2.0","id":1,"result":"é"}"#
        #expect(harness.rawOutput == "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        try await harness.stop()
    }

    @Test(arguments: [Framing.contentLength, .newlineDelimited])
    func rejectsOversizedMessagesAndStaysInSync(framing: Framing) async throws {
        let harness = ServerHarness(requiresInitialize: false) { $0.maxMessageSize = 200 }
        let big = #"{"jsonrpc":"2.0","id":1,"method":"test.echo","params":{"value":""# + String(repeating: "x", count: 300) + #""}}"#
        let small = #"{"jsonrpc":"2.0","id":2,"method":"test.add","params":{"a":2,"b":2}}"#
        var input: [UInt8] = []
        framing.frame(Array(big.utf8), into: &input)
        framing.frame(Array(small.utf8), into: &input)
        harness.sendRaw(input)
        let rejection = try await harness.next()
        #expect(rejection["id"] == .null)
        #expect(rejection["error"]?["code"] == .integer(-32600))
        #expect(rejection["error"]?["message"]?.stringValue?.contains("exceeds the maximum of 200 bytes") == true)
        #expect(try await harness.next() == ["jsonrpc": "2.0", "id": 2, "result": 4])
        try await harness.stop()
    }

    @Test(arguments: [
        (Array(#"{"jsonrpc":"2.0","id":1,"method":"test.add""#.utf8), "Unexpected end of input"),
        (Array(#"{"jsonrpc":"2.0","id":1,"method":"#.utf8) + [0x22, 0xC3, 0x28, 0x22, 0x7D], "Invalid UTF-8 in string at byte offset 34"),
        (Array("not json".utf8), "Unexpected 'o' at byte offset 1"),
    ] as [([UInt8], String)])
    func answersParseErrorsWithANullId(body: [UInt8], detail: String) async throws {
        let harness = ServerHarness(requiresInitialize: false)
        var input: [UInt8] = []
        Framing.contentLength.frame(body, into: &input)
        harness.sendRaw(input)
        let answer = try await harness.next()
        #expect(answer["id"] == .null)
        #expect(answer["error"]?["code"] == .integer(-32700))
        #expect(answer["error"]?["message"]?.stringValue?.contains(detail) == true)
        harness.sendFramed(#"{"jsonrpc":"2.0","id":2,"method":"test.add","params":{"a":1,"b":1}}"#)
        #expect(try await harness.next()["result"] == 2)
        try await harness.stop()
    }

    @Test func rejectsHostileNestingWithAParseError() async throws {
        let harness = ServerHarness(requiresInitialize: false)
        harness.send(String(repeating: "[", count: 200_000))
        let answer = try await harness.next()
        #expect(answer["error"]?["code"] == .integer(-32700))
        #expect(answer["error"]?["message"]?.stringValue?.contains("nested more than 512 levels") == true)
        try await harness.stop()
    }

    @Test func reportsBadHeadersThenKeepsServing() async throws {
        let harness = ServerHarness(requiresInitialize: false)
        harness.sendRaw("Content-Length: -3\r\n\r\n{}")
        harness.sendFramed(#"{"jsonrpc":"2.0","id":"after","method":"test.add","params":{"a":5,"b":5}}"#)
        let error = try await harness.next()
        #expect(error["id"] == .null)
        #expect(error["error"]?["code"] == .integer(-32700))
        #expect(error["error"]?["message"]?.stringValue?.contains("Content-Length must be a non-negative integer") == true)
        #expect(try await harness.next() == ["jsonrpc": "2.0", "id": "after", "result": 10])
        #expect(harness.logs.contains(level: .error, "Content-Length must be a non-negative integer"))
        try await harness.stop()
    }

    @Test func endsCleanlyOnATruncatedBody() async throws {
        let harness = ServerHarness(requiresInitialize: false)
        harness.sendRaw("Content-Length: 100\r\n\r\n{\"jsonrpc\"")
        harness.closeInput()
        #expect(try await harness.finish() == 0)
        #expect(harness.logs.contains(level: .error, "input ended after 10 of 100 body bytes"))
        #expect(harness.rawOutput.isEmpty)
    }

    @Test func answersAFinalLineWithoutNewlineAtEndOfInput() async throws {
        let harness = ServerHarness(requiresInitialize: false)
        harness.sendRaw(#"{"jsonrpc":"2.0","id":1,"method":"test.add","params":{"a":1,"b":2}}"#)
        harness.closeInput()
        #expect(try await harness.next()["result"] == 3)
        #expect(try await harness.finish() == 0)
    }

    @Test func answersPipelinedRequestsFromOneWrite() async throws {
        let harness = ServerHarness(requiresInitialize: false)
        var input = ""
        for id in 0..<2000 {
            input += #"{"jsonrpc":"2.0","id":\#(id),"method":"test.add","params":{"a":\#(id),"b":1}}"# + "\n"
        }
        harness.sendRaw(input)
        var seen: [Int64: JSONValue] = [:]
        for _ in 0..<2000 {
            let answer = try await harness.next()
            seen[try #require(answer["id"]?.integerValue)] = answer["result"]
        }
        #expect(seen.count == 2000)
        #expect(seen.allSatisfy { id, result in result == .integer(id + 1) })
        #expect(!harness.rawOutput.contains("<unparsable output>"))
        try await harness.stop()
    }
}
