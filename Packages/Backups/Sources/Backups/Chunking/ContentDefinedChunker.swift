/// Cuts a byte stream into chunks at content-defined boundaries (a gear rolling hash, as in FastCDC).
///
/// A boundary depends only on the bytes just before it, so inserting or deleting rows shifts the cut points
/// with the data and every untouched region still yields the same chunks: that is what lets incremental
/// backups dedup even when rows move. Chunks are between `minimumSize` and `maximumSize` bytes, about
/// `minimumSize + 2^maskBits` on average.
/// - Important: not thread-safe; one chunker per stream.
struct ContentDefinedChunker {
    let minimumSize: Int
    let maximumSize: Int
    private let mask: UInt64
    private var buffer: [UInt8] = []
    private var hash: UInt64 = 0
    /// Where the boundary scan resumes in `buffer`.
    private var scanned = 0

    /// The defaults give chunks of 64 KiB to 1 MiB, about 320 KiB on average. A backup holds a reference to
    /// every chunk of its chain in memory (about 3,300 per GiB of dump at this size), and a changed row costs
    /// little whatever the chunk's size, since a changed chunk is stored as a delta of the one it replaces.
    init(minimumSize: Int = 64 * 1024, averageBits: Int = 18, maximumSize: Int = 1024 * 1024) {
        self.minimumSize = minimumSize
        self.maximumSize = maximumSize
        // Use high bits of the hash: the gear hash mixes them best.
        self.mask = ((1 << UInt64(averageBits)) - 1) << (64 - UInt64(averageBits))
        buffer.reserveCapacity(maximumSize)
    }

    /// A chunker that cuts every `size` bytes, whatever the content: for database images, whose pages keep
    /// their offsets, so chunk `n` of one image lines up with chunk `n` of the next.
    static func fixed(size: Int) -> ContentDefinedChunker {
        ContentDefinedChunker(minimumSize: size, maximumSize: size)
    }

    /// Appends bytes and returns every chunk completed by them.
    mutating func append(_ bytes: some Collection<UInt8>) -> [[UInt8]] {
        buffer.append(contentsOf: bytes)
        var chunks = [[UInt8]]()
        while let cut = findBoundary() {
            chunks.append(Array(buffer[0..<cut]))
            buffer.removeSubrange(0..<cut)
            scanned = 0
            hash = 0
        }
        return chunks
    }

    /// The bytes left over at the end of the stream, as a last chunk (`nil` when there are none).
    mutating func finish() -> [UInt8]? {
        defer { buffer.removeAll(keepingCapacity: false); scanned = 0; hash = 0 }
        return buffer.isEmpty ? nil : buffer
    }

    private mutating func findBoundary() -> Int? {
        let count = buffer.count
        if count < minimumSize { return nil }
        var position = max(scanned, minimumSize)
        let limit = min(count, maximumSize)
        var h = hash
        let mask = self.mask
        // The table is read once here: a global's accessor in the per-byte loop costs a `swift_once` check.
        let found: Int? = Gear.table.withUnsafeBufferPointer { gear in
            buffer.withUnsafeBufferPointer { bytes in
                while position < limit {
                    h = (h << 1) &+ gear[Int(bytes[position])]
                    position += 1
                    if h & mask == 0 { return position }
                }
                return nil
            }
        }
        if let found { return found }
        if count >= maximumSize { return maximumSize }
        hash = h
        scanned = position
        return nil
    }
}

/// The gear table: 256 fixed pseudo-random 64-bit values (SplitMix64 from a fixed seed), so chunk
/// boundaries are the same on every run and every machine.
enum Gear {
    static let table: [UInt64] = {
        var state: UInt64 = 0x6462_6d2d_6364_6331  // "dbm-cdc1"
        return (0..<256).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }()
}
