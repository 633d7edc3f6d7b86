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
}
