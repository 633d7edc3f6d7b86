import Foundation
import JSONRPC
import Testing

@testable import JSONRPCServer

/// Seeded random-input tests of the decoder (framing, JSON, message validation, params decoding) and
/// a replay of the regression corpus (`Tests/Fuzz/corpus` at the repository root) through a whole server.
/// A trap anywhere fails the run; a hang fails through the harness's timeouts. `DBM_FUZZ_SEED` changes the seed.
@Suite struct SeededFuzzTests {
    /// A small deterministic generator (SplitMix64), so a failing seed reproduces.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct SampleParams: Decodable {
        let query: String
        let params: JSONValue?
        let limit: Int?
        let flags: [String: Bool]?
    }

    static let seeds: [[UInt8]] = [
        #"{"jsonrpc":"2.0","id":1,"method":"echo","params":{"query":"SELECT ?","params":[1,"a",null,1.5],"limit":10}}"#,
        #"[{"jsonrpc":"2.0","id":2,"method":"echo"},{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2}}]"#,
        #"{"jsonrpc":"2.0","id":"x","method":"m","params":{"flags":{"a":true},"query":"\u00e9\ud83d\ude00"}}"#,
    ].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var data = input
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: data = Array(data.prefix(Int.random(in: 0..<data.count, using: &rng)))
        case 1: for _ in 0..<Int.random(in: 1...8, using: &rng) { data[Int.random(in: 0..<data.count, using: &rng)] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng)) }
        case 2: data.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: Int.random(in: 0..<data.count, using: &rng))
        case 3:
            let depth = [64, 1000, 20000].randomElement(using: &rng)!
            data = Array(repeating: UInt8(ascii: "["), count: depth) + data + Array(repeating: UInt8(ascii: "]"), count: depth)
        case 4: data = Array(("1" + String(repeating: "9", count: Int.random(in: 1...400, using: &rng)) + "e99999").utf8)
        case 5:
            let a = Int.random(in: 0..<data.count, using: &rng)
            data.removeSubrange(a..<min(data.count, a + Int.random(in: 1...20, using: &rng)))
        default: data = [0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]
        }
        return data
    }

    @Test func mutatedMessagesDecodeOrFailCleanly() {
        var rng = SplitMix(state: UInt64(ProcessInfo.processInfo.environment["DBM_FUZZ_SEED"] ?? "") ?? 20261121)
        var parsed = 0
        for _ in 0..<3000 {
            let body = Self.mutate(Self.seeds.randomElement(using: &rng)!, &rng)
            // Through the framing too, in random chunks, with a small limit so "oversized" is exercised.
            let framed = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
            var decoder = FrameDecoder(maxMessageSize: 64 * 1024)
            var position = 0
            var events = 0
            while position < framed.count {
                let end = min(framed.count, position + Int.random(in: 1...max(1, framed.count), using: &rng))
                decoder.append(framed[position..<end])
                position = end
                while let event = decoder.nextEvent() {
                    events += 1
                    #expect(events < 100, "the decoder keeps producing events")
                    if case .message(let bytes) = event, let value = try? JSONValue(parsing: bytes) {
                        parsed += 1
                        _ = value.serialized()
                        if let message = try? RPCMessage(validating: value), case .request(let request) = message {
                            _ = try? MethodRegistry.decodeParams(SampleParams.self, from: request.params)
                        }
                    }
                }
            }
            _ = decoder.finish()
        }
        #expect(parsed > 100)
    }

    @Test func regressionCorpusEndsInACleanClose() async throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../../Tests/Fuzz/corpus").standardized
        let files = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".bin") }.sorted()) ?? []
        #expect(!files.isEmpty, "no corpus at \(corpus.path)")
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: corpus.appendingPathComponent(file)))
            let harness = ServerHarness(requiresInitialize: false)
            harness.sendRaw(bytes)
            harness.closeInput()
            let code = try await harness.finish(timeout: .seconds(20))
            #expect(code >= 0, "\(file)")
            // Whatever it wrote was well-formed: every byte of output became a message.
            for message in harness.unreadMessages { #expect(message.objectValue != nil || message.arrayValue != nil, "\(file)") }
        }
    }
}
