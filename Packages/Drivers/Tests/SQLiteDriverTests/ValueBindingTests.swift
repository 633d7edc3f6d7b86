import SQLiteDriver
import XCTest

/// Every `DatabaseValue` case bound through the C API and read back from a column of the matching type.
final class ValueBindingTests: XCTestCase {
    private static let schema = """
        CREATE TABLE v (
            i INTEGER, d DOUBLE, n DECIMAL(20,4), t TEXT, b BLOB, f BOOLEAN, dt DATE, tm TIME,
            ts TIMESTAMP, tz TIMESTAMPTZ, j JSON, u UUID, x
        )
        """

    private func roundTrip(_ values: [DatabaseValue]) async throws -> Row {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute(Self.schema)
        let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
        _ = try await connection.execute("INSERT INTO v VALUES (\(placeholders))", .positional(values))
        let result = try await connection.query("SELECT * FROM v")
        XCTAssertEqual(result.rows.count, 1)
        return try XCTUnwrap(result.rows.first)
    }

    func testEveryValueCaseRoundTrips() async throws {
        let values: [DatabaseValue] = [
            .integer(Int64.max), .double(0.1), .decimal("12345.6789"), .text("héllo ✓ \u{1F600}"),
            .blob([0, 1, 127, 128, 255]), .bool(true), .date("2024-02-29"), .time("13:45:01.123456"),
            .timestamp("2024-02-29 13:45:01.5"), .timestampWithTimeZone("2024-02-29 13:45:01+05:30"),
            .json(#"{"a":[1,2,{"b":null}]}"#), .uuid("123e4567-e89b-12d3-a456-426614174000"), .null,
        ]
        let row = try await roundTrip(values)
        XCTAssertEqual(row.values, values)
        XCTAssertEqual(row.columns.map(\.type), [
            .integer, .double, .decimal, .text, .blob, .bool, .date, .time, .timestamp, .timestampWithTimeZone,
            .json, .uuid, .unknown,
        ])
        XCTAssertEqual(row.columns.map(\.nativeType).prefix(3), ["INTEGER", "DOUBLE", "DECIMAL(20,4)"])
    }

    func testExtremesAndEmptyValuesRoundTrip() async throws {
        let values: [DatabaseValue] = [
            .integer(Int64.min), .double(-.infinity), .decimal("-0.0001"), .text(""), .blob([]), .bool(false),
            .date("0001-01-01"), .time("23:59:59-08:00"), .timestamp("9999-12-31 23:59:59.999999"),
            .timestampWithTimeZone("1970-01-01 00:00:00-03"), .json("[]"), .uuid("00000000-0000-0000-0000-000000000000"),
            .text("x"),
        ]
        let row = try await roundTrip(values)
        XCTAssertEqual(row.values, values)
    }

    func testUntypedExpressionsReturnTheBoundStorageClass() async throws {
        let connection = try await SQLiteTest.open()
        let row = try await connection.query("SELECT ?, ?, ?, ?, ?, ?", [.integer(7), .double(2.5), .text("t"), .blob([9]), .null, .bool(true)]).rows[0]
        XCTAssertEqual(row.values, [.integer(7), .double(2.5), .text("t"), .blob([9]), .null, .integer(1)])
        XCTAssertEqual(row.columns.map(\.type), Array(repeating: .unknown, count: 6))
    }

    func testUppercaseUUIDIsStoredInCanonicalLowercase() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE u (id UUID)")
        _ = try await connection.execute("INSERT INTO u VALUES (?)", [.uuid("123E4567-E89B-12D3-A456-426614174000")])
        let actual1 = try await connection.scalar("SELECT id FROM u")
        XCTAssertEqual(actual1, .uuid("123e4567-e89b-12d3-a456-426614174000"))
        let actual2 = try await connection.scalar("SELECT typeof(id) || ':' || id FROM u")
        XCTAssertEqual(actual2, .text("text:123e4567-e89b-12d3-a456-426614174000"))
    }

    func testValuesSQLiteCannotStoreAreRefusedWithInvalidValue() async throws {
        let connection = try await SQLiteTest.open()
        let refused: [DatabaseValue] = [
            .array([.integer(1)]), .double(.nan), .decimal("12,5"), .decimal("1e"), .uuid("not-a-uuid"),
            .date("2024-13-01"), .date("29/02/2024"), .time("25:00:00"), .timestamp("2024-02-29T13:45:01"),
            .timestamp("2024-02-29 13:45:01+01:00"), .timestampWithTimeZone("2024-02-29 13:45:01"),
        ]
        for value in refused {
            let error = await assertThrowsDatabaseError(.invalidValue) { _ = try await connection.scalar("SELECT ?", [value]) }
            if case .array = value {} else if case .double = value {} else {
                let text = value.textRepresentation ?? ""
                XCTAssertFalse(error?.message.contains(text) ?? true, "the message must not repeat the value")
            }
        }
    }
}
