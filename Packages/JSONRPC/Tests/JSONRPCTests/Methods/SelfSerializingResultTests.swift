import Testing

@testable import JSONRPC

@Suite struct SelfSerializingResultTests {
    /// A result that writes its own JSON text: `[{"n":0},{"n":1},...]`.
    struct Numbers: SelfSerializingResult, Codable {
        let count: Int
        func serializeJSON(into buffer: inout [UInt8]) {
            buffer.append(UInt8(ascii: "["))
            for n in 0..<count {
                if n > 0 { buffer.append(UInt8(ascii: ",")) }
                JSONSerializer.appendLiteral(#"{"n":"#, to: &buffer)
                JSONSerializer.appendInteger(Int64(n), to: &buffer)
                buffer.append(UInt8(ascii: "}"))
            }
            buffer.append(UInt8(ascii: "]"))
        }
    }

    enum ListNumbers: RPCMethod {
        struct Params: Decodable, Sendable { let count: Int }
        typealias Result = Numbers
        static let name = "numbers"
        static let summary = "Numbers as JSON text."
    }

    @Test func theRegistryKeepsSelfSerializedTextAsBytes() async throws {
        var registry = MethodRegistry()
        registry.register(ListNumbers.self) { params, _ in Numbers(count: params.count) }
        let method = try #require(registry.method(named: "numbers"))
        let output = try await method.invokeOutput(params: ["count": 3], context: RequestContext(id: 1, method: "numbers"))
        #expect(output == .serialized(Array(#"[{"n":0},{"n":1},{"n":2}]"#.utf8)))
        // The value view parses the same text.
        let value = try await method.invoke(params: ["count": 2], context: RequestContext(id: 1, method: "numbers"))
        #expect(value == [["n": 0], ["n": 1]])
    }

    @Test func aResponseWritesSerializedResultVerbatim() throws {
        let response = RPCResponse(id: 7, serializedResult: Array(#"[1,2]"#.utf8))
        var buffer: [UInt8] = []
        response.serialize(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"{"jsonrpc":"2.0","id":7,"result":[1,2]}"#)
        #expect(response.result == [1, 2])
        #expect(response.error == nil)
    }
}
