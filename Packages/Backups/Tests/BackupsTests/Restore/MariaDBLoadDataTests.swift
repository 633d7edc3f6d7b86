@testable import Backups
import DriverTestSupport
import Drivers
import Foundation
import XCTest

/// MariaDB restores stream rows with `LOAD DATA LOCAL INFILE`: every value must come back byte for byte.
final class MariaDBLoadDataTests: XCTestCase {
    /// Values that trip a naive text load: NULL next to empty strings and the text `\N` and `NULL`, tabs,
    /// newlines, backslashes, quotes, NUL and Ctrl-Z inside strings and bytes, every byte value in a blob,
    /// BIT, FLOAT/DOUBLE extremes, DECIMAL, temporal types with fractions and zero dates, ENUM/SET, JSON,
    /// geometry, a latin1 column, 4-byte UTF-8, a generated column and a column name with a backquote.
    func testLoadDataRestoresEdgeValuesExactly() async throws {
        let source = try await TestDatabases.scratchDatabase(using: MySQLDriver(), on: TestDatabases.mysql(), prefix: "dbm_bk_ld_src")
        let target = try TestDatabases.mysql().with(database: TestDatabases.uniqueName("dbm_bk_ld_dst"))
        defer { Task { await Fixtures.drop(source); await Fixtures.drop(target) } }
        let db = try await Database.connect(source)
        try await db.executeScript(#"""
            SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';
            CREATE TABLE edge (
              id int PRIMARY KEY,
              s varchar(100) NULL, t text NULL, l varchar(20) CHARACTER SET latin1 NULL,
              b varbinary(300) NULL, bl longblob NULL, fixed binary(4) NULL,
              bits bit(10) NULL, f float NULL, d double NULL, n decimal(30,10) NULL,
              dt datetime(6) NULL, ts timestamp(3) NULL, da date NULL, ti time(2) NULL, y year NULL,
              e enum('a','b c','') NULL, st set('x','y','z') NULL, j json NULL, g geometry NULL,
              `odd``name` int NULL, total int GENERATED ALWAYS AS (id * 2) VIRTUAL,
              KEY edge_s (s), UNIQUE KEY edge_n (n)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
            INSERT INTO edge (id, s, t, l, b, bl, fixed, bits, f, d, n, dt, ts, da, ti, y, e, st, j, g, `odd``name`) VALUES
              (1, NULL, '', NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              (2, '', NULL, '', NULL, '', X'00000000', b'0', 0, -0, 0, '0000-00-00 00:00:00', NULL, '0000-00-00', '00:00:00', 0, '', '', '{}', NULL, 0),
              (3, '\\N', 'NULL', 'caf\xE9', X'5C4E', X'000102090A0D1A225C27', X'5C094E0A', b'1111111111', 3.4028235e38, 1.7976931348623157e308,
               '-12345678901234567890.0123456789', '2024-02-29 23:59:59.999999', '2038-01-19 03:14:07.999', '9999-12-31', '-838:59:59.00', 2155,
               'b c', 'x,z', '{"a": "tab\\tnl\\nq\\"", "n": null}', ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))', 4326), -1),
              (4, 'tab\there\nnew\rline', 'back\\slash \'quote\' "dq" \0nul \Zctrlz', 'ÀÿØ', X'09', X'0A', NULL, b'1', 1.17549435e-38, 4.9e-324,
               '0.0000000001', '1000-01-01 00:00:00.000001', '1970-01-01 00:00:01.000', '1000-01-01', '838:59:59.99', 1901,
               'a', 'x,y,z', '[1, 2.5, "\\u00e9"]', POINT(1.5, -2.25), 2147483647),
              (5, '😀 emoji 𝄞', REPEAT('long ', 20000), 'x', X'FF', NULL, X'FFFFFFFF', b'1000000000', -1.1, 0.1, '99999999999999999999.9999999999',
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ST_GeomFromText('MULTILINESTRING((0 0,1 1),(2 2,3 3))'), NULL);
            """#)
        // Every byte value 0...255 in one blob.
        _ = try await db.execute("UPDATE edge SET bl = UNHEX(?) WHERE id = 5", [.text((0...255).map { String(format: "%02X", $0) }.joined())])
        await db.close()

        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, compression: .gzip))
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        let restored = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: target.url))
        XCTAssertNil(restored.notes, "a table fell back to INSERTs: \(restored.notes ?? [])")
        XCTAssertEqual(restored.rowsRestored, 5)

        let expected = try await Self.exactRows(source)
        let actual = try await Self.exactRows(target)
        XCTAssertEqual(expected.count, 5)
        for (want, got) in zip(expected, actual) { XCTAssertEqual(got, want) }
        try await Self.assertTuplesAreTheServersQuote(record, table: "edge", source: source)
        let restoredTable = try await Self.createTable(target)
        let sourceTable = try await Self.createTable(source)
        XCTAssertEqual(restoredTable, sourceTable)
    }

    /// Text in several character sets in one table (latin1 beside cp1251 or utf8mb4, utf8mb3 beside
    /// utf8mb4, which `CONCAT` on the server refuses to mix): every value comes back with the same bytes in
    /// the same character set, and the dumped tuples are the ones `QUOTE()` makes.
    func testTextInSeveralCharacterSetsRestoresExactly() async throws {
        let source = try await TestDatabases.scratchDatabase(using: MySQLDriver(), on: TestDatabases.mysql(), prefix: "dbm_bk_cs_src")
        let target = try TestDatabases.mysql().with(database: TestDatabases.uniqueName("dbm_bk_cs_dst"))
        defer { Task { await Fixtures.drop(source); await Fixtures.drop(target) } }
        let db = try await Database.connect(source)
        try await db.executeScript("""
            CREATE TABLE uni_latin (id int PRIMARY KEY, u varchar(20) CHARACTER SET utf8mb4, l varchar(20) CHARACTER SET latin1,
              e enum('é','x') CHARACTER SET latin1);
            CREATE TABLE only_latin (id int PRIMARY KEY, l varchar(20) CHARACTER SET latin1, t text CHARACTER SET latin1);
            CREATE TABLE latin_cyrillic (id int PRIMARY KEY, l varchar(20) CHARACTER SET latin1, c varchar(20) CHARACTER SET cp1251);
            CREATE TABLE mb3_mb4 (id int PRIMARY KEY, m varchar(20) CHARACTER SET utf8mb3, u varchar(20) CHARACTER SET utf8mb4);
            INSERT INTO uni_latin VALUES (1, '😀 ü', 'café ÿ', 'é'), (2, NULL, 'a b''c', 'x');
            INSERT INTO only_latin VALUES (1, 'ÀÿØ', 'naïve €'), (2, '', NULL);
            INSERT INTO latin_cyrillic VALUES (1, 'café', 'Привет'), (2, 'x''y', NULL);
            INSERT INTO mb3_mb4 VALUES (1, 'naïve ü', '𝄞 😀'), (2, 'ß', '');
            """)
        await db.close()

        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path))
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        let restored = try await manager.restoreBackup(RestoreBackupParams(backupPath: record.filePath, targetDatabase: target.url))
        XCTAssertNil(restored.notes, "a table fell back to INSERTs: \(restored.notes ?? [])")
        XCTAssertEqual(restored.rowsRestored, 8)
        let tables = ["uni_latin": ["u", "l", "e"], "only_latin": ["l", "t"], "latin_cyrillic": ["l", "c"], "mb3_mb4": ["m", "u"]]
        for (table, columns) in tables {
            let sql = "SELECT CONCAT_WS('|', id, " + columns.map { "IFNULL(HEX(\($0)), 'null'), IFNULL(CHARSET(\($0)), '-')" }.joined(separator: ", ")
                + ") FROM \(table) ORDER BY id"
            let want = try await Self.rows(sql, source), got = try await Self.rows(sql, target)
            XCTAssertEqual(want.count, 2, table)
            XCTAssertEqual(got, want, table)
            try await Self.assertTuplesAreTheServersQuote(record, table: table, source: source)
        }
    }

    /// The row tuples a backup holds for `table` are byte for byte the ones the server writes with
    /// `CONCAT('(', QUOTE(a), ',', ..., ')')`: the format of every earlier MariaDB backup, so row
    /// checksums and chunks stay comparable across versions.
    static func assertTuplesAreTheServersQuote(_ record: BackupRecord, table: String, source: ConnectionConfiguration,
                                               file: StaticString = #filePath, line: UInt = #line) async throws {
        let backup = try StoredBackup.open(URL(fileURLWithPath: record.filePath), verify: true)
        let entry = try XCTUnwrap(backup.manifest.entries.first { $0.kind == .tableData && $0.name == table }, file: file, line: line)
        var dumped = [String]()
        try backup.reader(key: nil).frames(of: entry) { frame in
            if frame.kind == .row { dumped.append(frame.text.map { String(format: "%02X", $0) }.joined()) }
        }

        let db = try await Database.connect(source)
        defer { Task { await db.close() } }
        let columns = try await db.query("""
            SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
              AND EXTRA NOT LIKE '%VIRTUAL%' AND EXTRA NOT LIKE '%STORED%' AND EXTRA NOT LIKE '%PERSISTENT%' ORDER BY ORDINAL_POSITION
            """, [.text(table)]).rows.map { ($0[0].textRepresentation ?? "", ($0[1].textRepresentation ?? "").lowercased()) }
        let literals = columns.map { name, type -> String in
            let c = Dialect.mysql.quote(name)
            if MySQLDumper.binaryTypes.contains(type) { return "IF(\(c) IS NULL, 'NULL', CONCAT('X''', HEX(\(c)), ''''))" }
            if type == "bit" { return "IF(\(c) IS NULL, 'NULL', CAST(\(c) + 0 AS CHAR))" }
            if type == "float" { return "IF(\(c) IS NULL, 'NULL', CAST(CAST(\(c) AS DOUBLE) AS CHAR))" }
            return "CONVERT(QUOTE(\(c)) USING utf8mb4)"
        }
        let sql = "SELECT HEX(CONCAT('(', \(literals.joined(separator: ", ',', ")), ')')) FROM \(Dialect.mysql.quote(table)) ORDER BY id"
        let expected = try await db.query(sql).rows.map { $0[0].textRepresentation ?? "" }
        XCTAssertEqual(expected.count, dumped.count, table, file: file, line: line)
        XCTAssertEqual(dumped, expected, table, file: file, line: line)
    }

    /// Large InnoDB tables load with their automatic statistics recalculation off (a background thread
    /// otherwise spent most of a core recalculating them during a 1 GiB load), and get their own setting back
    /// afterwards, explicit or not, with statistics that count the loaded rows. Tables not named large, tables
    /// that never recalculate and other engines are left alone.
    func testLargeTablesLoadWithStatisticsPausedAndGetTheirSettingBack() async throws {
        let target = try await TestDatabases.scratchDatabase(using: MySQLDriver(), on: TestDatabases.mysql(), prefix: "dbm_bk_stats")
        defer { Task { await Fixtures.drop(target) } }
        let db = try await Database.connect(target)
        defer { Task { await db.close() } }
        try await db.executeScript("""
            CREATE TABLE plain (id int PRIMARY KEY) ENGINE=InnoDB;
            CREATE TABLE recalc_on (id int PRIMARY KEY) ENGINE=InnoDB STATS_AUTO_RECALC=1;
            CREATE TABLE recalc_off (id int PRIMARY KEY) ENGINE=InnoDB STATS_AUTO_RECALC=0;
            CREATE TABLE small (id int PRIMARY KEY) ENGINE=InnoDB;
            CREATE TABLE other_engine (id int PRIMARY KEY) ENGINE=MyISAM;
            """)
        func options() async throws -> [String: String] {
            var options = [String: String]()
            for row in try await db.query(
                "SELECT TABLE_NAME, CREATE_OPTIONS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()").rows {
                options[row[0].textRepresentation ?? ""] = (row[1].textRepresentation ?? "").lowercased()
            }
            return options
        }
        let before = try await options()
        let large: Set<String> = ["plain", "recalc_on", "recalc_off", "other_engine"]
        let context = try await MySQLLoadContext.prepare(db, notes: RestoreNotes(), large: large)
        let during = try await options()
        for table in ["plain", "recalc_on", "recalc_off"] { XCTAssertEqual(during[table], "stats_auto_recalc=0", table) }
        XCTAssertEqual(during["small"], before["small"])
        XCTAssertEqual(during["other_engine"], before["other_engine"])

        _ = try await db.execute("INSERT INTO plain SELECT seq FROM seq_1_to_5000")
        for table in large.union(["small"]) { try await context.resumeStatistics(of: table, on: db) }
        let after = try await options()
        XCTAssertEqual(after, before, "every table has its own setting back")
        let counted = try await db.query(
            "SELECT n_rows FROM mysql.innodb_table_stats WHERE database_name = DATABASE() AND table_name = 'plain'").rows
        XCTAssertEqual(counted.first?[0].textRepresentation, "5000", "the statistics count the loaded rows")
    }

    /// A restore that pauses the statistics of every table (the threshold lowered to 0 bytes) gives every
    /// table back exactly the definition it was dumped with, its statistics counting the restored rows.
    func testARestoreWithStatisticsPausedGivesBackEachTablesDefinition() async throws {
        let source = try await TestDatabases.scratchDatabase(using: MySQLDriver(), on: TestDatabases.mysql(), prefix: "dbm_bk_pause_src")
        let target = try TestDatabases.mysql().with(database: TestDatabases.uniqueName("dbm_bk_pause_dst"))
        defer { Task { await Fixtures.drop(source); await Fixtures.drop(target) } }
        let db = try await Database.connect(source)
        try await db.executeScript("""
            CREATE TABLE parent (id int PRIMARY KEY, name varchar(20) NOT NULL) ENGINE=InnoDB STATS_AUTO_RECALC=1;
            CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL, KEY child_parent (parent_id),
              FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;
            INSERT INTO parent SELECT seq, CONCAT('p', seq) FROM seq_1_to_300;
            INSERT INTO child SELECT seq, 1 + seq % 300 FROM seq_1_to_3000;
            """)
        await db.close()
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path, compression: .gzip))
        let record = try await manager.createBackup(of: source, params: CreateBackupParams())
        var restorer = Restorer(backup: try StoredBackup.open(URL(fileURLWithPath: record.filePath), verify: true), key: nil,
                                target: target, jobs: 2, progress: ProgressReporter(operation: "restore", handler: nil))
        restorer.statisticsPauseBytes = 0
        _ = try await restorer.run()
        XCTAssertEqual(restorer.notes.all, [])
        for table in ["parent", "child"] {
            let restored = try await Self.rows("SHOW CREATE TABLE \(table)", target, column: 1)
            let original = try await Self.rows("SHOW CREATE TABLE \(table)", source, column: 1)
            XCTAssertEqual(restored, original, table)
        }
        let counted = try await Self.rows(
            "SELECT CONCAT(table_name, ' ', n_rows) FROM mysql.innodb_table_stats WHERE database_name = DATABASE() ORDER BY table_name", target)
        XCTAssertEqual(counted, ["child 3000", "parent 300"])
    }

    private static func rows(_ sql: String, _ configuration: ConnectionConfiguration, column: Int = 0) async throws -> [String] {
        let db = try await Database.connect(configuration)
        defer { Task { await db.close() } }
        return try await db.query(sql).rows.map { $0[column].textRepresentation ?? "" }
    }

    /// dbm's `QUOTE()` escapes each special byte wherever it falls in the eight-byte scan, and nothing else.
    func testQuoteEscapesEverySpecialByteAtEveryPosition() {
        func quote(_ bytes: [UInt8]) -> [UInt8] {
            var out = [UInt8]()
            bytes.withUnsafeBytes { SQLQuote.append($0, to: &out) }
            return out
        }
        func reference(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [0x27]
            for byte in bytes {
                switch byte {
                case 0x5C: out += [0x5C, 0x5C]
                case 0x27: out += [0x5C, 0x27]
                case 0: out += [0x5C, 0x30]
                case 0x1A: out += [0x5C, 0x5A]
                default: out.append(byte)
                }
            }
            return out + [0x27]
        }
        XCTAssertEqual(quote([]), [0x27, 0x27])
        let plain = Array("naïve text, 😀, \"quotes\" and tabs\t here".utf8)
        XCTAssertEqual(quote(plain), reference(plain))
        for special: UInt8 in [0x5C, 0x27, 0, 0x1A] {
            for position in 0..<plain.count {
                var bytes = plain
                bytes[position] = special
                XCTAssertEqual(quote(bytes), reference(bytes), "byte \(special) at \(position)")
            }
        }
        let everyByte = (0...255).map(UInt8.init)
        XCTAssertEqual(quote(everyByte + everyByte), reference(everyByte + everyByte))
    }

    /// The converter refuses a value of a shape it was not planned for, instead of guessing.
    func testFeedRefusesUnexpectedLiterals() throws {
        func line(_ row: String, _ modes: [MySQLLoadPlan.ColumnMode]) throws -> String {
            var out = [UInt8]()
            try Array(row.utf8).withUnsafeBufferPointer { try LoadDataFeed.appendLine(row: $0, modes: modes, to: &out) }
            return String(decoding: out, as: UTF8.self)
        }
        XCTAssertEqual(try line(#"('a\tb',NULL,'',X'00FF',5,'\\N')"#.replacingOccurrences(of: "\\t", with: "\t"), [.text, .text, .text, .hex, .bit, .text]),
                       "a\\tb\t\\N\t\t00FF\t5\t\\\\N\n")
        XCTAssertEqual(try line("('it\\'s','x''y','l1\nl2')", [.text, .text, .text]), "it\\'s\tx'y\tl1\\nl2\n")
        XCTAssertThrowsError(try line("('a')", [.hex]))
        XCTAssertThrowsError(try line("(X'00')", [.text]))
        XCTAssertThrowsError(try line("(_binary'a')", [.text]))
        XCTAssertThrowsError(try line("('a','b')", [.text]))
        XCTAssertThrowsError(try line("('a')", [.text, .text]))
        XCTAssertThrowsError(try line("('a)", [.text]))
        XCTAssertEqual(MySQLLoadPlan.columnNames(insertPrefix: "INSERT INTO `t` (`a`, `b``c`) VALUES ", table: "t"), ["a", "b`c"])
        XCTAssertNil(MySQLLoadPlan.columnNames(insertPrefix: "INSERT INTO `t` VALUES ", table: "t"))
    }

    /// Every column of `edge` as exact text: bytes as hex, floating point at full precision.
    private static func exactRows(_ configuration: ConnectionConfiguration) async throws -> [String] {
        let columns = ["s", "t", "l", "b", "bl", "fixed", "bits", "n", "dt", "ts", "da", "ti", "y", "e", "st", "j", "g", "`odd``name`", "total"]
        let hexed = columns.map { "IFNULL(HEX(\($0)), 'null')" }.joined(separator: ", '|', ")
        let sql = "SELECT CONCAT_WS('|', id, \(hexed), IFNULL(CAST(f AS DOUBLE), 'null'), IFNULL(d, 'null'), IFNULL(CHARSET(l), '-')) FROM edge ORDER BY id"
        return try await rows(sql, configuration)
    }

    private static func createTable(_ configuration: ConnectionConfiguration) async throws -> String {
        let db = try await Database.connect(configuration)
        defer { Task { await db.close() } }
        let text = try await db.query("SHOW CREATE TABLE edge").rows.first?[1].textRepresentation ?? ""
        return text.replacingOccurrences(of: #" AUTO_INCREMENT=\d+"#, with: "", options: .regularExpression)
    }
}
