import Crypto

/// Writes one entry of the dump (a list of statements or one table's rows) as a chunked stream.
///
/// Frames go through the content-defined chunker; each completed chunk goes to the shared `ChunkWriter`.
/// Rows also feed the table's order-independent checksum.
/// - Important: not thread-safe; one writer per entry, used from one thread at a time.
final class EntryWriter {
    let kind: Manifest.Entry.Kind
    let name: String
    let insertPrefix: String?
    let copyStatement: String?
    private let chunks: ChunkWriter
    private var chunker = ContentDefinedChunker()
    private var references: [ChunkReference] = []
    private var checksum = RowChecksum()
    private var pending: [UInt8] = []

    init(kind: Manifest.Entry.Kind, name: String, insertPrefix: String? = nil, copyStatement: String? = nil,
         chunks: ChunkWriter) {
        self.kind = kind
        self.name = name
        self.insertPrefix = insertPrefix
        self.copyStatement = copyStatement
        self.chunks = chunks
        pending.reserveCapacity(64 * 1024)
    }

    /// Rows written so far.
    var rowCount: Int64 { checksum.count }

    func statement(_ sql: String) throws(BackupError) { try append(Frame(.statement, sql)) }

    func compound(_ sql: String) throws(BackupError) { try append(Frame(.compound, sql)) }

    /// Appends one row tuple (`('a',1,NULL)`).
    func row(_ tuple: [UInt8]) throws(BackupError) {
        checksum.add(tuple)
        try append(Frame(.row, tuple))
    }

    /// Appends whole rows of PostgreSQL COPY text data (each ending with a newline), one `D` frame per row.
    func copyRows(_ block: UnsafeRawBufferPointer) throws(BackupError) {
        var start = 0
        var index = 0
        let count = block.count
        while index < count {
            if block[index] == 0x0A {
                let row = UnsafeRawBufferPointer(rebasing: block[start..<index])
                checksum.add(row)
                Frame.encode(.copyRow, row, into: &pending)
                start = index + 1
            }
            index += 1
        }
        guard start == count else { throw BackupError(.database, "COPY data for \(name) ends inside a row") }
        if pending.count >= 64 * 1024 { try flush() }
    }

    func append(_ frame: Frame) throws(BackupError) {
        frame.text.withUnsafeBytes { Frame.encode(frame.kind, $0, into: &pending) }
        if pending.count >= 64 * 1024 { try flush() }
    }

    private func flush() throws(BackupError) {
        for chunk in chunker.append(pending) { references.append(try chunks.store(chunk)) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Ends the stream; the entry's chunk list is completed once `ChunkWriter.complete` has run.
    func finish() throws(BackupError) -> (entry: Manifest.Entry, rows: Int64, checksum: String) {
        try flush()
        if let last = chunker.finish() { references.append(try chunks.store(last)) }
        let entry = Manifest.Entry(kind: kind, name: name, insertPrefix: insertPrefix, copyStatement: copyStatement,
                                   chunks: references)
        return (entry, checksum.count, checksum.hex)
    }
}

/// An order-independent checksum of a table's rows: the wrapping sum and the XOR of the first 8 bytes of
/// each row's SHA-256, with the row count. Rows compare equal whatever order the engine returns them in.
struct RowChecksum: Sendable {
    private(set) var count: Int64 = 0
    private var sum: UInt64 = 0
    private var xor: UInt64 = 0

    mutating func add(_ row: [UInt8]) {
        row.withUnsafeBytes { add($0) }
    }

    mutating func add(_ row: UnsafeRawBufferPointer) {
        let digest = SHA256.hash(data: row)
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        sum = sum &+ value
        xor ^= value
        count += 1
    }

    var hex: String {
        func h(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return h(sum) + h(xor)
    }
}
