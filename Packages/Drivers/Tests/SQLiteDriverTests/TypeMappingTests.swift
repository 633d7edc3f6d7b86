import SQLiteDriver
import XCTest

/// Declared types decide the mapping; values that do not fit their declared type come back as stored.
final class TypeMappingTests: XCTestCase {
    func testDeclaredTypeNamesMapToColumnTypes() async throws {
        let connection = try await SQLiteTest.open()
        let declared: [(String, ColumnType)] = [
            ("INTEGER", .integer), ("BIGINT UNSIGNED", .integer), ("TINYINT", .integer), ("int4", .integer),
            ("REAL", .double), ("FLOAT", .double), ("DOUBLE PRECISION", .double),
            ("NUMERIC", .decimal), ("DECIMAL(10,2)", .decimal), ("numeric(38, 10)", .decimal),
            ("TEXT", .text), ("VARCHAR(20)", .text), ("NVARCHAR(160)", .text), ("CLOB", .text), ("CHARACTER(2)", .text),
            ("BLOB", .blob), ("BOOLEAN", .bool), ("bool", .bool),
            ("DATE", .date), ("TIME", .time), ("DATETIME", .timestamp), ("TIMESTAMP", .timestamp),
            ("TIMESTAMP WITH TIME ZONE", .timestampWithTimeZone), ("TIMESTAMPTZ", .timestampWithTimeZone),
            ("JSON", .json), ("UUID", .uuid), ("STRING", .unknown),
        ]
        let columns = declared.enumerated().map { "c\($0.offset) \($0.element.0)" }.joined(separator: ", ")
        _ = try await connection.execute("CREATE TABLE t (\(columns))")
        let result = try await connection.query("SELECT * FROM t")
        XCTAssertEqual(result.columns.map(\.type), declared.map(\.1))
        XCTAssertEqual(result.columns.map(\.nativeType), declared.map(\.0))
    }

    func testValuesThatDoNotFitTheirDeclaredTypeComeBackAsStored() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (i INTEGER, f BOOLEAN, d DATE, ts DATETIME, u UUID, n NUMERIC, b BLOB, j JSON)")
        // Written as literals so SQLite, not the driver, decides the storage class.
        _ = try await connection.execute("""
            INSERT INTO t VALUES ('abc', 2, 'yesterday', 1700000000, X'00112233', 'n/a', 'text in blob', X'7B7D')
            """)
        let row = try await connection.query("SELECT * FROM t").rows[0]
        XCTAssertEqual(row.values, [
            .text("abc"), .integer(2), .text("yesterday"), .integer(1_700_000_000), .blob([0x00, 0x11, 0x22, 0x33]),
            .text("n/a"), .text("text in blob"), .blob([0x7B, 0x7D]),
        ])
        // Written back through the driver, each value is stored exactly as before.
        _ = try await connection.execute("CREATE TABLE copy AS SELECT * FROM t WHERE 0")
        _ = try await connection.execute("INSERT INTO copy VALUES (?, ?, ?, ?, ?, ?, ?, ?)", .positional(row.values))
        let same = try await connection.scalar("SELECT count(*) FROM t JOIN copy USING (i, f, d, ts, u, n, b, j)")
        XCTAssertEqual(same, .integer(1))
    }

    func testTemporalColumnsReturnWhicheverCanonicalFormTheTextHas() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (ts DATETIME)")
        for text in ["2021-01-01 00:00:00", "2021-01-01", "2021-01-01 10:00:00.123+02:00", "2021-01-01T00:00:00Z"] {
            _ = try await connection.execute("INSERT INTO t VALUES (?)", [.text(text)])
        }
        let values = try await connection.query("SELECT ts FROM t ORDER BY rowid").rows.map { $0[0] }
        XCTAssertEqual(values, [
            .timestamp("2021-01-01 00:00:00"), .date("2021-01-01"),
            .timestampWithTimeZone("2021-01-01 10:00:00.123+02:00"), .text("2021-01-01T00:00:00Z"),
        ])
    }

    func testDecimalColumnsReadAsExactText() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (n NUMERIC(10,2), exact DECIMAL TEXT)")
        _ = try await connection.execute("INSERT INTO t VALUES (?, ?)", [.decimal("1.98"), .decimal("12345678901234567890.123456789")])
        _ = try await connection.execute("INSERT INTO t VALUES (0.1 + 0.2, NULL), (42, NULL), (1e20, NULL), (0.00001, NULL)")
        let values = try await connection.query("SELECT n, exact FROM t ORDER BY rowid").rows.map(\.values)
        XCTAssertEqual(values, [
            // A DECIMAL TEXT column has TEXT affinity, so SQLite keeps every digit.
            [.decimal("1.98"), .decimal("12345678901234567890.123456789")],
            // REAL values print with the shortest digits that read back as the same double, never an exponent.
            [.decimal("0.30000000000000004"), .null],
            [.decimal("42"), .null],
            [.decimal("100000000000000000000"), .null],
            [.decimal("0.00001"), .null],
        ])
    }

    func testIntegersAreExactAndOverflowingIntegersReadAsDecimalText() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (u BIGINT UNSIGNED)")
        _ = try await connection.execute("INSERT INTO t VALUES (?), (?), (9223372036854775808)", [.integer(Int64.max), .integer(Int64.min)])
        let values = try await connection.query("SELECT u FROM t ORDER BY rowid").rows.map { $0[0] }
        XCTAssertEqual(values, [
            .integer(9_223_372_036_854_775_807), .integer(-9_223_372_036_854_775_808),
            // SQLite itself stores an integer beyond Int64 as REAL; it is read back as integral decimal text.
            .decimal("9223372036854775808"),
        ])
    }

    func testBooleansAndJSONScalars() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (f BOOLEAN, j JSON)")
        _ = try await connection.execute("INSERT INTO t VALUES (?, ?), (?, ?)", [.bool(true), .json("5"), .bool(false), .json("\"s\"")])
        let values = try await connection.query("SELECT f, j, typeof(f) FROM t ORDER BY rowid").rows.map(\.values)
        XCTAssertEqual(values, [[.bool(true), .json("5"), .text("integer")], [.bool(false), .json("\"s\""), .text("integer")]])
    }
}
