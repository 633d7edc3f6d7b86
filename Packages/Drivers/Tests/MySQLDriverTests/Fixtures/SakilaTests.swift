import DriverTestSupport
import MySQLDriver
import XCTest

/// The sakila sample, loaded once for this class: every column of every table read through both
/// protocols, and written back through bound parameters without change.
final class SakilaTests: MySQLTestCase {
    /// Set in `setUp()` of the class and cleared in `tearDown()`; XCTest runs those and the tests of one
    /// class one after another, never concurrently, so the unsynchronized access is safe.
    nonisolated(unsafe) private static var database: ConnectionConfiguration?
    nonisolated(unsafe) private static var loadError: (any Error)?

    override class func setUp() {
        super.setUp()
        guard let server = try? TestDatabases.mysql() else { return }
        let name = TestDatabases.uniqueName("dbm_sakila")
        do {
            try SakilaFixture.load(into: name, server: server)
            database = server.with(database: name)
        } catch {
            loadError = error
            SakilaFixture.drop(name, server: server)
        }
    }

    override class func tearDown() {
        if let database { SakilaFixture.drop(database.database, server: database) }
        database = nil
        super.tearDown()
    }

    private func sakila() async throws -> MySQLConnection {
        _ = try serverConfiguration()
        if let error = Self.loadError { throw error }
        guard let database = Self.database else { throw XCTSkip("sakila could not be loaded") }
        return try await MySQLConnection.connect(database)
    }

