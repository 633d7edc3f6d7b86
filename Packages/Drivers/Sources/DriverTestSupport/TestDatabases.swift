import DatabaseDriver
import Foundation
import XCTest

/// Where the test servers and fixtures are, and scratch databases on them.
///
/// `make test` starts throwaway PostgreSQL and MariaDB servers and exports `DBM_TEST_POSTGRES_URL` and
/// `DBM_TEST_MYSQL_URL`. When a URL is missing, a test that needs that server is skipped with the reason,
/// except under `CI=true`, where it fails: CI never silently skips a server.
public enum TestDatabases {
    /// The PostgreSQL server's configuration (connected to its `postgres` database).
    public static func postgres() throws -> ConnectionConfiguration {
        try configuration(env: "DBM_TEST_POSTGRES_URL", engine: "PostgreSQL")
    }

    /// The MariaDB server's configuration (connected to its `dbm_test` database).
    public static func mysql() throws -> ConnectionConfiguration {
        try configuration(env: "DBM_TEST_MYSQL_URL", engine: "MariaDB")
    }

    /// The server configuration for a dialect; SQLite gets a fresh file in a temporary directory.
    public static func server(_ dialect: Dialect) throws -> ConnectionConfiguration {
        switch dialect {
        case .postgresql: try postgres()
        case .mysql: try mysql()
        case .sqlite: ConnectionConfiguration(dialect: .sqlite, database: temporaryDirectory().appendingPathComponent("test.db").path)
        }
    }

    private static func configuration(env: String, engine: String) throws -> ConnectionConfiguration {
        guard let url = ProcessInfo.processInfo.environment[env], !url.isEmpty else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("\(env) is not set under CI=true: the \(engine) test server did not start (run `make test`)")
                throw XCTSkip("\(engine) test server missing")
            }
            throw XCTSkip("\(env) is not set; run the tests with `make test` to start a throwaway \(engine) server")
        }
        return try ConnectionConfiguration(url: url)
    }

    /// Creates an empty database with a unique name on the server `base` points at, and returns its
    /// configuration. Drop it with `dropScratchDatabase` (tests do so in `tearDown`/`defer`).
    public static func scratchDatabase(
        using driver: some DatabaseDriver, on base: ConnectionConfiguration, prefix: String = "dbm_test"
    ) async throws -> ConnectionConfiguration {
        if base.dialect == .sqlite {
            return base.with(database: temporaryDirectory().appendingPathComponent("\(prefix).db").path)
        }
        let name = uniqueName(prefix)
        try await driver.createDatabase(name, options: CreateDatabaseOptions(), on: base)
        return base.with(database: name)
    }

    /// Drops a database made by `scratchDatabase`; errors are ignored (the server is thrown away anyway).
    public static func dropScratchDatabase(using driver: some DatabaseDriver, _ configuration: ConnectionConfiguration) async {
        if configuration.dialect == .sqlite {
            try? FileManager.default.removeItem(atPath: configuration.database)
            return
        }
        try? await driver.dropDatabase(configuration.database, ifExists: true, on: configuration.with(database: adminDatabase(configuration.dialect)))
    }

    /// The database to connect to for administration on a server (`postgres`, `mysql`).
    public static func adminDatabase(_ dialect: Dialect) -> String {
        switch dialect {
        case .postgresql: "postgres"
        case .mysql: "mysql"
        case .sqlite: ":memory:"
        }
    }

    /// A name that no other test run uses: `prefix_<pid>_<counter>_<random>`.
    public static func uniqueName(_ prefix: String) -> String {
        let n = counter.next()
        return "\(prefix)_\(ProcessInfo.processInfo.processIdentifier)_\(n)_\(UInt32.random(in: 0...UInt32.max) % 100_000)"
    }

    private static let counter = Counter()

    /// A new empty directory under the system's temporary directory.
    public static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("dbm-test"), isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The shared fixtures (`pagila`, `sakila-mysql`, `chinook`, `migrations`): `DBM_FIXTURES_DIR`, or
    /// `shared/fixtures` beside the repository.
    public static var fixturesDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["DBM_FIXTURES_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        // Walk up from this source file to the repository root, then to ../shared/fixtures.
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<12 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("shared/fixtures", isDirectory: true)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: "/work/shared/fixtures", isDirectory: true)
    }

    /// A fixture file, failing the test with a clear message when it is missing.
    public static func fixture(_ relativePath: String) throws -> URL {
        let url = fixturesDirectory.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("fixture \(relativePath) not found under \(fixturesDirectory.path)")
        }
        return url
    }
}

/// A thread-safe counter. `@unchecked Sendable`: the value is only touched under the lock.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value
    }
}
