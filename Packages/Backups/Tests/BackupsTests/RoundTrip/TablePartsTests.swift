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
