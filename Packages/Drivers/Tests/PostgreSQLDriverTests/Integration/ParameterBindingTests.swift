import PostgreSQLDriver
import XCTest

final class ParameterBindingTests: XCTestCase {
    /// One value of every `DatabaseValue` case, with the type it is read back through.
    static let everyCase: [(value: DatabaseValue, cast: String)] = [
        (.null, "text"),
        (.integer(42), "int4"),
        (.integer(Int64.max), "int8"),
        (.integer(Int64.min), "int8"),
        (.double(-1.5e-300), "float8"),
        (.double(0.1), "float8"),
        (.decimal("-123456789012345678901234567890.123456789012345678901"), "numeric"),
        (.text("héllo 'wörld' \"quoted\" \\ back; $1 ? :name -- /* */ 💾"), "text"),
        (.text(""), "text"),
        (.blob([0, 1, 2, 0x27, 0x5c, 0x22, 0x7f, 0x80, 0xff]), "bytea"),
        (.blob([]), "bytea"),
        (.bool(true), "bool"),
        (.bool(false), "bool"),
        (.date("2024-02-29"), "date"),
        (.time("13:45:30.123456"), "time"),
        (.time("13:45:30+05:30"), "timetz"),
        (.timestamp("2024-02-29 13:45:30.123456"), "timestamp"),
        (.timestampWithTimeZone("2024-02-29 13:45:30.123456+00"), "timestamptz"),
        (.json(#"{"a": [1, 2, {"b": null}], "c": "d\"e"}"#), "jsonb"),
        (.uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "uuid"),
        (.array([.integer(1), .null, .integer(-3)]), "int4[]"),
        (.array([.text("a,b"), .text("NULL"), .null, .text("q\"uote"), .text(#"back\slash"#), .text(" "), .text("{}")]), "text[]"),
        (.array([.array([.integer(1), .integer(2)]), .array([.integer(3), .integer(4)])]), "int8[]"),
    ]

    func testEveryValueCaseBindsAndReadsBack() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            for (value, cast) in Self.everyCase {
                let read = try await connection.scalar("SELECT $1::\(cast)", [value])
                XCTAssertEqual(read, value, "through \(cast): \(String(reflecting: value))")
            }
        }
    }

    func testTypedKindsKeepTheirTypeWithoutACast() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let typed: [DatabaseValue] = [
                .integer(7), .integer(1 << 40), .double(2.5), .decimal("1.10"), .bool(true), .blob([1, 2]),
                .date("2000-01-01"), .time("01:02:03"), .time("01:02:03-07"), .timestamp("2000-01-01 01:02:03"),
                .timestampWithTimeZone("2000-01-01 01:02:03+00"), .uuid("00000000-0000-0000-0000-000000000001"),
            ]
            for value in typed {
                let read = try await connection.scalar("SELECT $1", [value])
                XCTAssertEqual(read, value, String(reflecting: value))
            }
            let types = try await connection.query("SELECT $1, $2", [.integer(7), .integer(1 << 40)]).columns.map(\.nativeType)
            XCTAssertEqual(types, ["int4", "int8"])
        }
    }

    func testUntypedTextFitsEnumDateAndJsonbColumns() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.executeScript("""
                CREATE TYPE mood AS ENUM ('sad', 'happy');
                CREATE TABLE t (m mood, d date, j jsonb, a int[]);
                """)
            _ = try await connection.execute("INSERT INTO t VALUES ($1, $2, $3, $4)",
                [.text("happy"), .text("2024-01-31"), .json(#"{"k": 1}"#), .array([.integer(1), .integer(2)])])
            let row = try await connection.query("SELECT m, d, j, a FROM t WHERE m = $1 AND j @> $2", [.text("happy"), .json(#"{"k": 1}"#)]).rows
            XCTAssertEqual(row.first?.values, [.text("happy"), .date("2024-01-31"), .json(#"{"k": 1}"#), .array([.integer(1), .integer(2)])])
        }
    }

    func testPositionalNumberedAndNamedPlaceholders() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let question = try await connection.query("SELECT ?::int + ?::int, ?::text", [.integer(2), .integer(3), .text("x")])
            XCTAssertEqual(question.rows[0].values, [.integer(5), .text("x")])
            let numbered = try await connection.query("SELECT $2::text || $1::text || $2::text", [.text("a"), .text("b")])
            XCTAssertEqual(numbered.rows[0].values, [.text("bab")])
            let named = try await connection.query("SELECT :x::int * :y::int, :x::int", ["x": .integer(6), "y": .integer(7)])
            XCTAssertEqual(named.rows[0].values, [.integer(42), .integer(6)])
            // With no arguments the text goes as written: PostgreSQL's `?` operator keeps working.
            let operatorResult = try await connection.scalar(#"SELECT '{"a": 1}'::jsonb ? 'a'"#)
            XCTAssertEqual(operatorResult, .bool(true))
            await assertThrowsDatabaseError(.parameterMismatch) {
                _ = try await connection.execute("SELECT ?::int, ?::int", [.integer(1)])
            }
            await assertThrowsDatabaseError(.parameterMismatch) {
                _ = try await connection.execute("SELECT :a::int", ["b": .integer(1)])
            }
        }
    }

    func testHostileStringIsStoredVerbatimAndNeverExecuted() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE students (name text)")
            let hostile = "Robert'); DROP TABLE students; -- $1 ? :name \" \\' E'\\x00'"
            let inserted = try await connection.execute("INSERT INTO students (name) VALUES (?)", [.text(hostile)])
            XCTAssertEqual(inserted.rowsAffected, 1)
            XCTAssertNil(inserted.lastInsertID)
            let read = try await connection.scalar("SELECT name FROM students WHERE name = :n", ["n": .text(hostile)])
            XCTAssertEqual(read, .text(hostile))
            let count = try await connection.scalar("SELECT count(*) FROM students")
            XCTAssertEqual(count, .integer(1))
        }
    }

    func testTextWithNULIsRefusedWithoutEchoingIt() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let error = await assertThrowsDatabaseError(.invalidValue) {
                _ = try await connection.execute("SELECT $1::text", [.text("secret\u{0}value")])
            }
            XCTAssertFalse(error?.description.contains("secret") ?? true)
            let stillWorks = try await connection.scalar("SELECT 1")
            XCTAssertEqual(stillWorks, .integer(1))
        }
    }

    func testRowsAffectedComesFromTheCommandTag() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (n int)")
            let inserted = try await connection.execute("INSERT INTO t SELECT generate_series(1, 25)")
            XCTAssertEqual(inserted.rowsAffected, 25)
            let updated = try await connection.execute("UPDATE t SET n = n + 1 WHERE n > $1", [.integer(20)])
            XCTAssertEqual(updated.rowsAffected, 5)
            let deleted = try await connection.execute("DELETE FROM t")
            XCTAssertEqual(deleted.rowsAffected, 25)
        }
    }
}
