import DriverTestSupport
import MySQLDriver
import XCTest

/// Native MariaDB types read through both protocols: column types, exact values, and NULL in every type.
final class TypeMappingTests: MySQLTestCase {
    /// (column definition, literal inserted, expected native type, expected ColumnType, expected value)
    private let columns: [(String, String, String, ColumnType, DatabaseValue)] = [
        ("TINYINT UNSIGNED", "255", "TINYINT UNSIGNED", .integer, .integer(255)),
        ("SMALLINT UNSIGNED", "65535", "SMALLINT UNSIGNED", .integer, .integer(65535)),
        ("MEDIUMINT", "-8388608", "MEDIUMINT", .integer, .integer(-8_388_608)),
        ("INT", "-2147483648", "INT", .integer, .integer(-2_147_483_648)),
        ("BIGINT", "-9223372036854775808", "BIGINT", .integer, .integer(Int64.min)),
        ("BIGINT UNSIGNED", "18446744073709551615", "BIGINT UNSIGNED", .integer, .decimal("18446744073709551615")),
        ("BOOLEAN", "TRUE", "TINYINT(1)", .bool, .bool(true)),
        ("BIT(1)", "b'1'", "BIT(1)", .bool, .bool(true)),
        ("BIT(10)", "b'1010101010'", "BIT(10)", .integer, .integer(682)),
        ("BIT(64)", "b'1111111111111111111111111111111111111111111111111111111111111111'", "BIT(64)", .integer,
         .decimal("18446744073709551615")),
        ("FLOAT", "0.5", "FLOAT", .double, .double(0.5)),
        ("DOUBLE", "3.141592653589793", "DOUBLE", .double, .double(3.141592653589793)),
        ("DECIMAL(65,30)", "-12345678901234567890123456789012345.000000000000000000000000000001", "DECIMAL(65,30)", .decimal,
         .decimal("-12345678901234567890123456789012345.000000000000000000000000000001")),
        ("DECIMAL(5,2)", "1.5", "DECIMAL(5,2)", .decimal, .decimal("1.50")),
        ("YEAR", "2155", "YEAR", .integer, .integer(2155)),
        ("DATE", "'1000-01-01'", "DATE", .date, .date("1000-01-01")),
        ("TIME(2)", "'-838:59:59.5'", "TIME(2)", .time, .time("-838:59:59.50")),
        ("TIME", "'12:34:56'", "TIME", .time, .time("12:34:56")),
        ("DATETIME(6)", "'9999-12-31 23:59:59.999999'", "DATETIME(6)", .timestamp, .timestamp("9999-12-31 23:59:59.999999")),
        ("DATETIME", "'2000-02-29 00:00:01'", "DATETIME", .timestamp, .timestamp("2000-02-29 00:00:01")),
        ("TIMESTAMP(6)", "'2038-01-19 03:14:07.5'", "TIMESTAMP(6)", .timestampWithTimeZone,
         .timestampWithTimeZone("2038-01-19 03:14:07.500000+00:00")),
        ("CHAR(3)", "'ab'", "CHAR", .text, .text("ab")),
        ("VARCHAR(10)", "'日本語'", "VARCHAR", .text, .text("日本語")),
        ("TEXT", "'long text'", "TEXT", .text, .text("long text")),
        ("LONGTEXT", "'x'", "LONGTEXT", .text, .text("x")),
        ("ENUM('a','b c')", "'b c'", "ENUM", .text, .text("b c")),
        ("SET('x','y','z')", "'x,z'", "SET", .text, .text("x,z")),
        ("BINARY(4)", "x'00ff'", "BINARY", .blob, .blob([0x00, 0xff, 0, 0])),
        ("VARBINARY(8)", "x'0001'", "VARBINARY", .blob, .blob([0x00, 0x01])),
        ("BLOB", "x'deadbeef'", "BLOB", .blob, .blob([0xde, 0xad, 0xbe, 0xef])),
        ("JSON", #"'{"k": [1, "two"]}'"#, "JSON", .json, .json(#"{"k": [1, "two"]}"#)),
        ("UUID", "'6CCD780C-BABA-1026-9564-5B8C656024DB'", "UUID", .uuid, .uuid("6ccd780c-baba-1026-9564-5b8c656024db")),
        ("INET6", "'::1'", "INET6", .text, .text("::1")),
    ]

    private func createTable(_ connection: MySQLConnection) async throws -> String {
        let definitions = columns.enumerated().map { "c\($0.offset) \($0.element.0) NULL" }.joined(separator: ", ")
        _ = try await connection.execute("CREATE TABLE types (id INT PRIMARY KEY, \(definitions))")
        let literals = columns.map(\.1).joined(separator: ", ")
        _ = try await connection.execute("INSERT INTO types VALUES (1, \(literals))")
        _ = try await connection.execute("INSERT INTO types (id) VALUES (2)")
        return "SELECT \(columns.indices.map { "c\($0)" }.joined(separator: ", ")) FROM types"
    }

    func testNativeTypesMapToColumnTypesAndExactValuesInBothProtocols() async throws {
        try await withScratchConnection { connection in
            let select = try await createTable(connection)
            let text = try await connection.query(select + " WHERE id = 1")
            let prepared = try await connection.query(select + " WHERE id = ?", [.integer(1)])
            for (i, column) in columns.enumerated() {
                XCTAssertEqual(text.columns[i].nativeType, column.2, column.0)
                XCTAssertEqual(text.columns[i].type, column.3, column.0)
                XCTAssertEqual(prepared.columns[i], text.columns[i], column.0)
                XCTAssertEqual(text.rows[0][i], column.4, "\(column.0) via text protocol")
                XCTAssertEqual(prepared.rows[0][i], column.4, "\(column.0) via prepared statement")
            }
        }
    }

    func testNullInEveryTypeIsNull() async throws {
        try await withScratchConnection { connection in
            let select = try await createTable(connection)
            let text = try await connection.query(select + " WHERE id = 2")
            let prepared = try await connection.query(select + " WHERE id = ?", [.integer(2)])
            XCTAssertEqual(text.rows[0].values, Array(repeating: .null, count: columns.count))
            XCTAssertEqual(prepared.rows[0].values, Array(repeating: .null, count: columns.count))
            let bare = try await connection.query("SELECT NULL")
            XCTAssertEqual(bare.columns[0].type, .unknown)
            XCTAssertEqual(bare.rows[0][0], .null)
        }
    }

    func testValuesSurviveAWriteReadRoundTripThroughBoundParameters() async throws {
        try await withScratchConnection { connection in
            let select = try await createTable(connection)
            _ = try await connection.execute("CREATE TABLE copy LIKE types")
            let original = try await connection.query("SELECT * FROM types ORDER BY id")
            let placeholders = Array(repeating: "?", count: original.columns.count).joined(separator: ", ")
            for row in original.rows {
                _ = try await connection.execute("INSERT INTO copy VALUES (\(placeholders))", .positional(row.values))
            }
            let a = try await connection.query(select + " ORDER BY id")
            let b = try await connection.query(select.replacingOccurrences(of: "FROM types", with: "FROM copy") + " ORDER BY id")
            XCTAssertEqual(a.rows.map(\.values), b.rows.map(\.values))
            let identical = try await connection.scalar(
                "SELECT COUNT(*) FROM types t JOIN copy c ON c.id = t.id AND " +
                columns.indices.map { "c.c\($0) <=> t.c\($0)" }.joined(separator: " AND "))
            XCTAssertEqual(identical, .integer(2), "the server compares the copies equal column by column")
        }
    }

    func testFloatKeepsEveryDigitThroughPreparedStatements() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE f (v FLOAT)")
            _ = try await connection.execute("INSERT INTO f VALUES (?)", [.double(3.1415927)])
            let prepared = try await connection.scalar("SELECT v FROM f WHERE ? = 1", [.integer(1)])
            XCTAssertEqual(prepared, .double(3.1415927))
            let text = try await connection.scalar("SELECT v FROM f")
            XCTAssertEqual(text, .double(3.14159), "MariaDB's text protocol prints FLOAT with 6 significant digits")
        }
    }

    func testGeometryIsReturnedAsInternalWKBAndWritesBack() async throws {
        try await withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE g (id INT, shape GEOMETRY NULL, p POINT NULL)")
            _ = try await connection.execute("INSERT INTO g VALUES (1, ST_GeomFromText('LINESTRING(0 0, 1 1)'), POINT(1, 2))")
            let result = try await connection.query("SELECT shape, p FROM g")
            XCTAssertEqual(result.columns[0].type, .blob)
            XCTAssertEqual(result.columns[1].type, .blob)
            guard case .blob(let point) = result.rows[0][1] else { return XCTFail("POINT should be a blob") }
            // 4-byte SRID 0, then WKB: byte order 1, type 1 (point), x = 1.0, y = 2.0.
            XCTAssertEqual(Array(point.prefix(9)), [0, 0, 0, 0, 1, 1, 0, 0, 0])
            XCTAssertEqual(point.count, 25)
            _ = try await connection.execute("INSERT INTO g VALUES (2, ?, ?)", [result.rows[0][0], result.rows[0][1]])
            let text = try await connection.query("SELECT ST_AsText(shape), ST_AsText(p) FROM g WHERE id = 2")
            XCTAssertEqual(text.rows[0].values, [.text("LINESTRING(0 0,1 1)"), .text("POINT(1 2)")])
        }
    }

    func testLongValuesAreCompletedInPreparedStatements() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let row = try await connection.query(
            "SELECT REPEAT('é', ?) AS t, UNHEX(REPEAT('ab', ?)) AS b, ? AS s", [.integer(300_000), .integer(70_000), .text("short")]).rows[0]
        XCTAssertEqual(row[0], .text(String(repeating: "é", count: 300_000)))
        XCTAssertEqual(row[1], .blob(Array(repeating: 0xab, count: 70_000)))
        XCTAssertEqual(row[2], .text("short"))
        let many = try await connection.query(
            "SELECT IF(seq % 2 = 0, REPEAT('x', seq * 100), 'y') FROM seq_1_to_20 WHERE seq > ?", [.integer(0)])
        XCTAssertEqual(many.rows.count, 20)
        for (i, row) in many.rows.enumerated() {
            let n = i + 1
            XCTAssertEqual(row[0], .text(n % 2 == 0 ? String(repeating: "x", count: n * 100) : "y"))
        }
        await connection.close()
    }
}
