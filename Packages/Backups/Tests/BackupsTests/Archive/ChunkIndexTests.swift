@testable import Backups
import XCTest

/// The on-disk index that holds a backup's chunk references and its entries' chunk lists, so that neither
/// is held in memory whatever the size of the database.
final class ChunkIndexTests: XCTestCase {
    /// Chunk `n` (its id is `n` in hexadecimal), of `1000 * (n + 1)` bytes.
    private func chunk(_ n: Int, location: String = "full", bases: [ChunkReference] = [], pack: Int? = 0,
                       head: UInt64? = nil) -> ChunkReference {
        var chunk = ChunkReference(id: String(format: "%064x", n), size: 1000 * (n + 1), storedSize: 10 + n,
                                   storedSHA256: String(repeating: "a", count: 64), codec: bases.isEmpty ? .gzip : .zstd,
                                   location: location, deltaBases: bases, pack: pack, offset: pack.map { _ in Int64(n * 100) })
        chunk.head = head
        return chunk
    }

    func testAReferenceComesBackWithItsDeltaBasesResolvedTwoLevelsDeep() throws {
        let index = try ChunkIndex()
        let (a, b) = (chunk(1), chunk(2, pack: nil))
        let c = chunk(3, location: "incr1", bases: [a, b])
        let d = chunk(4, location: "incr2", bases: [c, a])
        try index.add(d)  // adds its bases (and theirs) first
        XCTAssertEqual(try index.reference(d.digest), d)
        XCTAssertEqual(try index.reference(d.digest)?.deltaBases[0].deltaBases, [a, b])
        XCTAssertEqual(try index.reference(b.digest)?.pack, nil, "a chunk stored in a file of its own keeps no pack")
        XCTAssertEqual(try index.location(of: c.digest), "incr1")
        XCTAssertEqual(try index.size(of: d.digest), 5000)
        XCTAssertNil(try index.reference(chunk(9).digest))
        XCTAssertFalse(try index.contains(chunk(9).digest))
    }

    func testARecordWhoseBaseIsNotInTheTableYetIsCorrupt() throws {
        let index = try ChunkIndex()
        let record = ChunkRecord(chunk(3, bases: [chunk(1)]))
        XCTAssertThrowsError(try index.add(record)) { error in
            XCTAssertEqual((error as? BackupError)?.code, .corrupt)
        }
        try index.add(ChunkRecord(chunk(1)))
        try index.add(record)
        XCTAssertEqual(try index.reference(chunk(3).digest)?.deltaBases, [chunk(1)])
    }

    /// An indexed list reads as the array it was made from, and a copy of an array list equals it.
    func testAnIndexedListReadsLikeTheArrayItWasMadeFrom() throws {
        let chunks = (0..<6).map { chunk($0) }
        let array = ChunkList(chunks)
        let index = try ChunkIndex()
        let indexed = try index.copy(array)
        XCTAssertNotNil(indexed.index)
        XCTAssertEqual(indexed.count, 6)
        XCTAssertEqual(indexed.byteCount, 21_000)
        XCTAssertEqual(try indexed.array(), chunks)
        XCTAssertEqual(try (0..<6).map { try indexed.start(at: $0) }, [0, 1000, 3000, 6000, 10_000, 15_000])
        XCTAssertEqual(indexed, array)
        XCTAssertNotEqual(try index.copy(ChunkList(chunks.reversed())), array)
    }

    /// The base chunks a delta may use: from the last one starting at or before the range on, while they
    /// start inside it. Both kinds of list agree.
    func testTheWindowOfARangeStartsAtTheChunkCoveringItsStart() throws {
        let array = ChunkList((0..<6).map { chunk($0) })  // starts 0, 1000, 3000, 6000, 10000, 15000
        let indexed = try ChunkIndex().copy(array)
        for list in [array, indexed] {
            func window(_ start: Int64, _ end: Int64, _ limit: Int = 10) throws -> [Int64] {
                try list.window(from: start, before: end, limit: limit).map(\.start)
            }
            XCTAssertEqual(try window(3500, 10_001), [3000, 6000, 10_000])
            XCTAssertEqual(try window(3000, 6000), [3000])
            XCTAssertEqual(try window(-500, 2000), [0, 1000], "a range before the stream starts at the first chunk")
            XCTAssertEqual(try window(20_000, 30_000), [15_000], "past the end: the last chunk only")
            XCTAssertEqual(try window(0, 30_000, 2), [0, 1000])
            XCTAssertEqual(try list.start(of: chunk(4).digest), 10_000)
            XCTAssertNil(try list.start(of: chunk(9).digest))
        }
    }

