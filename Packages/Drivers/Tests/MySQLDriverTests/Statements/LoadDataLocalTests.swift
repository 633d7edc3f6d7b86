import DriverTestSupport
import Foundation
import MySQLDriver
import Synchronization
import XCTest

/// `LOAD DATA LOCAL INFILE` streamed from memory: rows arrive, a failing producer aborts, and no file is
/// ever read for the server.
final class LoadDataLocalTests: MySQLTestCase {
    private let sql = "LOAD DATA LOCAL INFILE 'stream' INTO TABLE l CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (id, s)"

    /// Blocks handed out one per call, then nil; the last block can be an error.
    private final class Blocks: Sendable {
        private let remaining: Mutex<[Result<[UInt8], DatabaseError>]>
        init(_ blocks: [Result<[UInt8], DatabaseError>]) { remaining = Mutex(blocks.reversed()) }
        @Sendable func next() throws -> [UInt8]? {
            guard let block = remaining.withLock({ $0.popLast() }) else { return nil }
            return try block.get()
        }
    }

    func testStreamedRowsLoadWithTheirWarningsReported() async throws {
        try await withScratchDatabase { _, scratch in
            let connection = try await MySQLConnection.connect(scratch, localInfileStreams: true)
            defer { Task { await connection.close() } }
            _ = try await connection.execute("CREATE TABLE l (id INT PRIMARY KEY, s VARCHAR(20) NULL)")
            let blocks = Blocks([.success(Array("1\ttab\\there\n2\t\\N\n".utf8)), .success(Array("3\t\n".utf8))])
            let result = try await connection.loadDataLocal(sql, blocks.next)
            XCTAssertEqual(result.rowsAffected, 3)
            XCTAssertEqual(result.warningCount, 0)
            let rows = try await connection.query("SELECT id, s, s IS NULL FROM l ORDER BY id").rows.map(\.values)
            XCTAssertEqual(rows, [[.integer(1), .text("tab\there"), .integer(0)], [.integer(2), .null, .integer(1)],
                                  [.integer(3), .text(""), .integer(0)]])

            let truncating = Blocks([.success(Array("4\tthis text is longer than twenty\n".utf8))])
            let warned = try await connection.loadDataLocal(sql, truncating.next)
            XCTAssertEqual(warned.warningCount, 1)
            XCTAssertEqual(warned.warningMessages.count, 1)
        }
    }

    func testAFailingProducerAbortsTheLoadAndTheConnectionStaysUsable() async throws {
        try await withScratchDatabase { _, scratch in
            let connection = try await MySQLConnection.connect(scratch, localInfileStreams: true)
            defer { Task { await connection.close() } }
            _ = try await connection.execute("CREATE TABLE l (id INT PRIMARY KEY, s VARCHAR(20) NULL)")
            try await connection.begin()
            let failing = Blocks([.success(Array("1\ta\n".utf8)), .failure(DatabaseError(.other, "producer broke"))])
            do {
                _ = try await connection.loadDataLocal(sql, failing.next)
                XCTFail("a failing producer loaded")
            } catch let error as DatabaseError {
                XCTAssertEqual(error.message, "producer broke", "the producer's own error comes back")
            }
            try await connection.rollback()
            let count = try await connection.scalar("SELECT count(*) FROM l")
            XCTAssertEqual(count, .integer(0))
        }
    }

    func testTheServerCannotMakeTheClientReadAFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-local-infile-\(getpid()).txt")
        try "7\tsecret\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let plain = "LOAD DATA LOCAL INFILE '\(file.path)' INTO TABLE l (id, s)"
        try await withScratchDatabase { connection, scratch in
            _ = try await connection.execute("CREATE TABLE l (id INT PRIMARY KEY, s VARCHAR(20) NULL)")
            // A connection opened normally does not offer LOAD DATA LOCAL at all.
            do { _ = try await connection.execute(plain); XCTFail("LOAD DATA LOCAL ran on a plain connection") } catch {}
            await assertThrows(.misuse) { _ = try await connection.loadDataLocal(self.sql) { nil } }
            // A streaming connection answers only from loadDataLocal's producer, never from the file system.
            let streaming = try await MySQLConnection.connect(scratch, localInfileStreams: true)
            defer { Task { await streaming.close() } }
            do { _ = try await streaming.execute(plain); XCTFail("the client read a file for the server") } catch {}
            let alive = await streaming.isAlive()
            XCTAssertTrue(alive)
            let count = try await streaming.scalar("SELECT count(*) FROM l")
            XCTAssertEqual(count, .integer(0))
        }
    }
}
