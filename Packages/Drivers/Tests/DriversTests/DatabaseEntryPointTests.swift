import DriverTestSupport
import Drivers
import XCTest

/// `Database.connect` picks the right engine for every URL form, against the real engines.
final class DatabaseEntryPointTests: XCTestCase {
    func testConnectsToEachEngineFromItsURL() async throws {
        var urls = ["sqlite::memory:", "sqlite:///" + TestDatabases.temporaryDirectory().appendingPathComponent("e.db").path]
        urls.append(try TestDatabases.postgres().url.replacingOccurrences(of: "postgresql://", with: "postgres://"))
        urls.append(try TestDatabases.mysql().url.replacingOccurrences(of: "mysql://", with: "mariadb://"))
        for url in urls {
            let connection = try await Database.connect(url)
            let one = try await connection.scalar("SELECT 1 + 1")
            XCTAssertEqual(one, .integer(2), url)
            await connection.close()
        }
    }

    func testTestConnectionReportsTheReason() async throws {
        let ok = try await Database.testConnection(ConnectionConfiguration(url: "sqlite::memory:"))
        XCTAssertTrue(ok)
        do {
            _ = try await Database.testConnection(ConnectionConfiguration(url: "postgresql://u:pw@127.0.0.1:1/x?connect_timeout=2"))
            XCTFail("nothing listens on port 1")
        } catch DatabaseError.connectionRefused {}
    }
}
