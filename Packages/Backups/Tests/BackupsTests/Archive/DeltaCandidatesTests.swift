@testable import Backups
import XCTest

/// Which chunks of the base backup a new chunk is offered as delta bases: those covering a real part of its
/// stream range, not those a moved boundary makes it touch by a few bytes.
final class DeltaCandidatesTests: XCTestCase {
    /// Three base chunks of 80,000 bytes at 0, 80,000 and 160,000, named "0", "1" and "2" (their ids' first digit).
    private let bases = (0..<3).map { n in
        ChunkReference(id: String(repeating: String(n), count: 64), size: 80_000, storedSize: 1, storedSHA256: "", codec: .gzip, location: "full")
    }
    private let starts = [0, 80_000, 160_000]

    private func candidates(start: Int, size: Int) -> [String] {
        EntryWriter.deltaCandidates(start: start, size: size, window: slots(bases, starts)).map { String($0.digest.hex.prefix(1)) }
    }

    private func slots(_ chunks: [ChunkReference], _ starts: [Int]) -> [ChunkList.Slot] {
        zip(chunks, starts).map { ChunkList.Slot(digest: $0.digest, start: Int64($1), size: $0.size) }
    }

    func testABaseTouchedByAFewBytesIsNotOffered() {
        // A changed row made the chunk 20 bytes longer and moved its start 10 bytes back.
        XCTAssertEqual(candidates(start: 79_990, size: 80_020), ["1"])
    }

    func testBasesCoveringRealPartsAreAllOffered() {
        XCTAssertEqual(candidates(start: 40_000, size: 80_000), ["0", "1"])
        XCTAssertEqual(candidates(start: 75_000, size: 90_000), ["0", "1", "2"])
    }

    func testASmallChunkInsideABaseGetsThatBase() {
        XCTAssertEqual(candidates(start: 100_000, size: 1_000), ["1"])
        XCTAssertEqual(candidates(start: 240_000, size: 1_000), [], "past the end of the base stream")
    }

    /// A base taken with the chunks of earlier releases (about 80 KiB) under a chunk of today's largest size
    /// (1 MiB): every base chunk it covers is offered, up to `deltaBasesLimit` bytes. With four at most, the
    /// first incremental after chunks grew stored 29% of the full instead of 0.1%.
    func testALargeChunkOverSmallBaseChunksGetsEveryOneItCovers() {
        let small = (0..<40).map { n in
            ChunkReference(id: String(format: "%064x", n), size: 80_000, storedSize: 1, storedSHA256: "", codec: .gzip, location: "full")
        }
        let starts = small.indices.map { $0 * 80_000 }
        let offered = EntryWriter.deltaCandidates(start: 0, size: 1 << 20, window: slots(small, starts))
        XCTAssertEqual(offered.map(\.size).reduce(0, +), 14 * 80_000, "all 14 base chunks under the first MiB")
        XCTAssertEqual(offered.map(\.digest), small.prefix(14).map(\.digest))
        // Never more than the delta window holds.
        let far = EntryWriter.deltaCandidates(start: 0, size: 3_200_000, window: slots(small, starts))
        XCTAssertLessThanOrEqual(far.map(\.size).reduce(0, +), EntryWriter.deltaBasesLimit)
        XCTAssertLessThanOrEqual(far.count, EntryWriter.deltaBasesCount)
    }
}
