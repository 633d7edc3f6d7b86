import DriverTestSupport
import Drivers
import Foundation
import Migrations
import XCTest

/// A scratch database on one engine for one test, and helpers to build migration directories.
struct ScratchDatabase {
    let configuration: ConnectionConfiguration

    var dialect: Dialect { configuration.dialect }

    /// Creates a scratch database on `dialect`'s test server (a temporary file for SQLite), runs `body`, drops it.
    static func with(_ dialect: Dialect, _ body: (ScratchDatabase) async throws -> Void) async throws {
        let driver = Database.driver(for: dialect)
        let base = try TestDatabases.server(dialect)
        let configuration = try await TestDatabases.scratchDatabase(using: driver, on: base, prefix: "dbm_mig")
        do {
            try await body(ScratchDatabase(configuration: configuration))
        } catch {
            await TestDatabases.dropScratchDatabase(using: driver, configuration)
            throw error
        }
        await TestDatabases.dropScratchDatabase(using: driver, configuration)
    }

    func manager(_ directory: URL, options: MigrationOptions = .init(),
                 progress: MigrationProgressHandler? = nil) -> MigrationManager {
        MigrationManager(migrationDirectory: directory.path, configuration: configuration, options: options, progress: progress)
    }

    /// Runs one query on a fresh connection and returns the first column of every row as text.
    func column(_ sql: String) async throws -> [String?] {
        let connection = try await Database.connect(configuration)
        do {
            let result = try await connection.query(sql)
            await connection.close()
            return result.rows.map { row in
                switch row[0] {
                case .null: nil
                case .integer(let v): String(v)
                case .bool(let b): b ? "1" : "0"
                case let other: other.textRepresentation
                }
            }
        } catch {
            await connection.close()
            throw error
        }
    }

    func execute(_ sql: String) async throws {
        let connection = try await Database.connect(configuration)
        do { try await connection.executeScript(sql) } catch { await connection.close(); throw error }
        await connection.close()
    }

    /// True when `table` exists.
    func tableExists(_ table: String) async throws -> Bool {
        let sql = switch dialect {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '\(table)'"
        case .postgresql: "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = '\(table)'"
        case .mysql: "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '\(table)'"
        }
        return try await !column(sql).isEmpty
    }

    /// Number of tables in the database (current schema on PostgreSQL).
    func tableCount() async throws -> Int {
        let sql = switch dialect {
        case .sqlite: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        case .postgresql: "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()"
        case .mysql: "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
        }
        return Int(try await column(sql).first.flatMap { $0 } ?? "0") ?? 0
    }
}

/// Writes migration directories for tests.
enum MigrationFiles {
    /// A new temporary directory holding `files` (relative path → contents).
    static func directory(_ files: [String: String]) throws -> URL {
        let dir = TestDatabases.temporaryDirectory()
        try write(files, into: dir)
        return dir
    }

    static func write(_ files: [String: String], into dir: URL) throws {
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    /// Three migrations in the toolkit's format: users, posts (depends on users), an index on posts.
    static func blog(_ dialect: Dialect) throws -> URL {
        try directory([
            "0001_users/up.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);\nINSERT INTO users (id, name) VALUES (1, 'ada');",
            "0001_users/down.sql": "DROP TABLE users;",
            "0002_posts/up.sql": "-- dbm:depends-on: 0001\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title VARCHAR(200));",
            "0002_posts/down.sql": "DROP TABLE posts;",
            "0003_posts_index/up.sql": "CREATE INDEX posts_title ON posts (title);",
            "0003_posts_index/down.sql": dialect.dropIndex("posts_title", table: "posts"),
        ])
    }
}

extension Dialect {
    /// `DROP INDEX` needs the table on MySQL.
    func dropIndex(_ index: String, table: String) -> String {
        self == .mysql ? "DROP INDEX \(index) ON \(table);" : "DROP INDEX \(index);"
    }
}
