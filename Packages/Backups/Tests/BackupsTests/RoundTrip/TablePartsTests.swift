@testable import Backups
import DriverTestSupport
import Drivers
import Foundation
import XCTest

/// A large PostgreSQL table is dumped in parts (ranges of its primary key), read on several connections at
/// once, and restored whole and in order, with one summary for the table.
final class TablePartsTests: XCTestCase {
    func testALargeTableIsDumpedInPartsAndRestoresWhole() async throws {
        let source = try await TestDatabases.scratchDatabase(using: PostgreSQLDriver(), on: TestDatabases.postgres(), prefix: "dbm_bk_parts")
        let target = source.with(database: TestDatabases.uniqueName("dbm_bk_parts_r"))
        addTeardownBlock { await Fixtures.drop(source); await Fixtures.drop(target) }
        let db = try await Database.connect(source)
        _ = try await db.execute("CREATE TABLE item (code text PRIMARY KEY, n integer NOT NULL, note text)")
        _ = try await db.execute("INSERT INTO item SELECT 'item-' || lpad(i::text, 6, '0'), i, repeat('x', i % 50) FROM generate_series(1, 40000) i")
        _ = try await db.execute("CREATE TABLE small (id integer PRIMARY KEY)")
        _ = try await db.execute("INSERT INTO small VALUES (1), (2)")
        _ = try await db.execute("ANALYZE")
        await db.close()

        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, compression: .zstd))
        let record = try await PostgreSQLDumper.$partThreshold.withValue(64 * 1024) {
            try await manager.createBackup(of: source, params: CreateBackupParams())
        }
        let manifest = try StoredBackup.open(URL(fileURLWithPath: record.filePath), verify: true).manifest
        let parts = manifest.entries.filter { $0.name == "public.item" }
        XCTAssertEqual(parts.map(\.part), [0, 1], "the text-keyed table is split in two at its median")
        XCTAssertEqual(manifest.entries.filter { $0.name == "public.small" }.map(\.part), [nil], "a small table stays whole")
        XCTAssertEqual(manifest.tables.filter { $0.name == "item" }.map(\.rowCount), [40000], "one summary for the table's parts")
        // The checksum is taken over each row's COPY text: "1" and "2" for the small table.
        var small = RowChecksum()
        small.add(Array("1".utf8))
        small.add(Array("2".utf8))
        XCTAssertEqual(manifest.tables.first { $0.name == "small" }?.checksum, small.hex)

        let restored = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: target.url))
        XCTAssertNil(restored.notes, "COPY FREEZE was refused: \(restored.notes ?? [])")
        let expected = try await Fixtures.allRows(source)
        let actual = try await Fixtures.allRows(target)
        XCTAssertEqual(actual["public.item"]?.count, 40000)
        XCTAssertTrue(expected == actual, "rows differ after restoring a table dumped in parts")

        // The parts were loaded one after the other: the restored heap keeps the key order the source had
        // (two parts loaded at once interleave their pages, and a primary key's build sorts out of order).
        let check = try await Database.connect(target)
        let outOfOrder = try await check.scalar("""
            SELECT count(*) FROM (SELECT code, lag(code) OVER (ORDER BY ctid) AS previous FROM item) rows
            WHERE previous > code
            """)
        await check.close()
        XCTAssertEqual(outOfOrder, .integer(0), "rows of the parts are interleaved on disk")

        // The redump of the restored copy is in parts too; its merged checksums match the manifest's.
        let report = try await PostgreSQLDumper.$partThreshold.withValue(64 * 1024) {
            try await manager.validateBackup(ValidateBackupParams(backupPath: record.filePath, testRestore: true, connectionConfig: source))
        }
        XCTAssertTrue(report.valid && report.restoreTested, report.errors.joined(separator: "; "))
    }

    /// An incremental splits a table where its base did, even after ANALYZE moved the histogram's median:
    /// each part then starts at the same row as the base's, and its chunks line up for delta compression.
    /// When the base's split no longer casts to the key's type, the split falls back to the histogram and
    /// the backup still succeeds.
    func testAnIncrementalSplitsATableWhereItsBaseDid() async throws {
        let source = try await TestDatabases.scratchDatabase(using: PostgreSQLDriver(), on: TestDatabases.postgres(), prefix: "dbm_bk_split")
        addTeardownBlock { await Fixtures.drop(source) }
        let db = try await Database.connect(source)
        _ = try await db.execute("CREATE TABLE item (code text PRIMARY KEY, n integer NOT NULL, note text)")
        _ = try await db.execute("INSERT INTO item SELECT 'item-' || lpad(i::text, 6, '0'), i, repeat('x', i % 50) FROM generate_series(1, 40000) i")
        _ = try await db.execute("ANALYZE item")

        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, compression: .zstd))
        func backup(_ type: String) async throws -> (first: [String?], manifest: Manifest) {
            let record = try await PostgreSQLDumper.$partThreshold.withValue(64 * 1024) {
                try await manager.createBackup(of: source, params: CreateBackupParams(backupType: type))
            }
            let stored = try StoredBackup.open(URL(fileURLWithPath: record.filePath), verify: true)
            var first = [String?]()
            for entry in stored.manifest.entries where entry.name == "public.item" {
                var row: [UInt8]?
                try stored.reader(key: nil).frames(of: entry) { frame in if row == nil { row = frame.text } }
                first.append(row.flatMap { CopyText.field(0, of: $0) })
            }
            return (first, stored.manifest)
        }
        let full = try await backup("full")
        XCTAssertEqual(full.first.count, 2, "the table is dumped in two parts")
        let split = try XCTUnwrap(full.first.last ?? nil)

        // Twice as many rows, all after the old ones: the histogram's median moves to the old last row.
        _ = try await db.execute("INSERT INTO item SELECT 'item-' || lpad(i::text, 6, '0'), i, repeat('y', i % 50) FROM generate_series(40001, 80000) i")
        _ = try await db.execute("UPDATE item SET note = 'changed' WHERE n % 100 = 0")
        _ = try await db.execute("ANALYZE item")
        let median = try await db.scalar("SELECT (histogram_bounds::text::text[])[51] FROM pg_stats WHERE tablename = 'item' AND attname = 'code'")
        XCTAssertGreaterThan(median?.textRepresentation ?? "", "item-030000", "the new histogram would split elsewhere")

        let incremental = try await backup("incremental")
        XCTAssertEqual(incremental.manifest.backupType, .incremental)
        XCTAssertEqual(incremental.first, [full.first[0], split], "the incremental's second part starts at the base's")

        // The key becomes an integer: the base's split ('item-020001') no longer casts, so the histogram splits.
        _ = try await db.execute("ALTER TABLE item ALTER COLUMN code TYPE integer USING substr(code, 6)::integer")
        _ = try await db.execute("ANALYZE item")
        await db.close()
        let retyped = try await backup("incremental")
        XCTAssertEqual(retyped.first.count, 2, "split at the histogram's median instead")
        XCTAssertEqual(retyped.manifest.tables.first { $0.name == "item" }?.rowCount, 80000)
    }

    func testCopyTextFieldsDecodeEscapes() {
        let row = Array((#"a\\b\tc"# + "\t" + #"\N"# + "\t" + #"\101\x42\n"# + "\t" + "last").utf8)
        XCTAssertEqual(CopyText.field(0, of: row), "a\\b\tc", "an escaped backslash and an escaped tab")
        XCTAssertNil(CopyText.field(1, of: row), #"\N is NULL"#)
        XCTAssertEqual(CopyText.field(2, of: row), "AB\n", "octal, hexadecimal and newline escapes")
        XCTAssertEqual(CopyText.field(3, of: row), "last")
        XCTAssertNil(CopyText.field(4, of: row), "no fifth field")
    }

    func testMergedSummaryEqualsTheWholeTablesChecksum() {
        let rows = (0..<100).map { Array("row \($0)".utf8) }
        var whole = RowChecksum(), first = RowChecksum(), second = RowChecksum()
        for (index, row) in rows.enumerated() {
            whole.add(row)
            if index < 37 { first.add(row) } else { second.add(row) }
        }
        var merged = first
        merged.merge(second)
        XCTAssertEqual(Manifest.TableSummary(schema: "s", name: "t", rowCount: merged.count, checksum: merged.hex),
                       Manifest.TableSummary(schema: "s", name: "t", rowCount: 100, checksum: whole.hex))
    }
}
