import PostgreSQLDriver
import XCTest

final class TypeMappingTests: XCTestCase {
    /// A literal of a native type, the column description it must get, and the value it must read as.
    struct Case {
        var literal: String
        var nativeType: String
        var type: ColumnType
        var value: DatabaseValue
    }

    static let cases: [Case] = [
        Case(literal: "int2 '-32768'", nativeType: "int2", type: .integer, value: .integer(-32768)),
        Case(literal: "int4 '2147483647'", nativeType: "int4", type: .integer, value: .integer(2_147_483_647)),
        Case(literal: "int8 '-9223372036854775808'", nativeType: "int8", type: .integer, value: .integer(.min)),
        Case(literal: "int8 '9223372036854775807'", nativeType: "int8", type: .integer, value: .integer(.max)),
        Case(literal: "oid '4294967295'", nativeType: "oid", type: .integer, value: .integer(4_294_967_295)),
        Case(literal: "xid8 '18446744073709551615'", nativeType: "xid8", type: .integer, value: .decimal("18446744073709551615")),
        Case(literal: "numeric '-12345678901234567890123456789.0123456789012345678900'", nativeType: "numeric",
             type: .decimal, value: .decimal("-12345678901234567890123456789.0123456789012345678900")),
        Case(literal: "numeric 'NaN'", nativeType: "numeric", type: .decimal, value: .decimal("NaN")),
        Case(literal: "float4 '3.4028235e38'", nativeType: "float4", type: .double, value: .double(3.4028235e38)),
        Case(literal: "float4 '0.1'", nativeType: "float4", type: .double, value: .double(0.1)),
        Case(literal: "float8 '-Infinity'", nativeType: "float8", type: .double, value: .double(-.infinity)),
        Case(literal: "float8 'Infinity'", nativeType: "float8", type: .double, value: .double(.infinity)),
        Case(literal: "float8 '2.2250738585072014e-308'", nativeType: "float8", type: .double, value: .double(2.2250738585072014e-308)),
        Case(literal: "float8 '0.30000000000000004'", nativeType: "float8", type: .double, value: .double(0.30000000000000004)),
        Case(literal: "text 'plain'", nativeType: "text", type: .text, value: .text("plain")),
        Case(literal: "varchar(10) 'vc'", nativeType: "varchar", type: .text, value: .text("vc")),
        Case(literal: "char(4) 'ab'", nativeType: "bpchar", type: .text, value: .text("ab  ")),
        Case(literal: "name 'nm'", nativeType: "name", type: .text, value: .text("nm")),
        Case(literal: "bool 'true'", nativeType: "bool", type: .bool, value: .bool(true)),
        Case(literal: "bytea '\\x00ff5c27'", nativeType: "bytea", type: .blob, value: .blob([0x00, 0xff, 0x5c, 0x27])),
        Case(literal: "date '2024-02-29'", nativeType: "date", type: .date, value: .date("2024-02-29")),
        Case(literal: "date 'infinity'", nativeType: "date", type: .date, value: .date("infinity")),
        Case(literal: "date '0044-03-15 BC'", nativeType: "date", type: .date, value: .date("0044-03-15 BC")),
        Case(literal: "time '23:59:59.999999'", nativeType: "time", type: .time, value: .time("23:59:59.999999")),
        Case(literal: "timetz '10:00:00-08:30'", nativeType: "timetz", type: .time, value: .time("10:00:00-08:30")),
        Case(literal: "timestamp '2024-02-29 13:45:30.000001'", nativeType: "timestamp", type: .timestamp,
             value: .timestamp("2024-02-29 13:45:30.000001")),
        Case(literal: "timestamp 'infinity'", nativeType: "timestamp", type: .timestamp, value: .timestamp("infinity")),
        Case(literal: "timestamp '-infinity'", nativeType: "timestamp", type: .timestamp, value: .timestamp("-infinity")),
        Case(literal: "timestamptz '2024-02-29 13:45:30.5+02'", nativeType: "timestamptz", type: .timestampWithTimeZone,
             value: .timestampWithTimeZone("2024-02-29 11:45:30.5+00")),
        Case(literal: "interval '1 year 2 mons 3 days 04:05:06.789'", nativeType: "interval", type: .text,
             value: .text("1 year 2 mons 3 days 04:05:06.789")),
        Case(literal: #"json '{"b": 1, "a": [true, null]}'"#, nativeType: "json", type: .json,
             value: .json(#"{"b": 1, "a": [true, null]}"#)),
        Case(literal: #"jsonb '{"b": 1, "a": [true, null]}'"#, nativeType: "jsonb", type: .json,
             value: .json(#"{"a": [true, null], "b": 1}"#)),
        Case(literal: "uuid 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", nativeType: "uuid", type: .uuid,
             value: .uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
        Case(literal: "inet '192.168.0.1/24'", nativeType: "inet", type: .text, value: .text("192.168.0.1/24")),
        Case(literal: "tsvector 'a fat cat'", nativeType: "tsvector", type: .text, value: .text("'a' 'cat' 'fat'")),
        Case(literal: "int4range '[1,5)'", nativeType: "int4range", type: .text, value: .text("[1,5)")),
        Case(literal: "ARRAY[1, NULL, 3]::int4[]", nativeType: "_int4", type: .array,
             value: .array([.integer(1), .null, .integer(3)])),
        Case(literal: #"ARRAY['a"b', NULL, 'NULL', 'c\d', 'e,f', '']::text[]"#, nativeType: "_text", type: .array,
             value: .array([.text("a\"b"), .null, .text("NULL"), .text("c\\d"), .text("e,f"), .text("")])),
        Case(literal: "ARRAY[[1.5, 2], [3, 4]]::numeric[]", nativeType: "_numeric", type: .array,
             value: .array([.array([.decimal("1.5"), .decimal("2")]), .array([.decimal("3"), .decimal("4")])])),
        Case(literal: "ARRAY[date '2020-01-01', NULL]", nativeType: "_date", type: .array,
             value: .array([.date("2020-01-01"), .null])),
        Case(literal: "ARRAY['\\x01'::bytea]", nativeType: "_bytea", type: .array, value: .array([.blob([1])])),
        Case(literal: "'{}'::int8[]", nativeType: "_int8", type: .array, value: .array([])),
        Case(literal: "'[0:1]={7,8}'::int4[]", nativeType: "_int4", type: .array, value: .text("[0:1]={7,8}")),
        Case(literal: "ARRAY[box '((1,1),(0,0))', box '((3,3),(2,2))']", nativeType: "_box", type: .array,
             value: .array([.text("(1,1),(0,0)"), .text("(3,3),(2,2)")])),
    ]

    func testEveryNativeTypeMapsToItsColumnTypeAndValue() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let select = "SELECT " + Self.cases.enumerated().map { "\($0.element.literal) AS c\($0.offset)" }.joined(separator: ", ")
            let result = try await connection.query(select)
            XCTAssertEqual(result.rows.count, 1)
            for (index, expected) in Self.cases.enumerated() {
                XCTAssertEqual(result.columns[index].name, "c\(index)")
                XCTAssertEqual(result.columns[index].nativeType, expected.nativeType, expected.literal)
                XCTAssertEqual(result.columns[index].type, expected.type, expected.literal)
                XCTAssertEqual(result.rows[0][index], expected.value, expected.literal)
            }
        }
    }

    func testFloatNaNReadsAsNaN() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let row = try await connection.query("SELECT float8 'NaN', float4 'NaN', $1::float8", [.double(.nan)]).rows[0]
            for value in row.values {
                guard case .double(let d) = value else { return XCTFail("not a double: \(String(reflecting: value))") }
                XCTAssertTrue(d.isNaN)
            }
        }
    }

    func testEveryNativeTypeSurvivesAWriteReadRoundTrip() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            // Left out: explicit-bounds arrays (read as text), box arrays (their `;` delimiter is not what
            // array values bind with) and xid8 (no cast from a bound numeric).
            let cases = Self.cases.filter { !$0.literal.contains("[0:1]") && $0.nativeType != "_box" && $0.nativeType != "xid8" }
            let select = "SELECT " + cases.enumerated().map { "\($0.element.literal) AS c\($0.offset)" }.joined(separator: ", ")
            _ = try await connection.execute("CREATE TABLE source AS " + select)
            _ = try await connection.execute("CREATE TABLE copy (LIKE source)")
            let original = try await connection.query("SELECT * FROM source")
            XCTAssertEqual(original.rows[0].values, cases.map(\.value))
            let placeholders = (1...cases.count).map { "$\($0)" }.joined(separator: ", ")
            _ = try await connection.execute("INSERT INTO copy VALUES (\(placeholders))", .positional(original.rows[0].values))
            let copied = try await connection.query("SELECT * FROM copy")
            XCTAssertEqual(copied.rows[0].values, original.rows[0].values)
            XCTAssertEqual(copied.columns, original.columns)
            let identical = try await connection.scalar("SELECT count(*) FROM source s JOIN copy c ON s::text = c::text")
            XCTAssertEqual(identical, .integer(1), "the server sees the copy as equal too")
        }
    }

    func testUserDefinedTypesAreNamedAndDecoded() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.executeScript("""
                CREATE TYPE mood AS ENUM ('sad', 'happy');
                CREATE DOMAIN positive AS int8 CHECK (VALUE > 0);
                CREATE TYPE pair AS (a int, b text);
                """)
            let result = try await connection.query("SELECT 'happy'::mood, ARRAY['sad', 'happy']::mood[], 5::positive, ROW(1, 'x')::pair")
            XCTAssertEqual(result.columns.map(\.nativeType), ["mood", "_mood", "int8", "pair"])
            XCTAssertEqual(result.columns.map(\.type), [.text, .array, .integer, .unknown])
            XCTAssertEqual(result.rows[0].values, [.text("happy"), .array([.text("sad"), .text("happy")]), .integer(5), .text("(1,x)")])

            // A type created through `execute` after the catalog was loaded is picked up too.
            _ = try await connection.execute("CREATE TYPE color AS ENUM ('red')")
            let later = try await connection.query("SELECT 'red'::color")
            XCTAssertEqual(later.columns[0].nativeType, "color")
            XCTAssertEqual(later.columns[0].type, .text)
        }
    }
}
