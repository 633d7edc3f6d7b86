import Testing

@testable import JSONRPCServer

@Suite struct FrameDecoderTests {
    /// A readable summary of an event, for comparisons.
    enum Seen: Equatable, CustomStringConvertible {
        case message(String)
        case oversized(Int?)
        case invalidHeader(String)
        case truncated(String)

        init(_ event: FrameDecoder.Event) {
            switch event {
            case .message(let body): self = .message(String(decoding: body, as: UTF8.self))
            case .oversized(let size): self = .oversized(size)
            case .invalidHeader(let reason): self = .invalidHeader(reason)
            case .truncated(let reason): self = .truncated(reason)
            }
        }

        var description: String {
            switch self {
            case .message(let text): return "message(\(text))"
            case .oversized(let size): return "oversized(\(size.map(String.init) ?? "?"))"
            case .invalidHeader(let reason): return "invalidHeader(\(reason))"
            case .truncated(let reason): return "truncated(\(reason))"
            }
        }
    }

    /// Feeds `input` in the given chunks and collects every event, including `finish()`'s.
    private func decode(_ input: [UInt8], splits: [Int] = [], maxMessageSize: Int = 1 << 20) -> (events: [Seen], framing: Framing?) {
        var decoder = FrameDecoder(maxMessageSize: maxMessageSize)
        var events: [Seen] = []
        var position = 0
        for end in splits + [input.count] where end >= position {
            decoder.append(input[position..<end])
            while let event = decoder.nextEvent() { events.append(Seen(event)) }
            position = end
        }
        if let event = decoder.finish() { events.append(Seen(event)) }
        return (events, decoder.framing)
    }

    private func decode(_ text: String, maxMessageSize: Int = 1 << 20) -> [Seen] {
        decode(Array(text.utf8), maxMessageSize: maxMessageSize).events
    }

    private func framed(_ body: String, extraHeaders: String = "") -> String {
        "Content-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)"
    }

    @Test func detectsFramingFromTheFirstNonWhitespaceByte() {
        #expect(decode(Array(" \r\n{}\n".utf8)).framing == .newlineDelimited)
        #expect(decode(Array("[1]\n".utf8)).framing == .newlineDelimited)
        #expect(decode(Array("\nContent-Length: 2\r\n\r\n{}".utf8)).framing == .contentLength)
        #expect(decode(Array("content-length: 2\r\n\r\n{}".utf8)).framing == .contentLength)
        #expect(decode(Array("   ".utf8)).framing == nil)
    }

    @Test func splitsContentLengthMessages() {
        let input = framed(#"{"a":1}"#) + framed("[]", extraHeaders: "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n")
            + "content-length:  3 \r\n\r\n123"
        #expect(decode(input) == [.message(#"{"a":1}"#), .message("[]"), .message("123")])
    }

    @Test func splitsNewlineDelimitedMessages() {
        let input = "{\"a\":1}\n\n  [2] \r\n\t\n{\"b\":\"x\\ny\"}"
        #expect(decode(input) == [.message(#"{"a":1}"#), .message("[2]"), .message(#"{"b":"x\ny"}"#)])
    }

    @Test(arguments: [Framing.contentLength, .newlineDelimited])
    func producesTheSameMessagesWhateverTheReadBoundaries(framing: Framing) {
        let bodies = [#"{"jsonrpc":"2.0","id":1,"method":"é😀"}"#, "[1,2,3]", #"{"k":"v"}"#]
        var input: [UInt8] = []
        for body in bodies { framing.frame(Array(body.utf8), into: &input) }
        let expected = bodies.map { Seen.message($0) }
        for split in 0...input.count {
            #expect(decode(input, splits: [split]).events == expected, "split at \(split)")
        }
        let byteByByte = decode(input, splits: Array(0...input.count))
        #expect(byteByByte.events == expected)
        #expect(byteByByte.framing == framing)
    }

    @Test func skipsExactlyTheBodyOfAnOversizedContentLengthMessage() {
        let big = String(repeating: "x", count: 50)
        let input = Array((framed(big) + framed("{}")).utf8)
        for split in [0, 10, 30, input.count - 3] {
            #expect(decode(input, splits: [split], maxMessageSize: 10).events == [.oversized(50), .message("{}")], "split \(split)")
        }
    }

    @Test func skipsOversizedLinesToTheNextNewline() {
        let long = "[" + String(repeating: "1,", count: 40) + "1]"
        #expect(decode(long + "\n{}\n", maxMessageSize: 20) == [.oversized(long.utf8.count), .message("{}")])
        // A long line that arrives in pieces is reported once, before its newline even arrives.
        let input = Array((long + "\n[3]\n").utf8)
        #expect(decode(input, splits: [25, 50, 70], maxMessageSize: 20).events == [.oversized(nil), .message("[3]")])
        // A final line without newline is still checked, and reported once.
        #expect(decode("{}\n" + long, maxMessageSize: 20) == [.message("{}"), .oversized(nil)])
    }

    @Test(arguments: [
        ("Content-Type: x\r\n\r\n{}", "missing Content-Length header"),
        ("Content-Length: abc\r\n\r\n{}", "Content-Length must be a non-negative integer, got 'abc'"),
        ("Content-Length: -5\r\n\r\n{}", "Content-Length must be a non-negative integer, got '-5'"),
        ("Content-Length: \r\n\r\n{}", "Content-Length must be a non-negative integer, got ''"),
        ("Content-Length 5\r\n\r\n{}", "malformed header line 'Content-Length 5' (expected 'Name: value')"),
    ])
    func reportsBadHeadersAndResynchronizes(badMessage: String, reason: String) {
        let input = framed(#"{"first":1}"#) + badMessage + framed(#"{"next":2}"#)
        #expect(decode(input) == [.message(#"{"first":1}"#), .invalidHeader(reason), .message(#"{"next":2}"#)])
    }

    @Test func resynchronizesAcrossReadBoundaries() {
        let input = Array(("Content-Type: x\r\n\r\n{\"lost\":true}" + framed(#"{"next":2}"#)).utf8)
        for split in 0...input.count {
            #expect(
                decode(input, splits: [split]).events == [.invalidHeader("missing Content-Length header"), .message(#"{"next":2}"#)],
                "split at \(split)")
        }
    }

    @Test func rejectsEndlessHeaders() {
        let input = "Content-Length: 2\r\nX-Padding: " + String(repeating: "p", count: 9000) + "\r\n\r\n{}" + framed("[]")
        #expect(decode(input) == [.invalidHeader("header section longer than 8192 bytes"), .message("[]")])
    }

    @Test func treatsHugeLengthsAsOversized() {
        #expect(decode("Content-Length: 99999999999999999999999\r\n\r\n{}", maxMessageSize: 100).first == .oversized(Int.max))
    }

    @Test func reportsMessagesCutShortByTheEndOfInput() {
        #expect(decode("Content-Length: 10\r\n\r\n{\"a\"") == [.truncated("input ended after 4 of 10 body bytes")])
        #expect(decode(framed("{}") + "Content-Len") == [.message("{}"), .truncated("input ended inside a message header")])
        #expect(decode(framed("{}") + "\r\n") == [.message("{}")])
        #expect(decode("") == [])
    }
}