    private func tables(_ connection: MySQLConnection) async throws -> [String] {
        try await connection.query("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'copy\\_%'
            ORDER BY table_name
            """).rows.compactMap { if case .text(let name) = $0[0] { name } else { nil } }
    }

    func testEveryTableReadsIdenticallyThroughBothProtocols() async throws {
        let connection = try await sakila()
        let names = try await tables(connection)
        XCTAssertEqual(Set(names), Set(SakilaFixture.rowCounts.keys))
        for table in names {
            let quoted = Dialect.mysql.quote(table)
            let text = try await connection.query("SELECT * FROM \(quoted)")
            let prepared = try await connection.query("SELECT * FROM \(quoted) WHERE ? = 1", [1])
            XCTAssertEqual(text.rows.count, SakilaFixture.rowCounts[table], table)
            XCTAssertEqual(prepared.columns, text.columns, table)
            XCTAssertEqual(prepared.rows.map(\.values), text.rows.map(\.values), table)
            XCTAssertFalse(text.columns.contains { $0.type == .unknown }, "\(table) has an unmapped column")
        }
        await connection.close()
    }

    func testSakilaColumnsMapToTheirTypes() async throws {
        let connection = try await sakila()
        let film = try await connection.query("""
            SELECT film_id, title, description, release_year, rental_duration, rental_rate, length,
                   replacement_cost, rating, special_features, last_update
            FROM film WHERE film_id = 1
            """)
        XCTAssertEqual(film.columns.map(\.nativeType), [
            "SMALLINT UNSIGNED", "VARCHAR", "TEXT", "YEAR", "TINYINT UNSIGNED", "DECIMAL(4,2)", "SMALLINT UNSIGNED",
            "DECIMAL(5,2)", "ENUM", "SET", "TIMESTAMP",
        ])
        XCTAssertEqual(film.columns.map(\.type), [
            .integer, .text, .text, .integer, .integer, .decimal, .integer, .decimal, .text, .text, .timestampWithTimeZone,
        ])
        let row = film.rows[0]
        XCTAssertEqual(row[0], .integer(1))
        XCTAssertEqual(row[1], .text("ACADEMY DINOSAUR"))
        XCTAssertEqual(row[3], .integer(2006))
        XCTAssertEqual(row[5], .decimal("0.99"))
        XCTAssertEqual(row[7], .decimal("20.99"))
        XCTAssertEqual(row[8], .text("PG"))
        XCTAssertEqual(row[9], .text("Deleted Scenes,Behind the Scenes"))
        guard case .timestampWithTimeZone(let updated) = row[10] else { return XCTFail("last_update is a TIMESTAMP") }
        XCTAssertTrue(updated.hasPrefix("2006-02-15 ") && updated.hasSuffix("+00:00"), updated)

        let customer = try await connection.query(
            "SELECT store_id, active, create_date, email FROM customer WHERE customer_id = ?", [1])
        XCTAssertEqual(customer.columns.map(\.nativeType), ["TINYINT UNSIGNED", "TINYINT(1)", "DATETIME", "VARCHAR"])
        XCTAssertEqual(customer.rows[0].values, [
            .integer(1), .bool(true), .timestamp("2006-02-14 22:04:36"), .text("MARY.SMITH@sakilacustomer.org"),
        ])

        let inventory = try await connection.query("SELECT inventory_id FROM inventory LIMIT 1")
        XCTAssertEqual(inventory.columns[0].nativeType, "MEDIUMINT UNSIGNED")
        let rental = try await connection.query("SELECT rental_id, rental_date FROM rental WHERE rental_id = 1")
        XCTAssertEqual(rental.columns.map(\.nativeType), ["INT", "DATETIME"])
        XCTAssertEqual(rental.rows[0][1], .timestamp("2005-05-24 22:53:30"))
        let language = try await connection.query("SELECT name FROM language WHERE language_id = 1")
        XCTAssertEqual(language.columns[0].nativeType, "CHAR")
        XCTAssertEqual(language.rows[0][0], .text("English"))
        let staff = try await connection.query("SELECT picture FROM staff WHERE picture IS NOT NULL")
        XCTAssertEqual(staff.columns[0].type, .blob)
        guard case .blob(let picture) = staff.rows.first?[0] else { return XCTFail("staff.picture is a BLOB") }
        XCTAssertEqual(Array(picture.prefix(4)), [0x89, 0x50, 0x4e, 0x47], "a PNG image")
        let utf8 = try await connection.scalar("SELECT COUNT(*) FROM film_text WHERE title = ?", [.text("ACADEMY DINOSAUR")])
        XCTAssertEqual(utf8, .integer(1))
        await connection.close()
    }

    func testEveryTableSurvivesAWriteReadRoundTripIntoACopy() async throws {
        let connection = try await sakila()
        for table in try await tables(connection) {
            let source = Dialect.mysql.quote(table)
            let copy = Dialect.mysql.quote("copy_" + table)
            _ = try await connection.execute("DROP TABLE IF EXISTS \(copy)")
            _ = try await connection.execute("CREATE TABLE \(copy) LIKE \(source)")
            let original = try await connection.query("SELECT * FROM \(source)")
            let rowPlaceholders = "(" + Array(repeating: "?", count: original.columns.count).joined(separator: ", ") + ")"
            var start = 0
            while start < original.rows.count {
                let batch = original.rows[start..<min(start + 200, original.rows.count)]
                let sql = "INSERT INTO \(copy) VALUES " + Array(repeating: rowPlaceholders, count: batch.count).joined(separator: ", ")
                _ = try await connection.execute(sql, .positional(batch.flatMap(\.values)))
                start += batch.count
            }
            let copied = try await connection.query("SELECT * FROM \(copy)")
            XCTAssertEqual(copied.rows.map(\.values), original.rows.map(\.values), table)
            let sameOnServer = original.columns.map { column -> String in
                let name = Dialect.mysql.quote(column.name)
                return "c.\(name) <=> s.\(name)"
            }.joined(separator: " AND ")
            let matched = try await connection.scalar("SELECT COUNT(*) FROM \(source) s JOIN \(copy) c ON \(sameOnServer)")
            XCTAssertEqual(matched, .integer(Int64(original.rows.count)), "\(table): the server sees identical rows")
            _ = try await connection.execute("DROP TABLE \(copy)")
        }
        await connection.close()
    }
}
