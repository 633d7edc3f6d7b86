#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits an incoming byte stream into messages, detecting the framing from the first non-whitespace byte.
///
/// Feed it with ``append(_:)`` as bytes arrive (any split is fine), then drain ``nextEvent()`` until it
/// returns `nil`; at end of input call ``finish()``. Message bodies are slices of the internal buffer:
/// consume (parse) them before the next `append`, or they are copied.
///
/// Recovery rules: an oversized message is reported once and its bytes skipped exactly (Content-Length) or up
/// to the next newline (newline-delimited). An invalid header is reported and the decoder resynchronizes on
/// the next `Content-Length:`. Memory stays bounded by the maximum message size plus one read.
struct FrameDecoder {
    enum Event: Equatable {
        /// One complete message body (for newline-delimited framing, without surrounding whitespace).
        case message(ArraySlice<UInt8>)
        /// A message larger than the limit; `size` is its length when the header announced it.
        case oversized(size: Int?)
        /// A header section that cannot be used; the decoder is resynchronizing.
        case invalidHeader(String)
        /// Input ended in the middle of a message.
        case truncated(String)
    }

    private enum State: Equatable {
        case detecting
        case header
        case body(length: Int)
        case skipBody(remaining: Int)
        case resync
        case line
        case skipLine
        case finished
    }

    let maxMessageSize: Int
    private(set) var framing: Framing?
    private var buffer: [UInt8] = []
    private var start = 0
    /// Newline-delimited framing: where the search for the next newline resumes.
    private var scanFrom = 0
    private var state = State.detecting

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Appends received bytes.
    mutating func append(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next complete event, or `nil` when more input is needed.
    /// Whether bytes of a later message are already buffered (the client is pipelining).
    var hasBufferedInput: Bool { start < buffer.count }

    mutating func nextEvent() -> Event? {
        while true {
            switch state {
            case .detecting:
                skipWhitespace()
                guard start < buffer.count else { return nil }
                let detected = Framing.detect(firstByte: buffer[start])
                framing = detected
                state = detected == .contentLength ? .header : .line
                scanFrom = start

            case .header:
                skipWhitespace()
                guard start < buffer.count else { return nil }
                guard let event = parseHeader() else { return nil }
                if let event { return event }

            case .body(let length):
                guard buffer.count - start >= length else { return nil }
                let body = buffer[start..<start + length]
                start += length
                state = .header
                return .message(body)

            case .skipBody(let remaining):
                let available = min(remaining, buffer.count - start)
                start += available
                if remaining == available {
                    state = .header
                } else {
                    state = .skipBody(remaining: remaining - available)
                    return nil
                }

            case .resync:
                if let position = findContentLengthHeader() {
                    start = position
                    state = .header
                } else {
                    // Keep a tail that may be the beginning of a split "Content-Length:".
                    start = max(start, buffer.count - 14)
                    return nil
                }

            case .line:
                guard let newline = findNewline(from: scanFrom) else {
                    scanFrom = buffer.count
                    guard buffer.count - start > maxMessageSize else { return nil }
                    start = buffer.count
                    state = .skipLine
                    return .oversized(size: nil)
                }
                let lineStart = start
                start = newline + 1
                scanFrom = start
                if newline - lineStart > maxMessageSize { return .oversized(size: newline - lineStart) }
                let line = trimmed(lineStart, newline)
                if !line.isEmpty { return .message(line) }

            case .skipLine:
                guard let newline = findNewline(from: start) else {
                    start = buffer.count
                    return nil
                }
                start = newline + 1
                scanFrom = start
                state = .line

            case .finished:
                return nil
            }
        }
    }

    /// Call at end of input: returns a last newline-delimited message that had no final newline, or reports
    /// a message cut short. Afterwards the decoder produces nothing.
    mutating func finish() -> Event? {
        defer {
            state = .finished
            start = buffer.count
        }
        switch state {
        case .line:
            let rest = trimmed(start, buffer.count)
            if rest.isEmpty { return nil }
            return rest.count > maxMessageSize ? .oversized(size: rest.count) : .message(rest)
        case .header:
            skipWhitespace()
            return start < buffer.count ? .truncated("input ended inside a message header") : nil
        case .body(let length):
            return .truncated("input ended after \(buffer.count - start) of \(length) body bytes")
        case .skipBody(let remaining):
            return .truncated("input ended with \(remaining) bytes of an oversized message unread")
        case .detecting, .resync, .skipLine, .finished:
            return nil
        }
    }

    // MARK: Content-Length

    /// Parses the header section at `start`. Returns `nil` when incomplete, `.some(nil)` when the state
    /// advanced without an event, `.some(event)` otherwise.
    private mutating func parseHeader() -> Event?? {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = start
        while true {
            guard let newline = findNewline(from: lineStart) else {
                if buffer.count - start > ContentLengthHeader.maximumSize { return .some(headerTooLong()) }
                return nil
            }
            var line = buffer[lineStart..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            lineStart = newline + 1
            if lineStart - start > ContentLengthHeader.maximumSize { return .some(headerTooLong()) }
            if !line.isEmpty {
                lines.append(line)
                continue
            }
            start = lineStart
            switch ContentLengthHeader.parse(lines) {
            case .length(let length) where length > maxMessageSize:
                state = .skipBody(remaining: length)
                return .some(.oversized(size: length))
            case .length(let length):
                state = .body(length: length)
                return .some(nil)
            case .invalid(let reason):
                state = .resync
                return .some(.invalidHeader(reason))
            }
        }
    }

    private mutating func headerTooLong() -> Event {
        start += 1  // so resynchronization cannot find the same header again
        state = .resync
        return .invalidHeader("header section longer than \(ContentLengthHeader.maximumSize) bytes")
    }

    /// The position of the next "content-length:" (any case) at or after `start`.
    private func findContentLengthHeader() -> Int? {
        let needle = Array("content-length:".utf8)
        guard buffer.count - start >= needle.count else { return nil }
        for position in start...(buffer.count - needle.count) {
            var matches = true
            for offset in 0..<needle.count {
                var byte = buffer[position + offset]
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
                if byte != needle[offset] {
                    matches = false
                    break
                }
            }
            if matches { return position }
        }
        return nil
    }

    // MARK: Buffer helpers

    private func findNewline(from position: Int) -> Int? {
        guard position < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes -> Int? in
            let base = bytes.baseAddress! + position
            guard let found = memchr(base, Int32(UInt8(ascii: "\n")), bytes.count - position) else { return nil }
            return position + (UnsafeRawPointer(found) - UnsafeRawPointer(base))
        }
    }

    private mutating func skipWhitespace() {
        while start < buffer.count, Self.isWhitespace(buffer[start]) { start += 1 }
    }

    private func trimmed(_ from: Int, _ to: Int) -> ArraySlice<UInt8> {
        var lower = from
        var upper = to
        while lower < upper, Self.isWhitespace(buffer[lower]) { lower += 1 }
        while upper > lower, Self.isWhitespace(buffer[upper - 1]) { upper -= 1 }
        return buffer[lower..<upper]
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }

    /// Drops consumed bytes once they dominate the buffer, keeping appends amortized O(n).
    private mutating func compact() {
        guard start > 0 else { return }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else if start >= 65_536 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
        } else {
            return
        }
        scanFrom = max(0, scanFrom - start)
        start = 0
    }
}
