import Crypto
import Dispatch
import Foundation
import Synchronization

/// Writes one entry of the dump (a list of statements or one table's rows) as a chunked stream.
///
/// Frames go through the content-defined chunker; each completed chunk goes to the shared `ChunkWriter`.
/// Rows also feed the table's order-independent checksum.
///
/// Two stages run side by side: the caller's thread frames rows into blocks of `blockSize` (a block always
/// holds whole frames); the writer's own serial queue adds each row of a block to the checksum, cuts the
/// blocks into chunks, names them and hands them to the `ChunkWriter` (which may block while its workers are
/// busy). So a dump read on one connection uses a second core for hashing and chunking. At most
/// `blocksInFlight` blocks wait between the stages.
/// - Important: the framing methods are not thread-safe; one writer per entry, called from one thread at a
///   time. The chunking state (`chunker`, `count`, `offset`, `shift`) is touched only on `pipeline`.
///
/// The entry's chunk list goes to the chunk writer's `ChunkIndex` as it grows, and the base entry's list
/// is read from there: an entry of any size holds no list in memory.
final class EntryWriter {
    let kind: Manifest.Entry.Kind
    let name: String
    let insertPrefix: String?
    let copyStatement: String?
    let part: Int?
    private let chunks: ChunkWriter
    private var chunker = ContentDefinedChunker()
    /// This entry's id in the index, and how many chunks it has so far.
    private let entryID: Int
    private var count = 0
    /// The rows' checksum, kept on `pipeline`.
    private var checksum = RowChecksum()
    private var pending: [UInt8] = []
    /// The same entry's chunks in the base backup (with where each starts in the base's stream): a new chunk
    /// is offered, as its delta bases, the base chunks that overlap the same bytes of the stream.
    private let base: ChunkList
    /// Where the next chunk starts in this stream, and how far this stream is ahead of the base's at the
    /// last chunk both share (inserted or deleted rows shift everything after them).
    private var offset = 0
    private var shift = 0
    /// The latest drift measured by the chunk writer where a delta's first bytes were found in its bases
    /// (changed rows that grew or shrank shift everything after them, even where no chunk is unchanged).
    private let measuredShift = ShiftMeasure()

    /// Whether chunk boundaries follow the content (a dump stream, which drifts as rows grow or move), or
    /// fall every `fixedChunkSize` bytes (a database image, whose pages keep their offsets).
    private let followsContent: Bool

    /// The chunking stage, its back-pressure, and the first error it met (thrown at the next block).
    private let pipeline = DispatchQueue(label: "dbm.backups.entry")
    private let inFlight = DispatchSemaphore(value: EntryWriter.blocksInFlight)
    private let failure = Mutex<BackupError?>(nil)
    static let blockSize = 256 * 1024
    static let blocksInFlight = 4
    /// A base chunk is offered as a delta base when it covers at least this much of the chunk's range (or
    /// all of the smaller of the two): one that touches the range by a few bytes, because a changed row
    /// moved a boundary, would cost zstd its whole size to index and add nothing to the match.
    static let leastOverlap = 4096

    init(kind: Manifest.Entry.Kind, name: String, insertPrefix: String? = nil, copyStatement: String? = nil, part: Int? = nil,
         chunks: ChunkWriter, base: ChunkList = [], fixedChunkSize: Int? = nil) {
        self.part = part
        if let fixedChunkSize { chunker = ContentDefinedChunker.fixed(size: fixedChunkSize) }
        followsContent = fixedChunkSize == nil
        self.kind = kind
        self.name = name
        self.insertPrefix = insertPrefix
        self.copyStatement = copyStatement
        self.chunks = chunks
        self.base = base
        entryID = chunks.index.newEntry()
        pending.reserveCapacity(Self.blockSize + 4096)
    }

    func statement(_ sql: String) throws(BackupError) { try append(Frame(.statement, sql)) }

    func compound(_ sql: String) throws(BackupError) { try append(Frame(.compound, sql)) }

    /// Appends one row tuple (`('a',1,NULL)`).
    func row(_ tuple: [UInt8]) throws(BackupError) {
        try tuple.withUnsafeBytes { bytes in Result { () throws(BackupError) in try row(bytes) } }.get()
    }

    /// Appends one row tuple from bytes the caller keeps.
    func row(_ tuple: UnsafeRawBufferPointer) throws(BackupError) {
        Frame.encode(.row, tuple, into: &pending)
        if pending.count >= Self.blockSize { try flush() }
    }

