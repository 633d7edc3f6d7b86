/// How messages are delimited on the byte stream.
public enum Framing: Sendable, Hashable {
    /// LSP base protocol: `Content-Length: N\r\n` (+ optional `Content-Type`), a blank line, then N bytes.
    case contentLength
    /// One JSON message per line, terminated by `\n` (a preceding `\r` is tolerated).
    case newlineDelimited

    /// The framing implied by the first non-whitespace byte a client sends: `C`/`c` starts a header,
    /// anything else (normally `{` or `[`) is newline-delimited JSON.
    public static func detect(firstByte: UInt8) -> Framing {
        switch firstByte {
        case UInt8(ascii: "C"), UInt8(ascii: "c"): return .contentLength
        default: return .newlineDelimited
        }
    }

    /// Appends `body` framed for the wire to `buffer`.
    public func frame(_ body: [UInt8], into buffer: inout [UInt8]) {
        switch self {
        case .contentLength:
            buffer.append(contentsOf: "Content-Length: \(body.count)\r\n\r\n".utf8)
            buffer.append(contentsOf: body)
        case .newlineDelimited:
            buffer.append(contentsOf: body)
            buffer.append(UInt8(ascii: "\n"))
        }
    }
}
