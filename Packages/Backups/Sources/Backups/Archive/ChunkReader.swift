import Crypto
import Foundation

/// Reads chunks back: checks the stored file's SHA-256, opens the seal, decompresses, and (unless told not
/// to) checks the plaintext against the chunk's content address. Any mismatch is an error; nothing
/// unverified is returned.
struct ChunkReader: Sendable {
    /// The directory holding the backups (a chunk's `location` is a sibling backup there).
    let root: URL
    let key: BackupKey?
    let encrypted: Bool
    /// Whether the plaintext is hashed again and compared with the chunk's id. Validation does; restores
    /// and delta bases do not: the stored bytes' SHA-256 (from the checksummed manifest), the GCM tag, the
    /// codecs' own checks (zlib's Adler-32, bzip2's CRCs) and the exact decompressed size are still checked,
    /// and decompression is deterministic, so the plaintext is the one the writer named. Hashing it again
    /// cost about a tenth of a restore's CPU.
    var checksContentAddress = true

    /// The verified plaintext of one chunk.
    func read(_ chunk: ChunkReference) throws(BackupError) -> [UInt8] {
        let sealed = try readStored(chunk)
        return try open(sealed, chunk)
    }

    /// The stored bytes of a chunk, after checking their size and SHA-256 (no key needed).
    func readStored(_ chunk: ChunkReference) throws(BackupError) -> [UInt8] {
        guard let bytes = ChunkPaths.readStored(chunk, in: BackupCatalog.directory(of: chunk.location, in: root)) else {
            throw BackupError(.corrupt, "chunk \(chunk.id.prefix(12)) of backup \(chunk.location) is missing or truncated")
        }
        guard bytes.count == chunk.storedSize, ChunkDigest.sha256(bytes) == chunk.storedDigest else {
            throw BackupError(.corrupt, "chunk \(chunk.id.prefix(12)) of backup \(chunk.location) does not match its SHA-256")
        }
        return bytes
    }

    /// Decrypts and decompresses verified stored bytes (a delta chunk against its bases, read and
    /// verified first), and checks the content address.
    func open(_ stored: [UInt8], _ chunk: ChunkReference) throws(BackupError) -> [UInt8] {
        var bytes = stored
        if encrypted {
            guard let key else { throw BackupError(.missingKey, "the backup is encrypted; give its key") }
            bytes = try key.open(bytes, chunkID: chunk.id)
        }
        let plaintext: [UInt8]
        if !chunk.deltaBases.isEmpty {
            var prefix = [UInt8]()
            for base in chunk.deltaBases { prefix += try read(base) }
            plaintext = try Zstd.decompress(bytes, originalSize: chunk.size, prefix: prefix)
        } else {
            plaintext = try chunk.codec.decompress(bytes, originalSize: chunk.size)
        }
        guard checksContentAddress else { return plaintext }
        let id = key.map { $0.chunkDigest(for: plaintext) } ?? ChunkDigest.sha256(plaintext)
        guard id == chunk.digest else {
            throw BackupError(.corrupt, "chunk \(chunk.id.prefix(12)) does not match its content address")
        }
        return plaintext
    }

    /// Calls `body` with every frame of an entry, reading its chunks in order.
    func frames(of entry: Manifest.Entry, _ body: (Frame) throws -> Void) throws {
        var reader = FrameReader()
        try entry.chunks.forEach { chunk in
            if Task.isCancelled { throw CancellationError() }
            for frame in try reader.feed(try read(chunk)) { try body(frame) }
        }
        try reader.finish()
    }
}