    /// Appends whole rows of PostgreSQL COPY text data (each ending with a newline), one `D` frame per row.
    func copyRows(_ block: UnsafeRawBufferPointer) throws(BackupError) {
        var start = 0
        var index = 0
        let count = block.count
        while index < count {
            if block[index] == 0x0A {
                let row = UnsafeRawBufferPointer(rebasing: block[start..<index])
                Frame.encode(.copyRow, row, into: &pending)
                start = index + 1
            }
            index += 1
        }
        guard start == count else { throw BackupError(.database, "COPY data for \(name) ends inside a row") }
        if pending.count >= Self.blockSize { try flush() }
    }

    /// Appends bytes as they are, without framing (a database image).
    func raw(_ bytes: UnsafeRawBufferPointer) throws(BackupError) {
        pending.append(contentsOf: bytes)
        if pending.count >= Self.blockSize { try flush() }
    }

    func append(_ frame: Frame) throws(BackupError) {
        frame.text.withUnsafeBytes { Frame.encode(frame.kind, $0, into: &pending) }
        if pending.count >= Self.blockSize { try flush() }
    }

    /// Hands the framed bytes to the chunking stage (waiting while `blocksInFlight` blocks are queued).
    private func flush() throws(BackupError) {
        if let error = failure.withLock({ $0 }) { throw error }
        guard !pending.isEmpty else { return }
        var block = [UInt8]()
        block.reserveCapacity(Self.blockSize + 4096)
        swap(&block, &pending)
        inFlight.wait()
        let this = UncheckedSendable(self)
        pipeline.async { [block] in
            defer { this.value.inFlight.signal() }
            this.value.chunk(block)
        }
    }

    /// On `pipeline`: adds the block's rows to the checksum (an image has none), cuts it into chunks and
    /// stores them; an error is kept for the caller.
    private func chunk(_ block: [UInt8]) {
        guard failure.withLock({ $0 == nil }) else { return }
        do {
            if kind == .tableData { try checksumRows(in: block) }
            for chunk in chunker.append(block) { try store(chunk) }
        } catch {
            fail(error)
        }
    }

    /// Keeps the chunking stage's first error, for the caller's next call.
    private func fail(_ error: BackupError) {
        failure.withLock { if $0 == nil { $0 = error } }
    }

    /// Stores a chunk, offering as its delta bases the base chunks covering the same stream range. Ranges
    /// are compared by offset, corrected at every chunk both streams share, at every base chunk that starts
    /// with the same bytes (its head), and wherever a delta's first bytes are found in its bases, so the two
    /// stay aligned when a chunk boundary moves or rows are inserted or deleted, and when every chunk changed.
    private func store(_ chunk: [UInt8]) throws(BackupError) {
        if let measured = measuredShift.take() { shift = measured }
        // An image's chunks keep their offsets: only a stream needs heads to line up again.
        let head = followsContent ? ChunkHead.of(chunk, key: chunks.key) : nil
        if let head, !base.isEmpty, let start = try base.start(ofHead: head) {
            shift = offset - Int(start)
            // Newer than any drift the workers measured at earlier chunks, which may still arrive.
            measuredShift.set(shift, at: offset)
        }
        let (candidates, firstStart) = try deltaCandidates(start: offset - shift, size: chunk.count)
        var aligned: (@Sendable (Int) -> Void)?
        if followsContent, let basesStart = firstStart {
            let (chunkStart, measured) = (offset, measuredShift)
            aligned = { position in measured.set(chunkStart - (basesStart + position), at: chunkStart) }
        }
        let (id, reused) = try chunks.store(chunk, deltaBases: candidates, aligned: aligned, head: head)
        if followsContent, reused, let start = try base.start(of: id) {
            shift = offset - Int(start)
        }
        try chunks.index.append(entry: entryID, position: count, digest: id, start: Int64(offset))
        offset += chunk.count
        count += 1
    }

    /// The base chunks covering at least `leastOverlap` bytes of `start..<start + size` of the base's
    /// stream (at most `deltaBasesCount`, at most `deltaBasesLimit` bytes together: the delta window holds them
    /// and the chunk), and where the first of them starts.
    private func deltaCandidates(start: Int, size: Int) throws(BackupError) -> ([ChunkReference], Int?) {
        guard !base.isEmpty else { return ([], nil) }
        // Every chunk that may qualify: the bases of a delta and those touching its range by a few bytes.
        let window = try base.window(from: Int64(start), before: Int64(start + size), limit: 2 * Self.deltaBasesCount + 2)
        let chosen = Self.deltaCandidates(start: start, size: size, window: window)
        var candidates = [ChunkReference]()
        for slot in chosen {
            guard let chunk = try chunks.index.reference(slot.digest) else {
                throw BackupError(.corrupt, "the base backup names chunk \(slot.digest.hex.prefix(12)), which its chain does not hold")
            }
            candidates.append(chunk)
        }
        return (candidates, chosen.first.map { Int($0.start) })
    }