    /// A base chunk is found by its head (where a later stream lines up with it) only when no other chunk of
    /// the entry has the same head; both kinds of list agree, and a head survives a manifest record.
    func testAChunkIsFoundByItsHeadOnlyWhenTheHeadIsUnique() throws {
        let heads: [UInt64?] = [10, 11, nil, UInt64.max, 11]  // starts 0, 1000, 3000, 6000, 10000
        let array = ChunkList(heads.enumerated().map { chunk($0.offset, head: $0.element) })
        let index = try ChunkIndex()
        let indexed = try index.copy(array)
        let other = try index.copy(ChunkList([chunk(7, head: 10)]))  // another entry with the same head
        for list in [array, indexed] {
            XCTAssertEqual(try list.start(ofHead: 10), 0)
            XCTAssertEqual(try list.start(ofHead: UInt64.max), 6000, "the head's top bit survives SQLite's signed integers")
            XCTAssertNil(try list.start(ofHead: 11), "two chunks start with the same bytes: no alignment")
            XCTAssertNil(try list.start(ofHead: 12))
        }
        XCTAssertEqual(try other.start(ofHead: 10), 0)
        XCTAssertEqual(try index.reference(chunk(3).digest)?.head, UInt64.max)
        XCTAssertNil(try index.reference(chunk(2).digest)?.head)

        let record = ChunkRecord(chunk(3, head: 0xab))
        XCTAssertEqual(record.head, "00000000000000ab")
        let fresh = try ChunkIndex()
        try fresh.add(record)
        XCTAssertEqual(try fresh.reference(chunk(3).digest)?.head, 0xab)
        var malformed = ChunkRecord(chunk(4))
        malformed.head = "not a head"
        XCTAssertThrowsError(try fresh.add(malformed)) { error in
            XCTAssertEqual((error as? BackupError)?.code, .corrupt)
        }
    }

    /// Each walk over a manifest keeps its own set of chunks seen.
    func testEmissionSetsAreIndependent() throws {
        let index = try ChunkIndex()
        let (first, second) = (index.newEmission(), index.newEmission())
        let digest = chunk(1).digest
        XCTAssertTrue(try index.markEmitted(digest, in: first))
        XCTAssertFalse(try index.markEmitted(digest, in: first))
        XCTAssertTrue(try index.markEmitted(digest, in: second))
        index.endEmission(first)
        XCTAssertTrue(try index.markEmitted(digest, in: first), "an ended set starts empty")
    }

    /// Every statement a backup runs against the index seeks an index: none reads a table or an entry
    /// through, which would make a backup's time grow with the square of its chunks (the candidate window
    /// once found its first chunk with `max(position)`, a scan of the whole entry).
    func testEveryLookupSeeksAnIndex() throws {
        let index = try ChunkIndex()
        let list = try index.copy(ChunkList((0..<40).map { chunk($0, bases: $0 > 0 ? [chunk($0 - 1)] : [], head: UInt64($0)) }))
        _ = try list.window(from: 5000, before: 9000, limit: 34)
        XCTAssertEqual(try list.start(ofHead: 3), 6000)
        _ = try list.start(of: chunk(3).digest)
        _ = try list.array()
        _ = try index.location(of: chunk(3).digest)
        _ = try index.contains(chunk(3).digest)
        try index.add(ChunkRecord(chunk(50)))
        let emission = index.newEmission()
        _ = try index.markEmitted(chunk(1).digest, in: emission)
        index.endEmission(emission)
        let plans = try index.queryPlans()
        XCTAssertGreaterThanOrEqual(plans.count, 11, "\(plans.keys)")
        for (sql, steps) in plans {
            XCTAssertFalse(steps.contains { $0.hasPrefix("SCAN") }, "\(sql): \(steps)")
        }
        let window = try XCTUnwrap(plans.first { $0.key.contains("JOIN chunk") }?.value)
        XCTAssertTrue(window.contains { $0.contains("INDEX entry_chunk_start") }, "\(window)")
    }

    /// Each lookup an incremental backup makes for every chunk it stores (the candidate window, the base chunk
    /// with the same head, where a reused chunk stands) visits the rows it returns and a few more, wherever it
    /// lands in a long entry. Plans that read like seeks walked the rest of the entry: the window bounded
    /// positions and filtered on `start < end`; the two others searched the primary key by `entry = ?` alone.
    /// Over an incremental of a 1 GiB table that was the square of its chunks.
    func testLookupsVisitOnlyTheChunksNearThem() throws {
        let index = try ChunkIndex()
        let count = 3000
        var records = [ChunkReference]()
        for n in 0..<count {
            var record = chunk(n, head: UInt64(n))
            record.size = 1000
            records.append(record)
        }
        let list = try index.copy(ChunkList(records))
        for n in [0, 1500, 2990] {
            let start = n * 1000 + 500
            let window = try list.window(from: Int64(start), before: Int64(start + 2000), limit: 34)
            XCTAssertEqual(window.map(\.start), [n, n + 1, n + 2].map { Int64($0 * 1000) })
            XCTAssertLessThan(index.lastLookupSteps, 1000, "window at chunk \(n) of \(count)")
            XCTAssertEqual(try list.start(ofHead: UInt64(n)), Int64(n * 1000))
            XCTAssertLessThan(index.lastLookupSteps, 1000, "head of chunk \(n) of \(count)")
            XCTAssertEqual(try list.start(of: records[n].digest), Int64(n * 1000))
            XCTAssertLessThan(index.lastLookupSteps, 1000, "digest of chunk \(n) of \(count)")
        }
    }

    /// An index that cannot grow (a full temporary directory) is a storage error that says so, not a crash.
    func testAFullIndexIsAStorageErrorNamingTheSpace() throws {
        let index = try ChunkIndex(maximumPages: 8)
        XCTAssertThrowsError(try (0..<2000).forEach { try index.add(chunk($0)) }) { error in
            let error = error as? BackupError
            XCTAssertEqual(error?.code, .storage)
            XCTAssertTrue(error?.message.contains("no space left") == true, "\(String(describing: error))")
            XCTAssertTrue(error?.message.contains("TMPDIR") == true)
        }
    }
}
