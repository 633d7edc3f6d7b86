import Crypto
import Dispatch
import Foundation
import Synchronization

/// Writes a backup's chunks: names each by its content, skips the ones the chain already holds, and
/// compresses, seals and writes the others on every core at once.
///
/// `store` blocks only while as many chunks as there are cores are in flight, which bounds memory; call it
/// from a connection's queue or another thread, not from the cooperative pool.
/// - Important: safe to use from several threads; each `EntryWriter` is used by one.
final class ChunkWriter: Sendable {
    let backupID: String
    let directory: URL
    let codec: CompressionCodec
    let level: Int
    let key: BackupKey?
    /// The chunks of the base backup (which may be reused) and those this backup has written.
    let index: ChunkIndex
    /// Reads base chunks for delta compression (incremental and differential backups only).
    private let baseReader: ChunkReader?
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "dbm.backups.chunks", attributes: .concurrent)
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    /// The pack files this backup's chunks are appended to.
    private let packs: PackWriter

    private struct State {
        /// Chunks being compressed and written (at most one per worker and one waiting per entry).
        var inFlight: Set<ChunkDigest> = []
        var storedBytes: Int64 = 0
        var logicalBytes: Int64 = 0
        var firstError: BackupError?
    }

    /// The plaintext of the base chunks read last: neighbouring chunks share delta bases (at most
    /// `baseCacheBytes` of them are kept, the most recent first).
    private let baseCache = Mutex<[(id: ChunkDigest, bytes: [UInt8])]>([])
    /// Four of the largest chunks: the bases of one delta, or of the chunks in flight on either side of it.
    private static let baseCacheBytes = 4 << 20

    /// Delta chains stay short so that reading a chunk never takes more than this many base reads.
    static let maximumDeltaDepth = 8

    init(backupID: String, directory: URL, codec: CompressionCodec, level: Int, key: BackupKey?,
         index: ChunkIndex, baseReader: ChunkReader? = nil,
         parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.backupID = backupID
        self.directory = directory
        self.codec = codec
        self.level = level
        self.key = key
        self.index = index
        self.baseReader = baseReader
        self.slots = DispatchSemaphore(value: max(1, parallelism))
        self.packs = PackWriter(backupDirectory: directory)
    }

    /// Closes the pack files once every chunk is written (after `complete(_:)`).
    func closePacks() throws(BackupError) { try packs.close() }

    /// Bytes written to this backup's own chunk files so far.
    var storedBytes: Int64 { state.withLock { $0.storedBytes } }
    /// Bytes of plaintext seen so far.
    var logicalBytes: Int64 { state.withLock { $0.logicalBytes } }

    /// Stores one chunk and returns its id, and whether it is one of the base backups' chunks (reused, not
    /// written by this backup). The chunk may still be being written when this returns; `complete()` waits
    /// for all of them, and each is in the index once written.
    ///
    /// - Parameter deltaBases: chunks of the base backup that probably hold much the same data (those
    ///   covering the same part of the same entry); when compressing against them is much smaller, the chunk
    ///   is stored as a delta of them. This is what keeps an incremental small when changed rows are scattered.
    /// - Parameter aligned: called (from a worker thread) with the position in the bases' concatenated
    ///   plaintext where this chunk's first bytes were found, so the caller can follow how far its stream has
    ///   drifted from the base's.
    /// - Parameter head: the chunk's `ChunkHead`, recorded with it.
    func store(_ plaintext: [UInt8], deltaBases: [ChunkReference] = [], aligned: (@Sendable (Int) -> Void)? = nil,
               head: UInt64? = nil) throws(BackupError) -> (id: ChunkDigest, reused: Bool) {
        if let error = state.withLock({ $0.firstError }) { throw error }
        let id = key?.chunkDigest(for: plaintext) ?? ChunkDigest.sha256(plaintext)
        // A chunk leaves `inFlight` only once it is in the index, so under the lock it is always in one of them.
        let (isNew, reused) = try state.withLock { (s: inout State) throws(BackupError) -> (Bool, Bool) in
            s.logicalBytes += Int64(plaintext.count)
            if s.inFlight.contains(id) { return (false, false) }
            if let location = try index.location(of: id) { return (false, location != backupID) }
            s.inFlight.insert(id)
            return (true, false)
        }
        guard isNew else { return (id, reused) }
        slots.wait()
        group.enter()
        queue.async { [self] in
            defer { slots.signal(); group.leave() }
            do {
                let reference = try write(plaintext, id: id, deltaBases: deltaBases, aligned: aligned, head: head)
                try index.add(reference)
                state.withLock { s in
                    s.inFlight.remove(id)
                    s.storedBytes += Int64(reference.storedSize)
                }
            } catch {
                let failure = BackupError.wrap(error, "writing a chunk")
                state.withLock { s in if s.firstError == nil { s.firstError = failure } }
            }
        }
        return (id, false)
    }

    /// Waits until no chunk is being written (after a failure, before the partial directory is removed).
    func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { continuation.resume() }
        }
    }

    /// Waits for every chunk in flight; throws the first error writing one met.
    func complete() async throws(BackupError) {
        await drain()
        if let error = state.withLock({ $0.firstError }) { throw error }
    }

    private func write(_ plaintext: [UInt8], id: ChunkDigest, deltaBases: [ChunkReference],
                       aligned: (@Sendable (Int) -> Void)?, head: UInt64?) throws(BackupError) -> ChunkReference {
        var (stored, bases) = try compress(plaintext, deltaBases: deltaBases, aligned: aligned)
        if let key { stored = try key.seal(stored, chunkID: id.hex) }
        let hash = ChunkDigest.sha256(stored)
        let (pack, offset) = try packs.append(stored)
        return ChunkReference(digest: id, size: plaintext.count, storedSize: stored.count, storedDigest: hash,
                              codec: bases.isEmpty ? codec : .zstd, location: backupID, deltaBases: bases,
                              pack: pack, offset: offset, head: head)
    }

    /// The chunk compressed on its own, or as a zstd delta of `deltaBases` when that is under a quarter of
    /// the plaintext (a changed region, not new data) and smaller than compressing it alone (a delta under a
    /// sixteenth is taken without trying). Bases that cannot be read (or chains already
    /// `maximumDeltaDepth` long) just mean no delta.
    private func compress(_ plaintext: [UInt8], deltaBases: [ChunkReference],
                          aligned: (@Sendable (Int) -> Void)?) throws(BackupError) -> ([UInt8], [ChunkReference]) {
        if !deltaBases.isEmpty, let baseReader, deltaBases.allSatisfy({ $0.deltaDepth < Self.maximumDeltaDepth }),
           let prefix = try? deltaBases.flatMap({ base throws(BackupError) in try readBase(base, with: baseReader) }) {
            if let aligned, let position = Self.findUnique(plaintext.prefix(64), in: prefix) { aligned(position) }
            let delta = try Zstd.compress(plaintext, level: Zstd.deltaLevel, prefix: prefix)
            if delta.count < plaintext.count / 4 {
                // A sixteenth of the plaintext is a patch, whatever the codec would make of it alone.
                if codec == .none || delta.count < plaintext.count / 16 { return (delta, deltaBases) }
                let alone = try codec.compress(plaintext, level: level)
                return delta.count < alone.count ? (delta, deltaBases) : (alone, [])
            }
        }
        return (try codec.compress(plaintext, level: level), [])
    }
}

