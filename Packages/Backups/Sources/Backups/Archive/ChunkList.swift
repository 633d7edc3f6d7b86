import Foundation

/// The chunks of one manifest entry, in order: held in a `ChunkIndex` (manifests read from disk and
/// backups being written, so an entry of any size costs no memory), or in an array (manifests built in
/// memory, and formats 1 to 4, which are read whole).
///
/// Reading a chunk of an indexed list is a lookup in the index, which can fail (`BackupError.storage`), so
/// the list is read through throwing methods rather than as a `Collection`.
public struct ChunkList: Sendable, Hashable, ExpressibleByArrayLiteral {
    private enum Storage: Sendable {
        case array([ChunkReference], starts: [Int64])
        case indexed(ChunkIndex, entry: Int)
    }
    private let storage: Storage
    /// How many chunks the entry has.
    public let count: Int
    /// The entry's plaintext bytes: the sum of its chunks' sizes.
    public let byteCount: Int64

    public var isEmpty: Bool { count == 0 }

    public init(_ chunks: [ChunkReference]) {
        var starts = [Int64]()
        starts.reserveCapacity(chunks.count)
        var total: Int64 = 0
        for chunk in chunks {
            starts.append(total)
            total += Int64(chunk.size)
        }
        storage = .array(chunks, starts: starts)
        count = chunks.count
        byteCount = total
    }

    public init(arrayLiteral chunks: ChunkReference...) { self.init(chunks) }

    /// The list of `entry` in `index`, whose `count` chunks hold `byteCount` bytes.
    init(index: ChunkIndex, entry: Int, count: Int, byteCount: Int64) {
        storage = .indexed(index, entry: entry)
        self.count = count
        self.byteCount = byteCount
    }

    /// The index holding the list, nil for an array.
    var index: ChunkIndex? {
        if case .indexed(let index, _) = storage { return index }
        return nil
    }

    /// The chunk at `position` (from 0, below `count`).
    public func reference(at position: Int) throws(BackupError) -> ChunkReference {
        switch storage {
        case .array(let chunks, _):
            return chunks[position]
        case .indexed(let index, let entry):
            let digest = try index.entryChunk(entry: entry, position: position).digest
            guard let chunk = try index.reference(digest) else {
                throw BackupError(.corrupt, "an entry names chunk \(digest.hex.prefix(12)), which the chain does not hold")
            }
            return chunk
        }
    }

    /// Where the chunk at `position` starts in the entry's stream.
    public func start(at position: Int) throws(BackupError) -> Int64 {
        switch storage {
        case .array(_, let starts): return starts[position]
        case .indexed(let index, let entry): return try index.entryChunk(entry: entry, position: position).start
        }
    }

    /// Calls `body` with every chunk in order.
    public func forEach(_ body: (ChunkReference) throws -> Void) throws {
        for position in 0..<count { try body(try reference(at: position)) }
    }

    /// Every chunk, in an array (for short lists: an indexed list of any size is read a chunk at a time).
    public func array() throws(BackupError) -> [ChunkReference] {
        var chunks = [ChunkReference]()
        chunks.reserveCapacity(count)
        for position in 0..<count { chunks.append(try reference(at: position)) }
        return chunks
    }

    /// Where a chunk is in a list: its id, start and size.
    struct Slot: Sendable, Hashable {
        var digest: ChunkDigest
        var start: Int64
        var size: Int
    }

    /// The chunks from the last one starting at or before `start` on, while they start before `end`: at
    /// most `limit`, with their starts and sizes.
    func window(from start: Int64, before end: Int64, limit: Int) throws(BackupError) -> [Slot] {
        switch storage {
        case .indexed(let index, let entry):
            return try index.window(entry: entry, from: start, before: end, limit: limit)
        case .array(let chunks, let starts):
            guard !chunks.isEmpty else { return [] }
            var first = (starts.lastIndex { $0 <= start }) ?? 0
            var window = [Slot]()
            while first < chunks.count, starts[first] < end, window.count < limit {
                window.append(Slot(digest: chunks[first].digest, start: starts[first], size: chunks[first].size))
                first += 1
            }
            return window
        }
    }

    /// Where the first chunk with this digest starts, nil when the list has none.
    func start(of digest: ChunkDigest) throws(BackupError) -> Int64? {
        switch storage {
        case .indexed(let index, let entry):
            return try index.start(of: digest, inEntry: entry)
        case .array(let chunks, let starts):
            return chunks.firstIndex { $0.digest == digest }.map { starts[$0] }
        }
    }

    /// Where the one chunk of this list whose head is `head` starts (nil when none or several have it).
    func start(ofHead head: UInt64) throws(BackupError) -> Int64? {
        switch storage {
        case .indexed(let index, let entry):
            return try index.start(ofHead: head, inEntry: entry)
        case .array(let chunks, let starts):
            let matches = chunks.indices.filter { chunks[$0].head == head }
            return matches.count == 1 ? starts[matches[0]] : nil
        }
    }

    public static func == (lhs: ChunkList, rhs: ChunkList) -> Bool {
        guard lhs.count == rhs.count, lhs.byteCount == rhs.byteCount else { return false }
        if case .indexed(let left, let leftEntry) = lhs.storage, case .indexed(let right, let rightEntry) = rhs.storage,
           left === right, leftEntry == rightEntry {
            return true
        }
        guard let left = try? lhs.array(), let right = try? rhs.array() else { return false }
        return left == right
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(byteCount)
    }
}

extension ChunkList: Decodable {
    /// Formats 1 to 4: the entry's whole references, nested.
    public init(from decoder: any Decoder) throws {
        self.init(try [ChunkReference](from: decoder))
    }
}
