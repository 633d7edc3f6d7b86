import SQLiteDriver
import XCTest

final class ParameterTests: XCTestCase {
    func testQuestionMarkPlaceholdersBindInOrder() async throws {
        let connection = try await SQLiteTest.open()
        let row = try await connection.query("SELECT ? AS a, ? AS b, ? || '!' AS c", [1, "two", "three"]).rows[0]
        XCTAssertEqual(row.values, [.integer(1), .text("two"), .text("three!")])
        XCTAssertEqual(row["b"], .text("two"))
    }

    func testDollarNumberedPlaceholdersBindByNumber() async throws {
        let connection = try await SQLiteTest.open()
        let row = try await connection.query("SELECT $2, $1, $2", ["a", "b"]).rows[0]
        XCTAssertEqual(row.values, [.text("b"), .text("a"), .text("b")])
    }

    func testNamedPlaceholdersBindByNameIncludingRepeats() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (id INTEGER, parent INTEGER, v TEXT)")
        _ = try await connection.execute("INSERT INTO t VALUES (:id, :parent, :v)", ["id": 1, "parent": 1, "v": "root"])
        _ = try await connection.execute("INSERT INTO t VALUES (:id, :parent, :v)", ["id": 2, "parent": 1, "v": "child"])
        let rows = try await connection.query("SELECT v FROM t WHERE id = :id OR parent = :id ORDER BY id", ["id": 1]).rows
        XCTAssertEqual(rows.map { $0[0] }, [.text("root"), .text("child")])
    }

    func testHostileStringIsStoredVerbatimAndNeverExecuted() async throws {
        let connection = try await SQLiteTest.open()
        _ = try await connection.execute("CREATE TABLE t (v TEXT)")
        let hostile = "'); DROP TABLE t; -- \" ? :name $1 \\ \u{0}nul"
        _ = try await connection.execute("INSERT INTO t VALUES (?)", [.text(hostile)])
        let actual1 = try await connection.scalar("SELECT v FROM t")
        XCTAssertEqual(actual1, .text(hostile))
        let actual2 = try await connection.scalar("SELECT count(*) FROM t WHERE v = :v", ["v": .text(hostile)])
        XCTAssertEqual(actual2, .integer(1))
        let actual3 = try await connection.scalar("SELECT length(CAST(v AS BLOB)) FROM t")
        XCTAssertEqual(actual3, .integer(Int64(hostile.utf8.count)))
    }

    func testPlaceholdersInsideLiteralsAreNotParameters() async throws {
        let connection = try await SQLiteTest.open()
        let row = try await connection.query("SELECT '?', ':x', ? -- ?", [5]).rows[0]
        XCTAssertEqual(row.values, [.text("?"), .text(":x"), .integer(5)])
    }

    func testMismatchedArgumentsAreRefused() async throws {
        let connection = try await SQLiteTest.open()
        await assertThrowsDatabaseError(.parameterMismatch) { _ = try await connection.scalar("SELECT ?, ?", [1]) }
        await assertThrowsDatabaseError(.parameterMismatch) { _ = try await connection.scalar("SELECT ?", [1, 2]) }
        await assertThrowsDatabaseError(.parameterMismatch) { _ = try await connection.scalar("SELECT :a", ["b": 1]) }
        await assertThrowsDatabaseError(.parameterMismatch) { _ = try await connection.scalar("SELECT ?", .none) }
    }
}
