import DriverTestSupport
import Foundation
import MySQLDriver

/// Loads Oracle's sakila sample (`shared/fixtures/sakila-mysql`) into a scratch database with the
/// `mariadb` client, and drops it again.
///
/// The schema file creates and uses a database literally named `sakila` (see SOURCE.md); the loader
/// rewrites exactly those references (`sakila;` and `sakila.`), which leaves the data's e-mail
/// addresses (`@sakilacustomer.org`) untouched.
enum SakilaFixture {
    /// The row count of every table, from SOURCE.md.
    static let rowCounts: [String: Int] = [
        "actor": 200, "address": 603, "category": 16, "city": 600, "country": 109, "customer": 599,
        "film": 1000, "film_actor": 5462, "film_category": 1000, "film_text": 1000, "inventory": 4581,
        "language": 6, "payment": 16044, "rental": 16044, "staff": 2, "store": 2,
    ]

    /// Creates a database named `name` on the server of `server` holding the sakila schema and data.
    static func load(into name: String, server: ConnectionConfiguration) throws {
        for file in ["sakila-mysql/sakila-schema.sql", "sakila-mysql/sakila-data.sql"] {
            let text = try String(contentsOf: try TestDatabases.fixture(file), encoding: .utf8)
            let rewritten = text
                .replacingOccurrences(of: "sakila;", with: "`\(name)`;")
                .replacingOccurrences(of: "sakila.", with: "`\(name)`.")
            try TestDatabases.runClient(.sql(rewritten), on: server, useDatabase: false)
        }
    }

    /// Drops the database (errors ignored: the server is thrown away anyway).
    static func drop(_ name: String, server: ConnectionConfiguration) {
        try? TestDatabases.runClient(.sql("DROP DATABASE IF EXISTS `\(name)`;"), on: server, useDatabase: false)
    }
}
