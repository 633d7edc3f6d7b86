import SQLiteDriver
import XCTest

/// The Chinook sample database: every column of every table read, and written back without change.
final class ChinookFixtureTests: XCTestCase {
    private static let rowCounts: [String: Int] = [
        "Album": 347, "Artist": 275, "Customer": 59, "Employee": 8, "Genre": 25, "Invoice": 412,
        "InvoiceLine": 2240, "MediaType": 5, "Playlist": 18, "PlaylistTrack": 8715, "Track": 3503,
    ]

    private func tables(_ connection: SQLiteConnection) async throws -> [String] {
        try await connection.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").rows.map {
            guard case .text(let name) = $0[0] else { throw XCTSkip("unexpected table name value") }
            return name
        }
    }

    func testEveryColumnMapsToItsDeclaredType() async throws {
        let connection = try await SQLiteConnection.open(try SQLiteTest.chinookCopy())
        let actual1 = try await tables(connection)
        XCTAssertEqual(actual1, Self.rowCounts.keys.sorted())
        var seen = Set<String>()
        for table in try await tables(connection) {
            let result = try await connection.query("SELECT * FROM \(Dialect.sqlite.quote(table))")
            XCTAssertEqual(result.rows.count, Self.rowCounts[table], table)
            for (index, column) in result.columns.enumerated() {
                seen.insert("\(column.nativeType.prefix { $0 != "(" })→\(column.type.rawValue)")
                for row in result.rows {
                    let value = row[index]
                    if value.isNull { continue }
                    XCTAssertEqual(value.kind.rawValue, column.type.rawValue, "\(table).\(column.name) \(String(reflecting: value))")
                }
            }
        }
        XCTAssertEqual(seen.filter { $0.hasPrefix("NVARCHAR") }, ["NVARCHAR→text"])
        XCTAssertTrue(seen.isSuperset(of: ["INTEGER→integer", "DATETIME→timestamp", "NUMERIC→decimal"]), "\(seen)")
    }

    func testKnownValuesReadExactly() async throws {
        let connection = try await SQLiteConnection.open(try SQLiteTest.chinookCopy())
        let invoice = try await connection.query("SELECT InvoiceDate, BillingAddress, Total FROM Invoice WHERE InvoiceId = ?", [1]).rows[0]
        XCTAssertEqual(invoice.values, [.timestamp("2021-01-01 00:00:00"), .text("Theodor-Heuss-Straße 34"), .decimal("1.98")])
        let track = try await connection.query("SELECT Milliseconds, Bytes, UnitPrice FROM Track WHERE TrackId = 1").rows[0]
        XCTAssertEqual(track.values, [.integer(343_719), .integer(11_170_334), .decimal("0.99")])
        let actual2 = try await connection.scalar("SELECT sum(Total) FROM Invoice")
        XCTAssertEqual(actual2, .double(2328.600000000004),
                       "an aggregate has no declared type and comes back as SQLite computed it")
    }

    func testEveryTableSurvivesAWriteReadRoundTripIntoACopy() async throws {
        let connection = try await SQLiteConnection.open(try SQLiteTest.chinookCopy())
        for table in try await tables(connection) {
            let quoted = Dialect.sqlite.quote(table)
            let original = try await connection.query("SELECT * FROM \(quoted) ORDER BY rowid")
            let copy = Dialect.sqlite.quote("copy_" + table)
            let definitions = original.columns.map { "\(Dialect.sqlite.quote($0.name)) \($0.nativeType)" }.joined(separator: ", ")
            _ = try await connection.execute("CREATE TABLE \(copy) (\(definitions))")
            let placeholders = Array(repeating: "?", count: original.columns.count).joined(separator: ", ")
            try await connection.transaction { connection in
                for row in original.rows {
                    _ = try await connection.execute("INSERT INTO \(copy) VALUES (\(placeholders))", .positional(row.values))
                }
            }
            let copied = try await connection.query("SELECT * FROM \(copy) ORDER BY rowid")
            XCTAssertEqual(copied.columns.map(\.type), original.columns.map(\.type), table)
            XCTAssertEqual(copied.rows.map(\.values), original.rows.map(\.values), table)
            // The stored bytes are identical too, not just the values as the driver reads them.
            let differences = try await connection.scalar("SELECT count(*) FROM (SELECT * FROM \(quoted) EXCEPT SELECT * FROM \(copy))")
            XCTAssertEqual(differences, .integer(0), table)
        }
    }
}
