import CZstd
import Synchronization

/// One-shot libzstd compression of chunks.
enum Zstd {
    static func compress(_ input: [UInt8], level: Int) throws(BackupError) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { inp in
                ZSTD_compress(out.baseAddress, out.count, inp.baseAddress, inp.count, Int32(level))
            }
        }
        guard ZSTD_isError(written) == 0 else { throw BackupError(.storage, "zstd compress failed") }
        output.removeSubrange(written...)
        return output
    }

    static func decompress(_ input: [UInt8], originalSize: Int) throws(BackupError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: max(originalSize, 1))
        let written = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { inp in
                ZSTD_decompress(out.baseAddress, originalSize, inp.baseAddress, inp.count)
            }
        }
        guard ZSTD_isError(written) == 0, written == originalSize else {
            throw BackupError(.corrupt, "chunk does not decompress with zstd")
        }
        if originalSize == 0 { return [] }
        return output
    }

    /// Compresses `input` with `base` as a prefix the frame may refer to, as `zstd --patch-from` does: a
    /// chunk that differs from its base in a few rows compresses to little more than those rows.
    static func compress(_ input: [UInt8], level: Int, prefix base: [UInt8]) throws(BackupError) -> [UInt8] {
        try withCompressionContext { context throws(BackupError) in try compress(input, level: level, prefix: base, context: context) }
    }

    private static func compress(_ input: [UInt8], level: Int, prefix base: [UInt8], context: OpaquePointer) throws(BackupError) -> [UInt8] {
        _ = ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(level))
        _ = ZSTD_CCtx_setParameter(context, ZSTD_c_windowLog, Int32(deltaWindowLog))
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let written = base.withUnsafeBytes { prefix in
            output.withUnsafeMutableBytes { out in
                input.withUnsafeBytes { inp -> Int in
                    let referenced = ZSTD_CCtx_refPrefix(context, prefix.baseAddress, prefix.count)
                    if ZSTD_isError(referenced) != 0 { return referenced }
                    return ZSTD_compress2(context, out.baseAddress, out.count, inp.baseAddress, inp.count)
                }
            }
        }
        guard ZSTD_isError(written) == 0 else { throw BackupError(.storage, "zstd delta compression failed") }
        output.removeSubrange(written...)
        return output
    }

    /// Reverses ``compress(_:level:prefix:)`` given the same base.
    static func decompress(_ input: [UInt8], originalSize: Int, prefix base: [UInt8]) throws(BackupError) -> [UInt8] {
        guard let context = ZSTD_createDCtx() else { throw BackupError(.storage, "zstd: out of memory") }
        defer { ZSTD_freeDCtx(context) }
        _ = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, Int32(deltaWindowLog))
        var output = [UInt8](repeating: 0, count: max(originalSize, 1))
        let written = base.withUnsafeBytes { prefix in
            output.withUnsafeMutableBytes { out in
                input.withUnsafeBytes { inp -> Int in
                    let referenced = ZSTD_DCtx_refPrefix(context, prefix.baseAddress, prefix.count)
                    if ZSTD_isError(referenced) != 0 { return referenced }
                    return ZSTD_decompressDCtx(context, out.baseAddress, originalSize, inp.baseAddress, inp.count)
                }
            }
        }
        guard ZSTD_isError(written) == 0, written == originalSize else {
            throw BackupError(.corrupt, "delta chunk does not decompress against its base")
        }
        if originalSize == 0 { return [] }
        return output
    }

    /// Compression contexts kept for the next delta chunk, by address (at most `idleLimit`). A fresh
    /// context allocates and clears its tables for every chunk: an 80 KB chunk with a 160 KB prefix took
    /// 152 µs that way and 73 µs with a context reset and reused (libzstd 1.5.4, this machine).
    private static let idleContexts = Mutex<[UInt]>([])
    private static let idleLimit = 8

    /// Runs `body` with a compression context from `idleContexts` (or a new one), then resets the
    /// context's parameters and prefix and keeps it for the next call.
    private static func withCompressionContext<T>(_ body: (OpaquePointer) throws(BackupError) -> T) throws(BackupError) -> T {
        let context: OpaquePointer
        if let address = idleContexts.withLock({ $0.popLast() }), let idle = OpaquePointer(bitPattern: address) {
            context = idle
        } else {
            guard let created = ZSTD_createCCtx() else { throw BackupError(.storage, "zstd: out of memory") }
            context = created
        }
        defer {
            _ = ZSTD_CCtx_reset(context, ZSTD_reset_session_and_parameters)
            let kept = idleContexts.withLock { idle -> Bool in
                guard idle.count < idleLimit else { return false }
                idle.append(UInt(bitPattern: context))
                return true
            }
            if !kept { ZSTD_freeCCtx(context) }
        }
        return try body(context)
    }

    /// Delta chunks use zstd's default level: fast, and a patch is small at any level.
    static let deltaLevel = 3

    /// 4 MiB: the base chunks (at most 3 MiB together, `EntryWriter.deltaBasesLimit`) and the chunk (at most
    /// 1 MiB) fit in the window.
    static let deltaWindowLog = 22
}
