import CZlib

/// One-shot zlib compression of chunks, and the gzip stream used by plain SQL files.
enum Zlib {
    static func compress(_ input: [UInt8], level: Int) throws(BackupError) -> [UInt8] {
        var bound = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(bound))
        let rc = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { inp in
                compress2(out.baseAddress, &bound, inp.baseAddress, uLong(inp.count), Int32(level))
            }
        }
        guard rc == Z_OK else { throw BackupError(.storage, "zlib compress failed (\(rc))") }
        output.removeSubrange(Int(bound)...)
        return output
    }

    static func decompress(_ input: [UInt8], originalSize: Int) throws(BackupError) -> [UInt8] {
        var length = uLongf(originalSize)
        var output = [UInt8](repeating: 0, count: max(originalSize, 1))
        let rc = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { inp in
                uncompress(out.baseAddress, &length, inp.baseAddress, uLong(inp.count))
            }
        }
        guard rc == Z_OK, Int(length) == originalSize else {
            throw BackupError(.corrupt, "chunk does not decompress with zlib (code \(rc))")
        }
        if originalSize == 0 { return [] }
        return output
    }
}

/// A streaming gzip writer (the `.gz` file format that `gunzip` and `zcat` read) for plain SQL output.
final class GzipStream {
    private var stream = z_stream()
    private var finished = false

    init(level: Int) throws(BackupError) {
        let rc = dbm_deflate_init2(&stream, Int32(min(max(level, 1), 9)), 15 + 16)
        guard rc == Z_OK else { throw BackupError(.storage, "zlib deflateInit2 failed (\(rc))") }
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `input` and returns whatever output zlib produced so far.
    func write(_ input: [UInt8]) -> [UInt8] { run(input, flush: Z_NO_FLUSH) }

    /// Ends the stream and returns the remaining output with the gzip trailer.
    func finish() -> [UInt8] {
        guard !finished else { return [] }
        finished = true
        return run([], flush: Z_FINISH)
    }

    private func run(_ input: [UInt8], flush: Int32) -> [UInt8] {
        var result = [UInt8]()
        var input = input
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        input.withUnsafeMutableBufferPointer { inp in
            stream.next_in = inp.baseAddress
            stream.avail_in = uInt(inp.count)
            repeat {
                let produced: Int = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    deflate(&stream, flush)
                    return out.count - Int(stream.avail_out)
                }
                result.append(contentsOf: buffer[0..<produced])
            } while stream.avail_out == 0 || (flush == Z_FINISH && stream.avail_in > 0)
        }
        return result
    }
}
