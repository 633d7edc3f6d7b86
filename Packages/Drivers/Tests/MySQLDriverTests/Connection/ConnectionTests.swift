import DriverTestSupport
import Foundation
import MySQLDriver
import XCTest

final class ConnectionTests: MySQLTestCase {
    func testConnectReportsVersionAndIsAlive() async throws {
        let connection = try await driver.connect(try serverConfiguration())
        let version = try await connection.serverVersion()
        XCTAssertTrue(version.contains("MariaDB") || version.first?.isNumber == true, version)
        let serverVersion = try await connection.scalar("SELECT VERSION()")
        XCTAssertEqual(serverVersion, .text(version))
        let alive = await connection.isAlive()
        XCTAssertTrue(alive)
        XCTAssertEqual(connection.dialect, .mysql)
        await connection.close()
    }

    func testDatabaseInfoCountsTablesViewsAndIndexes() async throws {
        try await withScratchConnection { connection in
            try await connection.executeScript("""
                CREATE TABLE a (id INT PRIMARY KEY, name VARCHAR(20), KEY by_name (name));
                CREATE TABLE b (id INT PRIMARY KEY);
                CREATE VIEW v AS SELECT id FROM a;
                INSERT INTO a VALUES (1, 'x');
                """)
            let info = try await connection.databaseInfo()
            XCTAssertEqual(info.engine, "mysql")
            XCTAssertEqual(info.databaseName, connection.configuration.database)
            XCTAssertEqual(info.tableCount, 2)
            XCTAssertEqual(info.viewCount, 1)
            XCTAssertEqual(info.indexCount, 3)
            XCTAssertEqual(info.encoding, "utf8mb4")
            XCTAssertGreaterThan(info.sizeBytes ?? 0, 0)
            let version = try await connection.serverVersion()
            XCTAssertEqual(info.serverVersion, version)
        }
    }

    func testSessionIsUTF8AndUTC() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        let row = try await connection.query("SELECT @@character_set_client, @@character_set_results, @@time_zone").rows[0]
        XCTAssertEqual(row.values, [.text("utf8mb4"), .text("utf8mb4"), .text("+00:00")])
        await connection.close()
    }

    func testCloseIsIdempotentAndLaterCallsAreMisuse() async throws {
        let connection = try await MySQLConnection.connect(try serverConfiguration())
        await connection.close()
        await connection.close()
        let alive = await connection.isAlive()
        XCTAssertFalse(alive)
        await assertThrows(.misuse) { _ = try await connection.execute("SELECT 1") }
        await assertThrows(.misuse) { _ = try await connection.serverVersion() }
        await assertThrows(.misuse) { try await connection.begin() }
    }

    func testReleasedConnectionWithoutCloseFreesItsServerSession() async throws {
        let configuration = try serverConfiguration()
        var connection: MySQLConnection? = try await MySQLConnection.connect(configuration)
        let id = try await connection!.scalar("SELECT CONNECTION_ID()")
        connection = nil
        let observer = try await MySQLConnection.connect(configuration)
        var remaining: DatabaseValue? = .integer(1)
        for _ in 0..<50 {
            remaining = try await observer.scalar("SELECT COUNT(*) FROM information_schema.processlist WHERE id = ?", [id ?? .null])
            if remaining == .integer(0) { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        XCTAssertEqual(remaining, .integer(0), "the server session of a released connection should be gone")
        await observer.close()
    }

    func testApplicationNameIsSentAsProgramName() async throws {
        var configuration = try serverConfiguration()
        configuration.applicationName = "dbm-test-app"
        let connection = try await MySQLConnection.connect(configuration)
        let name = try await connection.scalar("""
            SELECT ATTR_VALUE FROM performance_schema.session_connect_attrs
            WHERE PROCESSLIST_ID = CONNECTION_ID() AND ATTR_NAME = 'program_name'
            """)
        XCTAssertEqual(name, .text("dbm-test-app"))
        await connection.close()
    }

    func testUnixSocketFromOptions() async throws {
        guard let socket = ProcessInfo.processInfo.environment["DBM_TEST_MYSQL_SOCKET"], !socket.isEmpty else {
            throw XCTSkip("DBM_TEST_MYSQL_SOCKET is not set")
        }
        var configuration = try serverConfiguration()
        configuration.host = "localhost"
        configuration.options["socket"] = socket
        let connection = try await MySQLConnection.connect(configuration)
        let transport = try await connection.scalar("SELECT HOST FROM information_schema.processlist WHERE ID = CONNECTION_ID()")
        XCTAssertEqual(transport, .text("localhost"))
        await connection.close()
    }

    func testRequiredTLSFailsAgainstServerWithoutTLS() async throws {
        let configuration = try serverConfiguration()
        let probe = try await MySQLConnection.connect(configuration)
        let haveSSL = try await probe.scalar("SELECT @@have_ssl")
        await probe.close()
        guard haveSSL != .text("YES") else { throw XCTSkip("the test server has TLS enabled") }
        for mode in [TLSConfiguration.Mode.require, .verifyCA, .verifyFull] {
            var tls = configuration
            tls.tls = TLSConfiguration(mode: mode)
            let error = await assertThrows(.connectionRefused) { _ = try await MySQLConnection.connect(tls) }
            XCTAssertEqual(error?.engineCode, "2026", mode.rawValue)
        }
        var disabled = configuration
        disabled.tls = TLSConfiguration(mode: .disable)
        let connection = try await MySQLConnection.connect(disabled)
        await connection.close()
    }

    func testConnectTimeoutIsAppliedToUnreachableHost() async throws {
        var configuration = try serverConfiguration()
        configuration.host = "10.255.255.1"
        configuration.connectTimeout = 1
        let start = Date()
        await assertThrows(.connectionRefused) { _ = try await MySQLConnection.connect(configuration) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "connect_timeout=1 should give up quickly")
    }
}
