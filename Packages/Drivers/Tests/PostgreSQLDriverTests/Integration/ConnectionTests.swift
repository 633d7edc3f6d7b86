import DriverTestSupport
import PostgreSQLDriver
import XCTest

final class ConnectionTests: XCTestCase {
    func testConnectReportsVersionAndDatabaseInfo() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            _ = try await connection.execute("CREATE TABLE t (id int PRIMARY KEY, name text)")
            _ = try await connection.execute("CREATE TABLE u (id int)")
            _ = try await connection.execute("CREATE VIEW v AS SELECT id FROM t")
            _ = try await connection.execute("CREATE INDEX u_id ON u (id)")

            let version = try await connection.serverVersion()
            XCTAssertTrue(version.first?.isNumber == true && version.contains("."), "version was \(version)")
            XCTAssertFalse(version.contains(" "))

            let info = try await connection.databaseInfo()
            XCTAssertEqual(info.engine, "postgresql")
            XCTAssertEqual(info.serverVersion, version)
            XCTAssertEqual(info.databaseName, connection.configuration.database)
            XCTAssertEqual(info.encoding, "UTF8")
            XCTAssertEqual(info.tableCount, 2)
            XCTAssertEqual(info.viewCount, 1)
            XCTAssertEqual(info.indexCount, 2, "the primary key's index and u_id")
            XCTAssertGreaterThan(info.sizeBytes ?? 0, 1_000_000)
        }
    }

    func testSessionIsSetUpForExactTextOutput() async throws {
        try await PostgreSQLTestServer.withScratchConnection { connection in
            let row = try await connection.query("""
                SELECT current_setting('DateStyle'), current_setting('IntervalStyle'), current_setting('TimeZone'),
                       current_setting('extra_float_digits'), current_setting('client_encoding'),
                       current_setting('application_name')
                """).rows[0]
            XCTAssertEqual(row.values, [.text("ISO, MDY"), .text("postgres"), .text("UTC"), .text("3"), .text("UTF8"), .text("dbm")])
        }
    }

    func testApplicationNameAndLibpqOptionsArePassedToTheServer() async throws {
        var configuration = try PostgreSQLTestServer.configuration()
        configuration.applicationName = "dbm-pg-test"
        configuration.connectTimeout = 5
        configuration.options["keepalives"] = "1"
        configuration.options["not_a_libpq_keyword"] = "ignored"
        configuration.options["options"] = "-c work_mem=7MB"
        let connection = try await PostgreSQLConnection.open(configuration)
        let row = try await connection.query("SELECT current_setting('application_name'), current_setting('work_mem')").rows[0]
        XCTAssertEqual(row.values, [.text("dbm-pg-test"), .text("7MB")])
        await connection.close()
    }

    func testTLSModeIsPassedToLibpq() async throws {
        // With TLS off on the server, requiring TLS must fail; with it on (scripts/test-servers.sh makes a
        // test CA), requiring it must give a TLS session. Either way a missing root certificate fails and
        // disabling TLS connects without it.
        var configuration = try PostgreSQLTestServer.configuration()
        let probe = try await PostgreSQLConnection.open(configuration)
        let serverTLS = try await probe.scalar("SHOW ssl")
        await probe.close()
        configuration.tls = TLSConfiguration(mode: .require)
        if serverTLS == .text("on") {
            let connection = try await PostgreSQLConnection.open(configuration)
            let ssl = try await connection.scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            XCTAssertEqual(ssl, .bool(true))
            await connection.close()
        } else {
            let error = await assertThrowsDatabaseError(.connectionRefused) { _ = try await PostgreSQLConnection.open(configuration) }
            XCTAssertTrue(error?.message.contains("SSL") ?? false, error?.message ?? "")
        }
        configuration.tls = TLSConfiguration(mode: .verifyFull, rootCertificatePath: "/nonexistent/dbm-root.crt")
        await assertThrowsDatabaseError(.connectionRefused) { _ = try await PostgreSQLConnection.open(configuration) }
        configuration.tls = TLSConfiguration(mode: .disable)
        let connection = try await PostgreSQLConnection.open(configuration)
        let ssl = try await connection.scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        XCTAssertEqual(ssl, .bool(false))
        await connection.close()
    }

    func testPasswordWithSpacesAndQuotesConnects() async throws {
        let base = try PostgreSQLTestServer.configuration()
        let admin = try await PostgreSQLConnection.open(base)
        let role = TestDatabases.uniqueName("dbm_pg_role")
        let password = #"p a'ss"w\ord = x"#
        // The role's password is set by the server from a bound value, never spliced.
        _ = try await admin.execute("CREATE ROLE \(Dialect.postgresql.quote(role)) LOGIN")
        _ = try await admin.scalar("SELECT set_config('dbm.pw', $1, false)", [.text(password)])
        _ = try await admin.executeScript("""
            DO $$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', '\(role)', current_setting('dbm.pw')); END $$
            """)
        do {
            var configuration = base
            configuration.username = role
            configuration.password = password
            let connection = try await PostgreSQLConnection.open(configuration)
            let user = try await connection.scalar("SELECT current_user")
            XCTAssertEqual(user, .text(role))
            await connection.close()
        } catch {
            XCTFail("could not connect with the password: \(error)")
        }
        _ = try await admin.execute("DROP ROLE \(Dialect.postgresql.quote(role))")
        await admin.close()
    }

    func testCloseIsIdempotentAndLaterCallsAreMisuse() async throws {
        let connection = try await PostgreSQLConnection.open(PostgreSQLTestServer.configuration())
        let alive = await connection.isAlive()
        XCTAssertTrue(alive)
        await connection.close()
        await connection.close()
        let aliveAfterClose = await connection.isAlive()
        XCTAssertFalse(aliveAfterClose)
        await assertThrowsDatabaseError(.misuse) { _ = try await connection.execute("SELECT 1") }
        await assertThrowsDatabaseError(.misuse) { _ = try await connection.serverVersion() }
        connection.cancel()
    }

    func testDriverConnectReturnsAPostgreSQLConnection() async throws {
        let driver = PostgreSQLDriver()
        XCTAssertEqual(driver.dialect, .postgresql)
        let connection = try await driver.connect(PostgreSQLTestServer.configuration())
        XCTAssertTrue(connection is PostgreSQLConnection)
        XCTAssertEqual(connection.dialect, .postgresql)
        await connection.close()
    }

    func testOpeningAnotherEnginesConfigurationIsInvalidConfiguration() async throws {
        let configuration = ConnectionConfiguration(dialect: .mysql, host: "127.0.0.1", database: "x")
        await assertThrowsDatabaseError(.invalidConfiguration) { _ = try await PostgreSQLConnection.open(configuration) }
    }
}
