import Foundation
import PostgreSQLDriver
import XCTest

final class CopyTests: XCTestCase {
    func testCopyOutStreamsWholeRowsAndCopyInLoadsThemBack() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE source (n int PRIMARY KEY, label text, note text)")
            _ = try await connection.execute("""
                INSERT INTO source SELECT g, 'row ' || g || E'\\ttab\\nline', CASE WHEN g % 7 = 0 THEN NULL ELSE 'é' END
                FROM generate_series(1, 100000) g
                """)
            let collected = Collected()
            let copied = try await connection.copyOut("COPY source TO STDOUT") { block in
                XCTAssertEqual(block.last, UInt8(ascii: "\n"), "a block ends inside a row")
                collected.append(block)
            }
            XCTAssertEqual(copied, 100_000)
            XCTAssertGreaterThan(collected.blocks, 1, "the data came in one block")
            XCTAssertEqual(collected.bytes.filter { $0 == UInt8(ascii: "\n") }.count, 100_000)

            _ = try await connection.execute("CREATE TABLE target (LIKE source INCLUDING ALL)")
            let feed = Feed(collected.bytes, blockSize: 10_000)
            let loaded = try await connection.copyIn("COPY target FROM STDIN") { feed.next() }
            XCTAssertEqual(loaded, 100_000)
            let differences = try await connection.scalar(
                "SELECT count(*) FROM (SELECT * FROM source EXCEPT ALL SELECT * FROM target) d")
            XCTAssertEqual(differences, .integer(0))
        }
    }

    func testCopyInBadDataFailsAndTheConnectionStaysUsable() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int)")
            let feed = Feed(Array("1\n2\nthree\n".utf8), blockSize: 3)
            let error = await assertThrowsDatabaseError(.invalidValue) {
                try await connection.copyIn("COPY t FROM STDIN") { feed.next() }
            }
            XCTAssertEqual(error?.engineCode, "22P02")
            let rows = try await connection.scalar("SELECT count(*) FROM t")
            XCTAssertEqual(rows, .integer(0))
        }
    }

    func testAProducerErrorAbortsTheCopyAndIsRethrown() async throws {
        struct ProducerFailed: Error {}
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int)")
            let feed = Feed(Array("1\n2\n".utf8), blockSize: 2)
            do {
                try await connection.copyIn("COPY t FROM STDIN") {
                    guard let block = feed.next() else { throw ProducerFailed() }
                    return block
                }
                XCTFail("the producer's error was not rethrown")
            } catch is ProducerFailed {}
            let rows = try await connection.scalar("SELECT count(*) FROM t")
            XCTAssertEqual(rows, .integer(0))
        }
    }

    func testABodyErrorCancelsALargeCopyOut() async throws {
        struct Enough: Error {}
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE SEQUENCE produced")
            do {
                try await connection.copyOut(
                    "COPY (SELECT nextval('produced') FROM (SELECT generate_series(1, 200000000)) s) TO STDOUT"
                ) { _ in throw Enough() }
                XCTFail("the body's error was not rethrown")
            } catch is Enough {}
            guard case .integer(let produced) = try await connection.scalar("SELECT last_value FROM produced") else {
                return XCTFail("no sequence value")
            }
            XCTAssertLessThan(produced, 100_000_000, "the rest of the COPY was read instead of cancelled")
            let after = try await connection.scalar("SELECT 'ready'")
            XCTAssertEqual(after, .text("ready"))
        }
    }

    func testCancellingTheTaskStopsACopyOutAndACopyIn() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let out = Task {
                try await connection.copyOut("COPY (SELECT generate_series(1, 200000000)) TO STDOUT") { _ in
                    withUnsafeCurrentTask { $0?.cancel() }
                }
            }
            let outError = await assertThrowsDatabaseError(.cancelled) { _ = try await out.value }
            XCTAssertNotNil(outError)

            _ = try await connection.execute("CREATE TABLE t (n int)")
            let into = Task {
                try await connection.copyIn("COPY t FROM STDIN") {
                    withUnsafeCurrentTask { $0?.cancel() }
                    return Array("1\n".utf8)
                }
            }
            await assertThrowsDatabaseError(.cancelled) { _ = try await into.value }
            let rows = try await connection.scalar("SELECT count(*) FROM t")
            XCTAssertEqual(rows, .integer(0))
        }
    }

    func testStatementsThatAreNotTheRightCopyAreMisuse() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int)")
            await assertThrowsDatabaseError(.misuse) {
                try await connection.copyOut("SELECT 1") { _ in }
            }
            await assertThrowsDatabaseError(.misuse) {
                try await connection.copyOut("COPY t FROM STDIN") { _ in }
            }
            await assertThrowsDatabaseError(.misuse) {
                try await connection.copyIn("COPY t TO STDOUT") { nil }
            }
            await assertThrowsDatabaseError(.undefinedObject) {
                try await connection.copyOut("COPY missing TO STDOUT") { _ in }
            }
            let after = try await connection.scalar("SELECT count(*) FROM t")
            XCTAssertEqual(after, .integer(0))
        }
    }
}

/// Gathers `copyOut` blocks. `@unchecked Sendable`: every access holds `lock`.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [UInt8] = []
    private var count = 0

    func append(_ block: [UInt8]) {
        lock.withLock {
            storage += block
            count += 1
        }
    }

    var bytes: [UInt8] { lock.withLock { storage } }
    var blocks: Int { lock.withLock { count } }
}

/// Hands out fixed-size slices of a byte array to `copyIn`. `@unchecked Sendable`: every access holds `lock`.
private final class Feed: @unchecked Sendable {
    private let lock = NSLock()
    private let bytes: [UInt8]
    private let blockSize: Int
    private var offset = 0

    init(_ bytes: [UInt8], blockSize: Int) {
        self.bytes = bytes
        self.blockSize = blockSize
    }

    func next() -> [UInt8]? {
        lock.withLock {
            guard offset < bytes.count else { return nil }
            let end = min(offset + blockSize, bytes.count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }
}
