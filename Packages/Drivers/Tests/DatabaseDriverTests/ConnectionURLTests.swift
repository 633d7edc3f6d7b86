import XCTest
@testable import DatabaseDriver

final class ConnectionURLTests: XCTestCase {
    func testSQLiteRelativeAbsoluteAndMemory() throws {
        XCTAssertEqual(try ConnectionConfiguration(url: "sqlite:///data/app.db").database, "data/app.db")
        XCTAssertEqual(try ConnectionConfiguration(url: "sqlite:////var/lib/app.db").database, "/var/lib/app.db")
        XCTAssertTrue(try ConnectionConfiguration(url: "sqlite::memory:").isInMemory)
        XCTAssertTrue(try ConnectionConfiguration(url: "sqlite:///:memory:").isInMemory)
        XCTAssertEqual(try ConnectionConfiguration(url: "sqlite:///app.db").dialect, .sqlite)
    }

    func testPostgresURLWithPercentEncodedPasswordAndOptions() throws {
        let c = try ConnectionConfiguration(url: "postgresql://alice:p%40ss%3Aw%2Frd@db.example.com:6543/shop?sslmode=verify-full&sslrootcert=/ca.pem&connect_timeout=7&application_name=dbm&target_session_attrs=any")
        XCTAssertEqual(c.dialect, .postgresql)
        XCTAssertEqual(c.username, "alice")
        XCTAssertEqual(c.password, "p@ss:w/rd")
        XCTAssertEqual(c.host, "db.example.com")
        XCTAssertEqual(c.port, 6543)
        XCTAssertEqual(c.database, "shop")
        XCTAssertEqual(c.tls.mode, .verifyFull)
        XCTAssertEqual(c.tls.rootCertificatePath, "/ca.pem")
        XCTAssertEqual(c.connectTimeout, 7)
        XCTAssertEqual(c.applicationName, "dbm")
        XCTAssertEqual(c.options["target_session_attrs"], "any")
    }

    func testPercentDecodingMatchesFoundationIncludingMalformedInput() throws {
        let cases = ["plain", "p%40ss", "%E2%82%AC%20x", "a+b", "100%", "%4", "%zz", "%FF%FE", "%e2%82%ac", "", "%00x", "ü%C3%BC"]
        for text in cases {
            XCTAssertEqual(ConnectionConfiguration.percentDecoded(text[...]), text.removingPercentEncoding, text)
        }
        let unicode = try ConnectionConfiguration(url: "postgresql://%C3%BCser:pa%25ss%E2%82%AC@h/db%20name")
        XCTAssertEqual(unicode.username, "üser")
        XCTAssertEqual(unicode.password, "pa%ss€")
        XCTAssertEqual(unicode.database, "db name")
        XCTAssertThrowsError(try ConnectionConfiguration(url: "postgresql://u:bad%ZZpw@h/db")) { error in
            XCTAssertFalse("\(error)".contains("bad%ZZpw"))
        }
    }

    func testSchemeAliasesAndDriverSuffix() throws {
        XCTAssertEqual(try ConnectionConfiguration(url: "postgres://h/d").dialect, .postgresql)
        XCTAssertEqual(try ConnectionConfiguration(url: "postgresql+psycopg2://h/d").dialect, .postgresql)
        XCTAssertEqual(try ConnectionConfiguration(url: "mysql+pymysql://u@h/d").dialect, .mysql)
        XCTAssertEqual(try ConnectionConfiguration(url: "mariadb://u@h:3307/d").effectivePort, 3307)
        XCTAssertEqual(try ConnectionConfiguration(url: "mysql://u@h/d").effectivePort, 3306)
        XCTAssertEqual(try ConnectionConfiguration(url: "postgresql://[::1]:5433/d").host, "::1")
    }

    func testRedactedURLNeverContainsPassword() throws {
        let c = try ConnectionConfiguration(url: "postgresql://bob:s3cr%23t@localhost/app")
        XCTAssertFalse(c.redactedURL.contains("s3cr"))
        XCTAssertTrue(c.redactedURL.contains("bob:***@"))
        XCTAssertFalse("\(c)".contains("s3cr"))
        XCTAssertEqual(try ConnectionConfiguration(url: c.url).password, "s3cr#t")
        let encoded = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
        XCTAssertFalse(encoded.contains("s3cr"))
    }

    func testMalformedURLsAreRejectedWithoutEchoingThePassword() {
        for bad in ["", "nothing", "oracle://u:pw@h/d", "postgresql://u:topsecret@h:99999/d", "postgresql:h/d"] {
            XCTAssertThrowsError(try ConnectionConfiguration(url: bad), bad) { error in
                XCTAssertEqual((error as? DatabaseError)?.code, .invalidConfiguration)
                XCTAssertFalse("\(error)".contains("topsecret"))
            }
        }
    }

    func testConnectionConfigObjectFromTheSpec() throws {
        let json = #"""
        {"host": "127.0.0.1", "port": 5432, "database": "app", "username": "u", "password": "pw",
         "driver": "postgresql", "connection_pool": {"min_connections": 1, "max_connections": 4, "connection_timeout": 5, "idle_timeout": 60},
         "ssl_config": {"enabled": true, "ca_path": "/ca.pem"}}
        """#
        let c = try JSONDecoder().decode(ConnectionConfiguration.self, from: Data(json.utf8))
        XCTAssertEqual(c.dialect, .postgresql)
        XCTAssertEqual(c.pool.maxConnections, 4)
        XCTAssertEqual(c.pool.acquireTimeout, 5)
        XCTAssertEqual(c.tls.mode, .verifyFull)
        XCTAssertEqual(c.password, "pw")
        let sqlite = try JSONDecoder().decode(ConnectionConfiguration.self, from: Data(#"{"driver": "sqlite", "database": "x.db"}"#.utf8))
        XCTAssertEqual(sqlite.database, "x.db")
        XCTAssertThrowsError(try JSONDecoder().decode(ConnectionConfiguration.self, from: Data(#"{"driver": "oracle", "database": "x"}"#.utf8)))
        XCTAssertThrowsError(try JSONDecoder().decode(ConnectionConfiguration.self,
            from: Data(#"{"driver": "mysql", "database": "x", "connection_pool": {"min_connections": 5, "max_connections": 2}}"#.utf8)))
    }
}
