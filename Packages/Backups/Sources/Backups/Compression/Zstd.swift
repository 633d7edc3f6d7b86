import CZstd

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
        guard let context = ZSTD_createCCtx() else { throw BackupError(.storage, "zstd: out of memory") }
        defer { ZSTD_freeCCtx(context) }
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

    /// Delta chunks use zstd's default level: fast, and a patch is small at any level.
    static let deltaLevel = 3

    /// 4 MiB: the base chunks (at most 1 MiB together) and the chunk (at most 512 KiB) fit in the window.
    static let deltaWindowLog = 22
}
