@testable import Backups
import Crypto
import DriverTestSupport
import Foundation
import XCTest

/// The manifest file of format 5 (a chunk table and entries naming chunks by id, written and read a line at
/// a time) and the nested manifests of formats 1 to 4, which must still read.
final class ManifestFileTests: XCTestCase {
    private func chunk(_ n: Int, location: String = "b1", bases: [ChunkReference] = []) -> ChunkReference {
        var chunk = ChunkReference(id: String(repeating: String(n, radix: 16), count: 64).prefix(64).description, size: 1000 + n,
                                   storedSize: 500 + n, storedSHA256: String(repeating: "e", count: 64),
                                   codec: bases.isEmpty ? .gzip : .zstd, location: location, deltaBases: bases)
        chunk.pack = n % 2
        chunk.offset = Int64(n * 4096)
        return chunk
    }

    /// A manifest whose chunks share delta bases two levels deep, with a chunk named twice, and text that
    /// needs escaping (quotes, a newline, a slash, non-ASCII) in names and statements.
    private func sampleManifest() -> Manifest {
        let a = chunk(1, location: "full"), b = chunk(2, location: "full")
        let c = chunk(3, location: "incr1", bases: [a, b])
        let d = chunk(4, location: "incr2", bases: [c, a])
        let e = chunk(5, location: "incr2")
        let entries = [
            Manifest.Entry(kind: .preData, name: "pre-data", insertPrefix: nil, copyStatement: nil, part: nil, chunks: [e]),
            Manifest.Entry(kind: .tableData, name: "public.\"odd\nname\"/é", insertPrefix: nil,
                           copyStatement: "COPY public.\"odd\nname\" (a) FROM STDIN", part: 1, chunks: [d, c, e]),
            Manifest.Entry(kind: .postData, name: "post-data", insertPrefix: nil, copyStatement: nil, part: nil, chunks: []),
        ]
        return Manifest(id: "incr2", databaseName: "shop", backupType: .incremental, compression: .gzip, compressionLevel: 4,
                        encryption: "none", keyFingerprint: nil, chunkHash: "sha256",
                        createdAt: Date(timeIntervalSince1970: 1_795_000_000.125), completedAt: Date(timeIntervalSince1970: 1_795_000_009.5),
                        retentionDays: 7, engine: "postgresql", serverVersion: "15.20", parentBackup: "incr1",
                        storedBytes: 1234, logicalBytes: 56789,
                        tables: [Manifest.TableSummary(schema: "public", name: "odd\nname", rowCount: 3, checksum: "00ff")],
                        entries: entries)
    }

    func testAWrittenManifestReadsBackTheSameLineByLineAndWhole() throws {
        let manifest = sampleManifest()
        let url = TestDatabases.temporaryDirectory().appendingPathComponent(ManifestFile.name)
        let hash = try ManifestFile.write(manifest, to: url)
        let data = try Data(contentsOf: url)
        XCTAssertEqual(hash, Array(SHA256.hash(data: data)).hexString)
        XCTAssertEqual(ManifestFile.sha256(of: url), hash)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)

        XCTAssertEqual(try XCTUnwrap(try ManifestFile.readByLines(url), "not read a line at a time"), manifest)
        XCTAssertEqual(try ManifestFile.read(url), manifest)
        XCTAssertEqual(try ArchiveJSON.decoder().decode(Manifest.self, from: data), manifest, "a whole-document reader disagrees")
        var head = manifest
        head.entries = []
        XCTAssertEqual(try ManifestFile.readHead(url), head)

