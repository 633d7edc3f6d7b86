/// One record of a dump stream: a statement, a compound statement, or one row tuple.
///
/// On the wire (inside chunks, before compression) a frame is `<kind><decimal length>\n<bytes>\n`, so a
/// statement may contain any byte, including newlines and semicolons inside string literals.
public struct Frame: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
        /// One SQL statement without its terminating semicolon.
        case statement = 0x53  // S
        /// A statement with semicolons inside (a MariaDB routine or trigger body); SQL clients need a
        /// changed delimiter around it.
        case compound = 0x43  // C
        /// One row as a parenthesised list of SQL literals, `('a',1,NULL)`, for the entry's INSERT prefix.
        case row = 0x52  // R
        /// One row in PostgreSQL's COPY text format, without its newline, for the entry's `copyStatement`.
        case copyRow = 0x44  // D
    }

    public var kind: Kind
    public var text: [UInt8]

    public init(_ kind: Kind, _ text: [UInt8]) {
        self.kind = kind
        self.text = text
    }

    public init(_ kind: Kind, _ text: String) { self.init(kind, Array(text.utf8)) }

    /// The frame's bytes on the wire.
    var encoded: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(text.count + 12)
        text.withUnsafeBytes { Self.encode(kind, $0, into: &out) }
        return out
    }

    /// Appends a frame's wire bytes to `out` without building a `Frame`.
    static func encode(_ kind: Kind, _ text: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.append(kind.rawValue)
        var length = text.count
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(48 + length % 10)
                length /= 10
                count += 1
            } while length > 0
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
        out.append(0x0A)
        out.append(contentsOf: text)
        out.append(0x0A)
    }
}

/// Reassembles frames from the bytes of consecutive chunks.
/// - Important: not thread-safe; one reader per stream.
struct FrameReader {
    private var pending: [UInt8] = []
    private var offset = 0

    /// Adds the bytes of the next chunk and returns the frames they complete.
    mutating func feed(_ bytes: [UInt8]) throws(BackupError) -> [Frame] {
        var frames = [Frame]()
        do {
            try feed(bytes) { kind, text in frames.append(Frame(kind, Array(text))) }
        } catch {
            // Only the parsing throws here, and it throws BackupError.
            throw error as? BackupError ?? BackupError(.corrupt, "\(error)")
        }
        return frames
    }

    /// Adds the bytes of the next chunk and calls `body` with each frame they complete, without copying
    /// it: `text` is valid only during the call. The byte after `text` is always the frame's terminating
    /// newline (`text.baseAddress! + text.count`), which a COPY row needs anyway.
    mutating func feed(_ bytes: [UInt8], _ body: (Frame.Kind, UnsafeRawBufferPointer) throws -> Void) throws {
        if offset > 0 {
            pending.removeSubrange(0..<offset)
            offset = 0
        }
        pending.append(contentsOf: bytes)
        try pending.withUnsafeBytes { buffer in
            while let (kind, range) = try Self.frame(in: buffer, at: offset) {
                offset = range.upperBound + 1
                try body(kind, UnsafeRawBufferPointer(rebasing: buffer[range]))
            }
        }
    }

    /// Checks that the stream ended on a frame boundary (a truncated stream does not).
    func finish() throws(BackupError) {
        guard offset == pending.count else {
            throw BackupError(.corrupt, "the dump stream ends in the middle of a record")
        }
    }

    /// The complete frame starting at `offset` of `pending`: its kind and where its text lies; nil when the
    /// bytes end before the frame does.
    static func frame(in pending: UnsafeRawBufferPointer, at offset: Int) throws(BackupError) -> (Frame.Kind, Range<Int>)? {
        let count = pending.count
        guard offset < count else { return nil }
        guard let kind = Frame.Kind(rawValue: pending[offset]) else {
            throw BackupError(.corrupt, "unknown record kind in the dump stream")
        }
        var position = offset + 1
        var length = 0
        var digits = 0
        while position < count, pending[position] != 0x0A {
            let digit = pending[position]
            guard digit >= 48, digit <= 57, digits < 12 else { throw BackupError(.corrupt, "malformed record length") }
            length = length * 10 + Int(digit - 48)
            digits += 1
            position += 1
        }
        guard position < count else { return nil }
        guard digits > 0 else { throw BackupError(.corrupt, "malformed record length") }
        let start = position + 1
        let end = start + length
        guard end < count else { return nil }
        guard pending[end] == 0x0A else { throw BackupError(.corrupt, "record is not terminated") }
        return (kind, start..<end)
    }
}
