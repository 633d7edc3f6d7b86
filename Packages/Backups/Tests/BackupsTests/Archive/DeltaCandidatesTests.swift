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
        EntryWriter.deltaCandidates(start: start, size: size, baseChunks: bases, baseStarts: starts).map { String($0.id.prefix(1)) }
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
}
