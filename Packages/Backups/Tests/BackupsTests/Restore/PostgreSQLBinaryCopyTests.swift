@testable import Backups
import DriverTestSupport
import Drivers
import Foundation
import XCTest

/// A PostgreSQL restore rewrites the dump's COPY text rows in COPY's binary format, so the server parses no
/// text: every value must come back exactly, and a value the rewrite does not read must still load (as text).
final class PostgreSQLBinaryCopyTests: XCTestCase {
    /// Every type the rewrite reads, at its edges: NULLs, extremes, infinities, NaN, -0, denormals, BC dates,
    /// the largest timestamp and date, fractions, display scales, escapes in text, every byte in bytea, JSON;
    /// then 3,000 rows of values spread over each type's range. The restored rows' text equals the source's.
    func testEveryValueComesBackExactly() async throws {
        let source = try await TestDatabases.scratchDatabase(using: PostgreSQLDriver(), on: TestDatabases.postgres(), prefix: "dbm_bk_bin")
        let target = source.with(database: TestDatabases.uniqueName("dbm_bk_bin_r"))
        addTeardownBlock { await Fixtures.drop(source); await Fixtures.drop(target) }
        let db = try await Database.connect(source)
        try await db.executeScript(#"""
            CREATE TABLE edge (
              id integer PRIMARY KEY, b boolean, i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision,
              n numeric, n2 numeric(12,4), t text, v varchar(20), c char(5), nm name, j json, jb jsonb, by bytea,
              d date, ts timestamp, tz timestamptz, u uuid, gen integer GENERATED ALWAYS AS (i2 + 1) STORED
            );
            INSERT INTO edge (id) VALUES (1);
            INSERT INTO edge VALUES
              (2, true, -32768, -2147483648, -9223372036854775808, '-Infinity', '-Infinity', 'NaN', 0, '', '', '', '',
               'null', '[]', '\x', '-infinity', '-infinity', '-infinity', '00000000-0000-0000-0000-000000000000'),
              (3, false, 32767, 2147483647, 9223372036854775807, 'Infinity', 'Infinity', 'Infinity', -99999999.9999,
               E'tab\there\nnew\rline \\ back\\slash \b \f \v \\N', 'ünïcødé 😀', 'ab', 'a "name"',
               '{"a": [1, 2.5, "\u00e9"], "b": null}', '{"z": 1, "a": {"k": [true, false]}}', '\x000102090a0d5c7f80ff',
               'infinity', 'infinity', 'infinity', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'),
              (4, NULL, 0, 0, 0, '-0', '-0', '-Infinity', 0.0001, '\N', 'x', 'abcde', 'n', '1', '"s"', '\x5c4e',
               '0044-03-15 BC', '0044-03-15 12:34:56.789012 BC', '4713-01-01 00:00:00+00 BC', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
              (5, true, 1, 1, 1, 1.4e-45, 4.9e-324, 123456789012345678901234567890.123456789012345678901234567890, 12345678.9,
               'x', 'y', 'z', 'w', '{}', '{}', '\x', '5874897-12-31', '294276-12-31 23:59:59.999999',
               '2024-06-01 12:00:00+05:30', '12345678-9abc-def0-1234-56789abcdef0'),
              (6, false, -1, -1, -1, 3.4028235e38, 1.7976931348623157e308, -0.000000000000000000001, 1.5,
               'x', 'y', 'z', 'w', '0', '0', '\xff', '2024-02-29', '1999-12-31 23:59:59.5', '1970-01-01 00:00:00.000001+00',
               NULL),
              (7, NULL, NULL, NULL, NULL, 1.17549435e-38, 2.2250738585072014e-308, 1.5000, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, '2000-01-01', '2000-01-01 00:00:00', '2000-01-01 00:00:00+14', NULL),
              (8, NULL, NULL, NULL, NULL, 0.1, 0.1, 100000000, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               '0001-01-01', '0001-01-01 00:00:00 BC', '1901-12-13 20:45:52.000001-03:30', NULL),
              (9, NULL, NULL, NULL, NULL, NULL, NULL, 0.00, -0.0001, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               '1000-01-01', '10000-01-01 00:00:00', '9999-12-31 23:59:59.999999-12', NULL);
            UPDATE edge SET by = (SELECT string_agg(set_byte('\x00'::bytea, 0, g), ''::bytea ORDER BY g) FROM generate_series(0, 255) g) WHERE id = 5;
            INSERT INTO edge (id, b, i2, i4, i8, f4, f8, n, n2, t, v, c, nm, j, jb, by, d, ts, tz, u)
            SELECT 1000 + g, g % 3 = 0, (g * 37 % 65536 - 32768)::smallint, (g::bigint * 1234567 % 2147483647 * (1 - 2 * (g % 2)))::integer,
              (g::bigint * 982451653 * 1000003) % 9223372036854775807 * (1 - 2 * (g % 2)),
              (g * 1.1 / 3 * 10 ^ (g % 60 - 30))::real, g * pi() * 10 ^ (g % 600 - 300),
              (g::numeric * 7.123457) ^ (g % 5) * 10 ^ (g % 41 - 20), round(g * 3.14159, g % 5),
              md5(g::text) || E'\t' || repeat(E'\\', g % 3) || E'\n' || g, left(md5(g::text), g % 20), left(md5(g::text), g % 6),
              'n' || g, json_build_object('g', g, 'x', g * 0.5), jsonb_build_object('g', g, 's', md5(g::text)),
              decode(md5(g::text), 'hex'), date '4000-01-01 BC' + g * 1213 + g % 2 * 1000000,
              timestamp '1000-01-01 00:00:00 BC' + g * interval '1000000.123457 seconds' * (g % 97),
              timestamptz '1890-01-01 00:00:00+00' + g * interval '12345.678901 seconds' * (g % 89),
              md5(g::text)::uuid
            FROM generate_series(1, 3000) g;
            CREATE TABLE other (id integer PRIMARY KEY, span interval, tags text[]);
            INSERT INTO other VALUES (1, '1 day 02:03:04.5', '{a,"b c"}'), (2, NULL, NULL);
            """#)
        await db.close()

        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, compression: .gzip))
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        let restored = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: target.url))
        XCTAssertNil(restored.notes, "a table was not loaded as planned: \(restored.notes ?? [])")
        XCTAssertEqual(restored.rowsRestored, 3009 + 2)

        // The edge table took the binary path; a table with an interval and an array did not.
        let check = try await Database.connect(target)
        let targets = try await Restorer.copyTargets(check)
        await check.close()
        XCTAssertNotNil(targets["public.edge"]?.binary, "the edge table was not loaded in binary")
        XCTAssertEqual(targets["public.edge"]?.binary?.kinds.count, 20, "the generated column is not copied")
        XCTAssertNil(targets["public.other"]?.binary)
        XCTAssertNotNil(targets["public.other"], "a table without a binary form still loads with COPY FREEZE")

        for table in ["edge", "other"] {
            let expected = try await Self.rowTexts(source, table)
            let actual = try await Self.rowTexts(target, table)
            XCTAssertEqual(expected.count, table == "edge" ? 3009 : 2)
            XCTAssertEqual(actual.count, expected.count)
            for (want, got) in zip(expected, actual) where want != got { XCTFail("\(table): \(got) != \(want)") }
        }
    }

    /// A row the binary rewrite cannot read, or a binary COPY the server refuses, aborts that COPY; the
    /// table is then loaded again as text, whole, and a note says why.
    func testATableTheBinaryPathCannotLoadIsLoadedAsText() async throws {
        let source = try await TestDatabases.scratchDatabase(using: PostgreSQLDriver(), on: TestDatabases.postgres(), prefix: "dbm_bk_binfb")
        let target = source.with(database: TestDatabases.uniqueName("dbm_bk_binfb_r"))
        addTeardownBlock { await Fixtures.drop(source); await Fixtures.drop(target) }
        let db = try await Database.connect(source)
        _ = try await db.execute("CREATE TABLE pair (a integer, b text)")
        _ = try await db.execute("INSERT INTO pair SELECT g, 'row ' || g FROM generate_series(1, 5000) g")
        await db.close()
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, compression: .gzip))
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        _ = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: target.url))

        let backup = try StoredBackup.open(URL(fileURLWithPath: record.filePath), verify: true)
        let restorer = Restorer(backup: backup, key: nil, target: target, jobs: 1, progress: ProgressReporter(operation: "restore", handler: nil))
        let parts = Restorer.tables(backup.manifest.entries.filter { $0.kind == .tableData }).first { $0.first?.name == "public.pair" }
        let connection = try await restorer.open()
        let planned = try await Restorer.copyTargets(connection)
        let table = try XCTUnwrap(planned["public.pair"])
        XCTAssertEqual(table.binary?.kinds, [.int4, .text])
        let expected = try await Self.rowTexts(source, "pair")

        // Text read as an integer: the rewrite stops at the first row.
        let unreadable = Restorer.CopyTarget(qualified: table.qualified, copyStatement: table.copyStatement,
                                             binary: CopyBinaryRows(typeOIDs: [23, 23]))
        // Every value read, but as 8-byte integers the server's int4 input refuses.
        let refused = Restorer.CopyTarget(qualified: table.qualified, copyStatement: table.copyStatement,
                                          binary: CopyBinaryRows(typeOIDs: [20, 25]))
        for (plan, note) in [(unreadable, "does not read"), (refused, "was refused")] {
            try await restorer.copyTable(try XCTUnwrap(parts), connection: try XCTUnwrap(connection as? PostgreSQLConnection),
                                         targets: ["public.pair": plan])
            XCTAssertTrue(restorer.notes.all.last?.contains(note) == true, "\(restorer.notes.all)")
            let actual = try await Self.rowTexts(target, "pair")
            XCTAssertEqual(actual, expected, "the table loaded as text after the binary COPY failed differs")
        }
        await connection.close()

        // Errors that would fail the text load too end the restore instead of loading the table again.
        XCTAssertTrue(Restorer.refusesBinary(DatabaseError(.invalidValue, "incorrect binary data format", engineCode: "22P03")))
        XCTAssertTrue(Restorer.refusesBinary(DatabaseError(.other, "no binary input function", engineCode: "42883")))
        XCTAssertFalse(Restorer.refusesBinary(DatabaseError(.other, "could not extend file: No space left on device", engineCode: "53100")))
        XCTAssertFalse(Restorer.refusesBinary(DatabaseError(.other, "canceling statement due to lock timeout", engineCode: "55P03")))
        XCTAssertFalse(Restorer.refusesBinary(DatabaseError(.connectionLost, "server closed the connection")))
    }

    /// The rewrite reads only the forms PostgreSQL writes in dbm's dump sessions, and nothing else.
    func testTheRewriteRefusesFormsItDoesNotKnow() throws {
        let rows = try XCTUnwrap(CopyBinaryRows(typeOIDs: [20, 1700, 1082, 1114, 1184, 16, 2950, 17]))
        func encode(_ text: String) -> [UInt8]? {
            var out = [UInt8](repeating: 0, count: rows.capacity(forRowOf: text.utf8.count))
            let written = Array(text.utf8).withUnsafeBytes { row in out.withUnsafeMutableBytes { rows.encode(row, into: $0.baseAddress!) } }
            return written.map { Array(out[0..<$0]) }
        }
        let good = "-42\t-12.50\t2000-01-02\t2000-01-01 00:00:01.5\t2000-01-01 01:00:00+01\tt\t00000000-0000-0000-0000-00000000000a\t\\\\x0aff"
        let bytes = try XCTUnwrap(encode(good))
        var expected: [UInt8] = [0, 8]
        expected += [0, 0, 0, 8] + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xD6]  // -42
        expected += [0, 0, 0, 12] + [0, 2, 0, 0, 0x40, 0, 0, 2, 0, 12, 0x13, 0x88]  // -12.50: digits 12 and 5000
        expected += [0, 0, 0, 4] + [0, 0, 0, 1]  // one day after the epoch
        expected += [0, 0, 0, 8] + [0, 0, 0, 0, 0, 0x16, 0xE3, 0x60]  // 1.5 s
        expected += [0, 0, 0, 8] + [0, 0, 0, 0, 0, 0, 0, 0]  // 01:00 at +01 is the epoch
        expected += [0, 0, 0, 1, 1]
        expected += [0, 0, 0, 16] + [UInt8](repeating: 0, count: 15) + [10]
        expected += [0, 0, 0, 2, 0x0A, 0xFF]
        XCTAssertEqual(bytes, expected)
        XCTAssertEqual(encode("\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N"), [0, 8] + Array(repeating: [0xFF, 0xFF, 0xFF, 0xFF], count: 8).flatMap { $0 })

        let fields = good.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let unknown: [(Int, String)] = [
            (0, " 42"), (0, "42 "), (0, "+42"), (0, "9223372036854775808"), (0, ""), (0, "1e3"),
            (1, "1.5e3"), (1, "1."), (1, ".5"), (1, "nan"), (1, "-"), (1, "1,5"),
            (2, "2024-1-01"), (2, "24-01-01"), (2, "2024-13-01"), (2, "2024-01-01 AD"), (2, "Infinity"), (2, "2024-01-01 12:00:00"),
            (3, "2024-01-01 12:00"), (3, "2024-01-01T12:00:00"), (3, "2024-01-01 12:00:00.1234567"), (3, "2024-01-01 12:00:00+00"),
            (4, "2024-01-01 12:00:00"), (4, "2024-01-01 12:00:00 UTC"), (5, "true"), (5, "1"),
            (6, "{00000000-0000-0000-0000-000000000000}"), (6, "00000000000000000000000000000000"),
            (7, "\\\\x0"), (7, "\\\\xzz"), (7, "\\\\000"),
        ]
        for (index, value) in unknown {
            var row = fields
            row[index] = value
            XCTAssertNil(encode(row.joined(separator: "\t")), "read \(value) as column \(index)")
        }
        XCTAssertNil(encode(fields.dropLast().joined(separator: "\t")), "a row with a field missing")
        XCTAssertNil(encode(good + "\tx"), "a row with a field too many")
        XCTAssertEqual(CopyBinaryRows.julianDay(2000, 1, 1), CopyBinaryRows.epoch)
        XCTAssertEqual(CopyBinaryRows.julianDay(1970, 1, 1), 2_440_588)
        XCTAssertNil(CopyBinaryRows(typeOIDs: [23, 1186]), "interval has no binary form here")
    }

    /// Each row of a table as the server's text, ordered by the text.
    private static func rowTexts(_ configuration: ConnectionConfiguration, _ table: String) async throws -> [String] {
        let connection = try await Database.connect(configuration)
        defer { Task { await connection.close() } }
        return try await connection.query("SELECT r::text FROM \(table) r ORDER BY 1").rows.map { $0[0].textRepresentation ?? "NULL" }
    }
}
