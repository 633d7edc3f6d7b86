import CBzip2

/// One-shot libbz2 compression of chunks, and the `.bz2` stream used by plain SQL files.
enum Bzip2 {
    static func compress(_ input: [UInt8], level: Int) throws(BackupError) -> [UInt8] {
        // libbz2's documented worst case: 1% larger plus 600 bytes.
        var length = UInt32(input.count + input.count / 100 + 601)
        var output = [UInt8](repeating: 0, count: Int(length))
        var source = input
        let rc = output.withUnsafeMutableBufferPointer { out in
            source.withUnsafeMutableBufferPointer { inp in
                out.baseAddress!.withMemoryRebound(to: CChar.self, capacity: out.count) { o in
                    inp.baseAddress.map { base in
                        base.withMemoryRebound(to: CChar.self, capacity: inp.count) { i in
                            BZ2_bzBuffToBuffCompress(o, &length, i, UInt32(inp.count), Int32(level), 0, 0)
                        }
                    } ?? BZ2_bzBuffToBuffCompress(o, &length, nil, 0, Int32(level), 0, 0)
                }
            }
        }
        guard rc == BZ_OK else { throw BackupError(.storage, "bz2 compress failed (\(rc))") }
        output.removeSubrange(Int(length)...)
        return output
    }

    static func decompress(_ input: [UInt8], originalSize: Int) throws(BackupError) -> [UInt8] {
        var length = UInt32(originalSize)
        var output = [UInt8](repeating: 0, count: max(originalSize, 1))
        var source = input
        let rc = output.withUnsafeMutableBufferPointer { out in
            source.withUnsafeMutableBufferPointer { inp in
                out.baseAddress!.withMemoryRebound(to: CChar.self, capacity: out.count) { o in
                    inp.baseAddress.map { base in
                        base.withMemoryRebound(to: CChar.self, capacity: inp.count) { i in
                            BZ2_bzBuffToBuffDecompress(o, &length, i, UInt32(inp.count), 0, 0)
                        }
                    } ?? BZ_DATA_ERROR
                }
            }
        }
        guard rc == BZ_OK, Int(length) == originalSize else {
            throw BackupError(.corrupt, "chunk does not decompress with bz2 (code \(rc))")
        }
        if originalSize == 0 { return [] }
        return output
    }
}

/// A streaming bzip2 writer (the format `bunzip2` reads) for plain SQL output.
final class Bzip2Stream {
    private var stream = bz_stream()
    private var finished = false

    init(level: Int) throws(BackupError) {
        let rc = BZ2_bzCompressInit(&stream, Int32(min(max(level, 1), 9)), 0, 0)
        guard rc == BZ_OK else { throw BackupError(.storage, "BZ2_bzCompressInit failed (\(rc))") }
    }

    deinit { BZ2_bzCompressEnd(&stream) }

    func write(_ input: [UInt8]) -> [UInt8] { run(input, action: BZ_RUN) }

    func finish() -> [UInt8] {
        guard !finished else { return [] }
        finished = true
        return run([], action: BZ_FINISH)
    }

    private func run(_ input: [UInt8], action: Int32) -> [UInt8] {
        var result = [UInt8]()
        var input = input
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        input.withUnsafeMutableBufferPointer { inp in
            inp.baseAddress?.withMemoryRebound(to: CChar.self, capacity: inp.count) { stream.next_in = $0 }
            if inp.baseAddress == nil { stream.next_in = nil }
            stream.avail_in = UInt32(inp.count)
            while true {
                var rc: Int32 = 0
                let produced: Int = buffer.withUnsafeMutableBufferPointer { out in
                    out.baseAddress!.withMemoryRebound(to: CChar.self, capacity: out.count) { stream.next_out = $0 }
                    stream.avail_out = UInt32(out.count)
                    rc = BZ2_bzCompress(&stream, action)
                    return out.count - Int(stream.avail_out)
                }
                result.append(contentsOf: buffer[0..<produced])
                if action == BZ_FINISH { if rc == BZ_STREAM_END || rc < 0 { break } } else if stream.avail_in == 0 { break }
            }
        }
        return result
    }
}