    /// `deltaCandidates` among `window`: base chunks in stream order, from the last one starting at or
    /// before `start` (or the first).
    static func deltaCandidates(start: Int, size: Int, window: [ChunkList.Slot]) -> [ChunkList.Slot] {
        guard !window.isEmpty else { return [] }
        // The last base chunk starting at or before `start`.
        var position = window.lastIndex { $0.start <= Int64(start) } ?? 0
        var candidates = [ChunkList.Slot]()
        var total = 0
        while position < window.count, window[position].start < Int64(start + size), candidates.count < deltaBasesCount,
              total + window[position].size <= deltaBasesLimit {
            let slot = window[position]
            let overlap = min(Int(slot.start) + slot.size, start + size) - max(Int(slot.start), start)
            if overlap >= min(leastOverlap, slot.size, size) {
                candidates.append(slot)
                total += slot.size
            }
            position += 1
        }
        return candidates
    }

    /// The most bytes of base chunks one delta is compressed against: with the largest chunk (1 MiB), they fit
    /// in zstd's delta window (`Zstd.deltaWindowLog`).
    static let deltaBasesLimit = 3 << 20
    /// The most base chunks one delta names. Enough for a chunk of 1 MiB over a base cut into chunks of about
    /// 80 KiB (backups taken before chunks grew to about 320 KiB): with four, the first incremental after that
    /// change stored 29% of the full instead of 0.1%.
    static let deltaBasesCount = 16

    /// Ends the stream; the entry's chunks can be read once `ChunkWriter.complete` has run.
    func finish() throws(BackupError) -> (entry: Manifest.Entry, rows: RowChecksum) {
        try flush()
        let this = UncheckedSendable(self)
        let (count, bytes, checksum) = pipeline.sync { () -> (Int, Int, RowChecksum) in
            let writer = this.value
            if writer.failure.withLock({ $0 == nil }), let last = writer.chunker.finish() {
                do throws(BackupError) { try writer.store(last) } catch { writer.fail(error) }
            }
            return (writer.count, writer.offset, writer.checksum)
        }
        if let error = failure.withLock({ $0 }) { throw error }
        let list = ChunkList(index: chunks.index, entry: entryID, count: count, byteCount: Int64(bytes))
        let entry = Manifest.Entry(kind: kind, name: name, insertPrefix: insertPrefix, copyStatement: copyStatement,
                                   part: part, chunks: list)
        return (entry, checksum)
    }

    /// On `pipeline`: adds every row frame (`R`, `D`) of a block of whole frames to the checksum.
    private func checksumRows(in block: [UInt8]) throws(BackupError) {
        let scanned = block.withUnsafeBytes { bytes in
            Result { () throws(BackupError) -> Int in
                var position = 0
                while let (kind, text) = try FrameReader.frame(in: bytes, at: position) {
                    if kind == .row || kind == .copyRow { checksum.add(UnsafeRawBufferPointer(rebasing: bytes[text])) }
                    position = text.upperBound + 1
                }
                return position
            }
        }
        let end = try scanned.get()
        guard end == block.count else { throw BackupError(.storage, "a block of \(name) ends inside a record") }
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

    /// Adds the rows counted in `other` (the checksum of another part of the same table).
    mutating func merge(_ other: RowChecksum) {
        count += other.count
        sum = sum &+ other.sum
        xor ^= other.xor
    }

    var hex: String { Hex.padded(sum) + Hex.padded(xor) }
}

/// The stream drift measured at the furthest chunk so far by the chunk writer's workers (which finish in
/// any order), handed to the entry's writer.
final class ShiftMeasure: Sendable {
    private struct State { var shift: Int?; var at = -1 }
    private let state = Mutex(State())

    /// Records the drift measured at the chunk starting at `offset`, unless a later chunk's is known.
    func set(_ shift: Int, at offset: Int) {
        state.withLock { if offset > $0.at { $0 = State(shift: shift, at: offset) } }
    }

    /// The newest measured drift, once.
    func take() -> Int? { state.withLock { current in defer { current.shift = nil }; return current.shift } }
}
