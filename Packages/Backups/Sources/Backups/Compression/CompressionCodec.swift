/// The compression of a backup's chunks: the spec's `gzip`, `bz2`, `none`, and `zstd` beyond it.
///
/// Chunks are compressed independently (one-shot buffer calls into zlib, libbz2 and libzstd), which is what
/// lets a backup compress on every core at once.
public enum CompressionCodec: String, Sendable, Codable, CaseIterable {
    /// zlib's deflate (the spec's `gzip`); chunks carry the zlib wrapper, plain SQL files the gzip one.
    case gzip
    /// libbz2 (the spec's `bz2`).
    case bz2
    /// libzstd: faster than gzip at a similar ratio.
    case zstd
    case none

    /// Reads the names people use: `gzip`, `gz`, `zlib`, `bz2`, `bzip2`, `zstd`, `none`.
    public init(name: String) throws(BackupError) {
        switch name.lowercased() {
        case "gzip", "gz", "zlib", "deflate": self = .gzip
        case "bz2", "bzip2": self = .bz2
        case "zstd", "zst": self = .zstd
        case "none", "", "off", "false": self = .none
        default: throw BackupError(.invalidArgument, "compression must be gzip, bz2, zstd or none, not \(name)")
        }
    }

    /// The level used when the caller gives none. gzip uses 4, not zlib's 6: on dump streams (numbers,
    /// text, hex) level 4 compresses about twice as fast for output about 1% larger, measured on 80 KiB
    /// chunks of generated table data (see Docs/benchmarks.md); `compression_level` restores 6.
    public var defaultLevel: Int {
        switch self {
        case .gzip: 4
        case .bz2: 9
        case .zstd: 3
        case .none: 0
        }
    }

    /// Compresses one buffer at `level` (clamped to the library's range).
    public func compress(_ input: [UInt8], level: Int) throws(BackupError) -> [UInt8] {
        switch self {
        case .gzip: try Zlib.compress(input, level: min(max(level, 1), 9))
        case .bz2: try Bzip2.compress(input, level: min(max(level, 1), 9))
        case .zstd: try Zstd.compress(input, level: min(max(level, 1), 19))
        case .none: input
        }
    }

    /// Decompresses one buffer whose original size is known (the manifest records it).
    /// - Throws: `.corrupt` when the data does not decompress to exactly `originalSize` bytes.
    public func decompress(_ input: [UInt8], originalSize: Int) throws(BackupError) -> [UInt8] {
        switch self {
        case .gzip: return try Zlib.decompress(input, originalSize: originalSize)
        case .bz2: return try Bzip2.decompress(input, originalSize: originalSize)
        case .zstd: return try Zstd.decompress(input, originalSize: originalSize)
        case .none:
            guard input.count == originalSize else {
                throw BackupError(.corrupt, "chunk is \(input.count) bytes, the manifest says \(originalSize)")
            }
            return input
        }
    }
}