extension ChunkWriter {
    /// A base chunk's verified plaintext, from the cache when a neighbouring chunk read it already.
    private func readBase(_ base: ChunkReference, with reader: ChunkReader) throws(BackupError) -> [UInt8] {
        let id = base.digest
        if let hit = baseCache.withLock({ cache in cache.last { $0.id == id }?.bytes }) { return hit }
        let bytes = try reader.read(base)
        baseCache.withLock { cache in
            cache.append((id, bytes))
            var total = cache.reduce(0) { $0 + $1.bytes.count }
            while total > Self.baseCacheBytes, cache.count > 1 { total -= cache.removeFirst().bytes.count }
        }
        return bytes
    }

    /// The position of `needle` in `haystack` when it occurs exactly once: a chunk that starts inside
    /// repeated content (a run of zeros) says nothing reliable about where it lines up.
    static func findUnique(_ needle: ArraySlice<UInt8>, in haystack: [UInt8]) -> Int? {
        guard let first = find(needle, in: haystack, from: 0) else { return nil }
        return find(needle, in: haystack, from: first + 1) == nil ? first : nil
    }

    /// The first position of `needle` in `haystack` at or after `start`.
    static func find(_ needle: ArraySlice<UInt8>, in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        return haystack.withUnsafeBytes { hay -> Int? in
            needle.withUnsafeBytes { pattern -> Int? in
                let base = hay.baseAddress!
                let first = Int32(pattern[0])
                var from = start
                let last = hay.count - pattern.count
                while from <= last {
                    guard let hit = memchr(base + from, first, last - from + 1) else { return nil }
                    let position = UnsafeRawPointer(hit) - base
                    if memcmp(hit, pattern.baseAddress!, pattern.count) == 0 { return position }
                    from = position + 1
                }
                return nil
            }
        }
    }
}

/// Files readable by their owner only (mode 0600).
enum SecureFile {
    /// Writes `data` to a new file at `url`. A write that fails removes the file and throws
    /// `BackupError.storage` with the reason; a full file system and the file-size limit are named as such,
    /// so the caller can tell the user what to free or raise.
    static func write(_ data: Data, to url: URL) throws(BackupError) {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw storageError(errno, "cannot create \(url.lastPathComponent)") }
        var failure: Int32 = 0
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        // Some file systems report a full disk only when the file is closed.
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            unlink(url.path)
            throw storageError(failure, "cannot write \(url.lastPathComponent)")
        }
    }

    /// Writes all of `bytes` at `offset` of an open file (`pwrite`, so several threads may write their own
    /// ranges); a failure is `storageError(errno, context)`.
    static func write(_ bytes: [UInt8], to descriptor: Int32, at offset: Int64, _ context: String) throws(BackupError) {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + done, $0.count - done, off_t(offset) + off_t(done)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw storageError(errno, context)
            }
            done += written
        }
    }

    /// A storage error for `code` (an errno value), saying plainly when space or the size limit ran out.
    static func storageError(_ code: Int32, _ context: String) -> BackupError {
        let reason = String(cString: strerror(code))
        switch code {
        case ENOSPC, EDQUOT:
            return BackupError(.storage, "\(context): no space left on the backup destination's file system (\(reason)); free space or choose another destination")
        case EFBIG:
            return BackupError(.storage, "\(context): the file size limit was reached (\(reason)); raise the limit (ulimit -f) or free space")
        default:
            return BackupError(.storage, "\(context): \(reason)")
        }
    }
}

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif
