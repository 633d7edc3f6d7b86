import DriverTestSupport
import PostgreSQLDriver
import XCTest

/// Reads the pagila sample database (loaded with psql) through the driver and writes it back.
final class PagilaTests: XCTestCase {
    /// Runs `body` with a connection to a scratch database holding pagila.
    private func withPagila(_ body: (PostgreSQLConnection) async throws -> Void) async throws {
        let schema = try TestDatabases.fixture("pagila/pagila-schema.sql")
        let data = try TestDatabases.fixture("pagila/pagila-data.sql")
        try await PostgreSQLTestServer.withScratchDatabase { scratch in
            try TestDatabases.runClient(.file(schema), on: scratch)
            try TestDatabases.runClient(.file(data), on: scratch)
            let connection = try await PostgreSQLConnection.open(scratch)
            do {
                try await body(connection)
                await connection.close()
            } catch {
                await connection.close()
                throw error
            }
        }
    }

    /// The user tables (partitions included), in name order.
    private func tables(_ connection: PostgreSQLConnection) async throws -> [String] {
        try await connection.query("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1
            """).rows.map { row in
                guard case .text(let name) = row[0] else { throw DatabaseError(.other, "table name is not text") }
                return name
            }
    }

    func testEveryColumnTypeOfPagilaMapsAsExpected() async throws {
        try await withPagila { connection in
            let info = try await connection.databaseInfo()
            XCTAssertEqual(info.tableCount, 22, "15 tables (the partitioned payment among them) and payment's 7 partitions")
            XCTAssertEqual(info.viewCount, 8, "7 views and 1 materialized view")

            let film = try await connection.query("""
                SELECT film_id, title, rental_rate, rental_duration, release_year, rating, special_features, fulltext,
                       last_update, length
                FROM film WHERE film_id = 1
                """)
            XCTAssertEqual(film.columns.map(\.nativeType),
                ["int4", "text", "numeric", "int2", "int4", "mpaa_rating", "_text", "tsvector", "timestamptz", "int2"])
            XCTAssertEqual(film.columns.map(\.type),
                [.integer, .text, .decimal, .integer, .integer, .text, .array, .text, .timestampWithTimeZone, .integer])
            let row = film.rows[0]
            XCTAssertEqual(row["film_id"], .integer(1))
            XCTAssertEqual(row["title"], .text("ACADEMY DINOSAUR"))
            XCTAssertEqual(row["rental_rate"], .decimal("0.99"))
            XCTAssertEqual(row["rental_duration"], .integer(6))
            XCTAssertEqual(row["release_year"], .integer(2012))
            XCTAssertEqual(row["rating"], .text("PG"))
            XCTAssertEqual(row["special_features"], .array([.text("Deleted Scenes"), .text("Behind the Scenes")]))
            guard case .text(let fulltext) = row["fulltext"] else { return XCTFail("fulltext is not text") }
            XCTAssertTrue(fulltext.contains("'academi':1"))
            guard case .timestampWithTimeZone(let stamp) = row["last_update"] else { return XCTFail("last_update") }
            XCTAssertTrue(stamp.hasSuffix("+00"), stamp)

            let others = try await connection.query("""
                SELECT c.activebool, c.create_date, s.picture, l.name, p.amount, p.payment_date
                FROM customer c, staff s, language l, payment p
                WHERE c.customer_id = 1 AND s.staff_id = 1 AND l.language_id = 1 AND p.payment_id = 16050
                """)
            XCTAssertEqual(others.columns.map(\.nativeType), ["bool", "date", "bytea", "bpchar", "numeric", "timestamptz"])
            XCTAssertEqual(others.columns.map(\.type), [.bool, .date, .blob, .text, .decimal, .timestampWithTimeZone])
            XCTAssertEqual(others.rows[0]["activebool"], .bool(true))
            XCTAssertEqual(others.rows[0]["picture"], .null)
            XCTAssertEqual(others.rows[0]["name"], .text("English             "))

            // Every column of every table decodes; no column is left without a mapping.
            for table in try await tables(connection) {
                let result = try await connection.query("SELECT * FROM \(Dialect.postgresql.quote(table))")
                XCTAssertFalse(result.rows.isEmpty, table)
                for column in result.columns {
                    XCTAssertNotEqual(column.type, .unknown, "\(table).\(column.name) is \(column.nativeType)")
                }
            }
        }
    }

    func testEveryPagilaTableSurvivesAWriteReadRoundTrip() async throws {
        try await withPagila { connection in
            for table in try await tables(connection) {
                let quoted = Dialect.postgresql.quote(table)
                let copy = Dialect.postgresql.quote(table + "_copy")
                _ = try await connection.execute("CREATE TABLE \(copy) (LIKE \(quoted))")
                let original = try await connection.query("SELECT * FROM ONLY \(quoted) ORDER BY 1, 2, 3")
                let placeholders = (1...original.columns.count).map { "$\($0)" }.joined(separator: ", ")
                try await connection.transaction { connection in
                    for row in original.rows {
                        _ = try await connection.execute("INSERT INTO \(copy) VALUES (\(placeholders))", .positional(row.values))
                    }
                }
                let copied = try await connection.query("SELECT * FROM \(copy) ORDER BY 1, 2, 3")
                XCTAssertEqual(copied.columns.map(\.type), original.columns.map(\.type), table)
                XCTAssertEqual(copied.rows.count, original.rows.count, table)
                XCTAssertTrue(copied.rows.map(\.values) == original.rows.map(\.values), "\(table) changed in the round trip")
                let differing = try await connection.scalar(
                    "SELECT count(*) FROM ((TABLE ONLY \(quoted) EXCEPT ALL TABLE \(copy)) UNION ALL (TABLE \(copy) EXCEPT ALL TABLE ONLY \(quoted))) d")
                XCTAssertEqual(differing, .integer(0), "the server sees \(table) and its copy as different")
            }
        }
    }
}