        // Each chunk once, after its bases; entries name them by id.
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["format_version"] as? Int, 5)
        let table = try XCTUnwrap(object["chunks"] as? [[String: Any]])
        XCTAssertEqual(table.compactMap { ($0["id"] as? String)?.prefix(1) }, ["5", "1", "2", "3", "4"])
        XCTAssertEqual(table[4]["delta_bases"] as? [String], try manifest.entries[1].chunks.reference(at: 0).deltaBases.map(\.id))
        XCTAssertEqual((table[4]["delta_bases"] as? [String])?.map { $0.prefix(1) }, ["3", "1"])
        XCTAssertNil(table[1]["delta_bases"])
        let entries = try XCTUnwrap(object["entries"] as? [[String: Any]])
        XCTAssertEqual((entries[1]["chunks"] as? [String])?.map { $0.prefix(1) }, ["4", "3", "5"])
    }

    /// A manifest read a line at a time keeps its entries' chunk lists in one index (not in memory), and
    /// written again from there gives the same bytes.
    func testAManifestReadByLinesKeepsItsListsInAnIndexAndWritesBackTheSameBytes() throws {
        let directory = TestDatabases.temporaryDirectory()
        let first = directory.appendingPathComponent("first.json"), second = directory.appendingPathComponent("second.json")
        let hash = try ManifestFile.write(sampleManifest(), to: first)
        let read = try XCTUnwrap(try ManifestFile.readByLines(first))
        let index = try XCTUnwrap(read.entries[0].chunks.index)
        XCTAssertTrue(read.entries.allSatisfy { $0.chunks.index === index })
        XCTAssertEqual(try read.entries[1].chunks.array(), try sampleManifest().entries[1].chunks.array())
        XCTAssertEqual(try ManifestFile.write(read, to: second), hash)
        XCTAssertEqual(try Data(contentsOf: second), try Data(contentsOf: first))
        XCTAssertEqual(try read.dependencies(), ["full", "incr1"])
        XCTAssertEqual(try read.chunkCount(), 5)
    }

    func testAManifestReFormattedByAnotherToolStillReadsWhole() throws {
        let manifest = sampleManifest()
        let url = TestDatabases.temporaryDirectory().appendingPathComponent(ManifestFile.name)
        _ = try ManifestFile.write(manifest, to: url)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: url)
        XCTAssertNil(try ManifestFile.readByLines(url))
        XCTAssertEqual(try ManifestFile.read(url), manifest)
    }

    func testADeltaListedBeforeItsBaseIsCorrupt() throws {
        let url = TestDatabases.temporaryDirectory().appendingPathComponent(ManifestFile.name)
        _ = try ManifestFile.write(sampleManifest(), to: url)
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        let first = try XCTUnwrap(lines.firstIndex(of: #"  "chunks" : ["#)) + 1
        // The table is 5, 1, 2, 3, 4; with 1 and 3 swapped, chunk 3 (a delta of 1 and 2) comes before 1.
        lines.swapAt(first + 1, first + 3)
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ManifestFile.read(url)) { error in
            XCTAssertEqual((error as? BackupError)?.code, .corrupt)
        }
    }

    /// Entries' chunk ids are read straight from the line: one that is not in the chunk table, or not a
    /// digest, is corrupt.
    func testAnEntryNamingAChunkOutsideTheTableIsCorrupt() throws {
        for replacement in [String(repeating: "f", count: 64), String(repeating: "z", count: 64)] {
            let url = TestDatabases.temporaryDirectory().appendingPathComponent(ManifestFile.name)
            _ = try ManifestFile.write(sampleManifest(), to: url)
            var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            let entry = try XCTUnwrap(lines.firstIndex(of: #"  "entries" : ["#)) + 2
            let line = lines[entry]
            XCTAssertTrue(line.hasPrefix(#"    {"chunks":[""#), line)
            lines[entry] = line.replacingOccurrences(of: String(repeating: "4", count: 64), with: replacement)
            XCTAssertNotEqual(lines[entry], line)
            try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try ManifestFile.read(url), replacement) { error in
                XCTAssertEqual((error as? BackupError)?.code, .corrupt, "\(error)")
            }
        }
    }

    /// Format 4 nested each delta's bases whole inside its reference.
    /// Chunk ids and hashes are held as 32-byte digests: a manifest whose id or stored hash is not 64
    /// hexadecimal digits is corrupt, whether it is read a line at a time or whole.
    func testAChunkIdThatIsNotAHexDigestIsCorrupt() throws {
        for (field, replacement) in [("id", String(repeating: "g", count: 64)), ("stored_sha256", "abc")] {
            let url = TestDatabases.temporaryDirectory().appendingPathComponent(ManifestFile.name)
            _ = try ManifestFile.write(sampleManifest(), to: url)
            var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            let first = try XCTUnwrap(lines.firstIndex(of: #"  "chunks" : ["#)) + 1
            let pattern = try NSRegularExpression(pattern: "\"\(field)\":\"[0-9a-f]{64}\"")
            let line = lines[first]
            lines[first] = pattern.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line),
                                                            withTemplate: "\"\(field)\":\"\(replacement)\"")
            XCTAssertNotEqual(lines[first], line, "\(field) was not replaced")
            let text = lines.joined(separator: "\n")
            try text.write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try ManifestFile.read(url), field) { error in
                XCTAssertEqual((error as? BackupError)?.code, .corrupt, field)
            }
            // Re-formatted on one line, so that it is decoded whole.
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
            try JSONSerialization.data(withJSONObject: object).write(to: url)
            XCTAssertThrowsError(try ManifestFile.read(url), field) { error in
                XCTAssertEqual((error as? BackupError)?.code, .corrupt, field)
            }
        }
    }

    func testAFormat4ManifestWithNestedDeltaBasesStillReads() throws {
        func reference(_ n: Int, _ bases: String = "") -> String {
            let id = String(repeating: String(n), count: 64)
            return #"{"codec":"\#(bases.isEmpty ? "gzip" : "zstd")","id":"\#(id)","location":"b\#(n)","offset":\#(n * 10),"pack":0,"size":\#(n * 100),"stored_sha256":"\#(String(repeating: "a", count: 64))","stored_size":\#(n * 50)\#(bases)}"#
        }
        let base = reference(1)
        let json = """
            {
              "backup_type" : "incremental", "chunk_hash" : "sha256", "completed_at" : "2026-11-20T10:00:01Z",
              "compression" : "gzip", "compression_level" : 4, "created_at" : "2026-11-20T10:00:00.250Z",
              "database_name" : "shop", "encryption" : "none", "engine" : "sqlite",
              "entries" : [ { "kind" : "database_image", "name" : "main", "chunks" : [ \(reference(2, #","delta_bases":[\#(base)]"#)), \(base) ] } ],
              "format" : "dbm-backup", "format_version" : 4, "id" : "b2", "logical_bytes" : 300, "parent_backup" : "b1",
              "server_version" : "3.46.1", "stored_bytes" : 100, "tables" : [ ]
            }
            """
        let url = TestDatabases.temporaryDirectory().appendingPathComponent(ManifestFile.name)
        try json.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertNil(try ManifestFile.readByLines(url))
        let manifest = try ManifestFile.read(url)
        XCTAssertEqual(manifest.formatVersion, 4)
        let chunks = try XCTUnwrap(manifest.entries.first?.chunks.array())
        XCTAssertEqual(chunks.map(\.location), ["b2", "b1"])
        XCTAssertEqual(chunks[0].deltaBases, [chunks[1]])
        XCTAssertEqual(chunks[0].offset, 20)
        XCTAssertEqual(try manifest.dependencies(), ["b1"])
        XCTAssertEqual(try ManifestFile.readHead(url).parentBackup, "b1")
        XCTAssertEqual(try ManifestFile.readHead(url).entries, [])
    }
}
