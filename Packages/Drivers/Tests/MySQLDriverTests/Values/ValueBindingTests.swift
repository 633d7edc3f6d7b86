import DriverTestSupport
import MySQLDriver
import XCTest

/// Every `DatabaseValue` case, bound as a parameter and read back from a column of the matching type.
final class ValueBindingTests: MySQLTestCase {
    /// (column type, bound value, value read back)
    private let cases: [(String, DatabaseValue, DatabaseValue)] = [
        ("BIGINT", .integer(Int64.min), .integer(Int64.min)),
        ("BIGINT", .integer(Int64.max), .integer(Int64.max)),
        ("DOUBLE", .double(0.1), .double(0.1)),
        ("DOUBLE", .double(-1.7976931348623157e308), .double(-1.7976931348623157e308)),
        ("DECIMAL(65,30)", .decimal("12345678901234567890123456789012345.123456789012345678901234567891"),
         .decimal("12345678901234567890123456789012345.123456789012345678901234567891")),
        ("BIGINT UNSIGNED", .decimal("18446744073709551615"), .decimal("18446744073709551615")),
        ("TEXT", .text("héllo ☃ 𝄞 'quoted' \\ \"double\""), .text("héllo ☃ 𝄞 'quoted' \\ \"double\"")),
        ("TEXT", .text(""), .text("")),
        ("BLOB", .blob([0, 1, 2, 255, 0x27, 0x5c, 0]), .blob([0, 1, 2, 255, 0x27, 0x5c, 0])),
        ("BLOB", .blob([]), .blob([])),
        ("BOOLEAN", .bool(true), .bool(true)),
        ("BOOLEAN", .bool(false), .bool(false)),
        ("DATE", .date("2024-02-29"), .date("2024-02-29")),
        ("TIME(6)", .time("-838:59:59.000000"), .time("-838:59:59.000000")),
        ("TIME(6)", .time("13:14:15.123456"), .time("13:14:15.123456")),
        ("DATETIME(6)", .timestamp("1999-12-31 23:59:59.999999"), .timestamp("1999-12-31 23:59:59.999999")),
        ("DATETIME", .timestamp("2024-01-02T03:04:05"), .timestamp("2024-01-02 03:04:05")),
        ("TIMESTAMP(3)", .timestampWithTimeZone("2024-01-01 01:30:00.250+02:00"),
         .timestampWithTimeZone("2023-12-31 23:30:00.250+00:00")),
        ("TIMESTAMP", .timestampWithTimeZone("2024-06-30 12:00:00Z"), .timestampWithTimeZone("2024-06-30 12:00:00+00:00")),
        ("JSON", .json(#"{"a": [1, 2, {"b": null}], "s": "x'y"}"#), .json(#"{"a": [1, 2, {"b": null}], "s": "x'y"}"#)),
        ("UUID", .uuid("123e4567-e89b-12d3-a456-426614174000"), .uuid("123e4567-e89b-12d3-a456-426614174000")),
        ("TEXT", .null, .null),
    ]

    func testEveryValueCaseRoundTripsThroughAColumn() async throws {
        try await withScratchConnection { connection in
            for (index, (type, bound, expected)) in cases.enumerated() {
                let table = "t\(index)"
                _ = try await connection.execute("CREATE TABLE \(table) (v \(type) NULL)")
                _ = try await connection.execute("INSERT INTO \(table) VALUES (?)", [bound])
                let viaText = try await connection.scalar("SELECT v FROM \(table)")
                let viaPrepared = try await connection.scalar("SELECT v FROM \(table) WHERE ? = 1", [.integer(1)])
                XCTAssertEqual(viaText, expected, "\(type) through the text protocol")
                XCTAssertEqual(viaPrepared, expected, "\(type) through a prepared statement")
            }
        }
    }

    func testEveryValueCaseBindsAsASelectedParameter() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let row = try await connection.query(
            "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?",
            [.null, .integer(-5), .double(2.5), .decimal("1.10"), .text("t"), .blob([9, 8]), .bool(true),
             .date("2020-01-02"), .time("10:11:12.5"), .timestamp("2020-01-02 03:04:05"),
             .timestampWithTimeZone("2020-01-02 03:04:05-01:00"), .json("[1]"), .uuid("00000000-0000-0000-0000-000000000001")]
        ).rows[0]
        XCTAssertEqual(row[0], .null)
        XCTAssertEqual(row[1], .integer(-5))
        XCTAssertEqual(row[2], .double(2.5))
        XCTAssertEqual(row[3], .decimal("1.10"))
        XCTAssertEqual(row[4], .text("t"))
        XCTAssertEqual(row[5], .blob([9, 8]))
        XCTAssertEqual(row[6], .integer(1), "a bound bool is TINYINT 1; SELECT ? widens it to BIGINT")
        XCTAssertEqual(row[7], .date("2020-01-02"))
        XCTAssertEqual(row[8], .time("10:11:12.500000"))
        XCTAssertEqual(row[9], .timestamp("2020-01-02 03:04:05"))
        XCTAssertEqual(row[10], .timestamp("2020-01-02 04:04:05"), "converted to UTC")
        XCTAssertEqual(row[11], .text("[1]"))
        XCTAssertEqual(row[12], .text("00000000-0000-0000-0000-000000000001"))
        await connection.close()
    }

    func testArrayIsRefusedAsInvalidValue() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let error = await assertThrows(.invalidValue) {
            _ = try await connection.scalar("SELECT ?", [.array([.integer(1)])])
        }
        XCTAssertTrue(error?.message.contains("array") == true)
        let still = try await connection.scalar("SELECT 1")
        XCTAssertEqual(still, .integer(1))
        await connection.close()
    }

    func testNonFiniteDoubleIsRefusedAsInvalidValue() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        await assertThrows(.invalidValue) { _ = try await connection.scalar("SELECT ?", [.double(.nan)]) }
        await assertThrows(.invalidValue) { _ = try await connection.scalar("SELECT ?", [.double(.infinity)]) }
        await connection.close()
    }

    func testMalformedTemporalTextIsRefusedWithoutEchoingIt() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let error = await assertThrows(.invalidValue) {
            _ = try await connection.scalar("SELECT ?", [.date("secret-ish")])
        }
        XCTAssertFalse(error?.message.contains("secret") ?? true)
        await assertThrows(.invalidValue) { _ = try await connection.scalar("SELECT ?", [.time("10:00:00+02:00")]) }
        await assertThrows(.invalidValue) { _ = try await connection.scalar("SELECT ?", [.timestamp("2020-01-01 00:00:00.1234567")]) }
        await connection.close()
    }
}
