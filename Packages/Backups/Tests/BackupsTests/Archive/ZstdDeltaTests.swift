@testable import Backups
import Dispatch
import Synchronization
import XCTest

/// zstd deltas share compression contexts between calls; each delta must still decompress against its own
/// base, whatever the context compressed before and on whichever thread.
final class ZstdDeltaTests: XCTestCase {
    private static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 59) + 0x61  // a small alphabet, so bases repeat
        }
    }

    func testDeltasCompressedConcurrentlyDecompressAgainstTheirOwnBases() throws {
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 64) { n in
            let base = Self.bytes(60_000 + n * 100, seed: UInt64(n))
            var chunk = Array(base[1_000..<41_000])
            for i in stride(from: 0, to: chunk.count, by: 997) { chunk[i] ^= 0x20 }
            do {
                let delta = try Zstd.compress(chunk, level: Zstd.deltaLevel, prefix: base)
                if delta.count * 16 > chunk.count { failures.withLock { $0.append("\(n): delta of \(delta.count) bytes is no patch") } }
                let back = try Zstd.decompress(delta, originalSize: chunk.count, prefix: base)
                if back != chunk { failures.withLock { $0.append("\(n): decompressed to other bytes") } }
                // Against another chunk's base it must fail or differ, never pass silently as this chunk.
                let other = Self.bytes(base.count, seed: UInt64(n) + 1_000)
                if let wrong = try? Zstd.decompress(delta, originalSize: chunk.count, prefix: other), wrong == chunk {
                    failures.withLock { $0.append("\(n): decompressed against the wrong base") }
                }
            } catch {
                failures.withLock { $0.append("\(n): \(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
    }
}
