import DriverTestSupport
import Drivers
import Foundation
import Migrations
import XCTest

/// Each file format end to end, with adoption of and bookkeeping in the other tool's history table.
final class FormatTests: XCTestCase {
    /// Every format up and down on every engine, checking the other tool's table as that tool would leave it.
    func testEveryFormatRoundTripsOnEveryEngine() async throws {
        let up = ["CREATE TABLE fa (id INTEGER);", "CREATE TABLE fb (id INTEGER);"]
        let down = ["DROP TABLE fa;", "DROP TABLE fb;"]
        let formats: [(MigrationFormat, [String: String], String, [String?], [String?])] = [
            (.golangMigrate, ["1_a.up.sql": up[0], "1_a.down.sql": down[0], "2_b.up.sql": up[1], "2_b.down.sql": down[1]],
             "SELECT version FROM schema_migrations", ["2"], []),
            (.dbmate, ["1_a.sql": "-- migrate:up\n\(up[0])\n-- migrate:down\n\(down[0])\n",
                       "2_b.sql": "-- migrate:up\n\(up[1])\n-- migrate:down\n\(down[1])\n"],
             "SELECT version FROM schema_migrations ORDER BY version", ["1", "2"], []),
            (.fileOrder, ["0001_a.up.sql": up[0], "0001_a.down.sql": down[0], "0001_b.up.sql": up[1], "0001_b.down.sql": down[1]],
             "SELECT version FROM migrations", ["0001_b"], [""]),
            (.flyway, ["V1__a.sql": up[0], "U1__a.sql": down[0], "V2__b.sql": up[1], "U2__b.sql": down[1]],
             "SELECT type FROM flyway_schema_history ORDER BY installed_rank", ["SQL", "SQL"], ["SQL", "SQL", "UNDO_SQL", "UNDO_SQL"]),
        ]
        for dialect in Dialect.allCases {
            for (format, files, toolQuery, afterUp, afterDown) in formats {
                try await ScratchDatabase.with(dialect) { db in
                    let manager = db.manager(try MigrationFiles.directory(files))
                    let result = try await manager.upgrade()
                    let context = "\(format.rawValue) on \(dialect.rawValue)"
                    XCTAssertEqual(result.migrationsExecuted, 2, context)
                    try await assertTrue(await db.tableExists("fb"), context)
                    try await assertEqual(await db.column(toolQuery), afterUp, context)
                    try await assertEqual(await manager.status().format, format, context)
                    _ = try await manager.downgrade(targetRevision: "base")
                    try await assertFalse(await db.tableExists("fa"), context)
                    try await assertEqual(await db.column(toolQuery), afterDown, context)
                    try await assertEqual(await manager.getPendingMigrations().count, 2, context)
                }
            }
        }
    }

    func testGolangMigrateAdoptsAndKeepsSchemaMigrationsOnPostgreSQL() async throws {
        try await ScratchDatabase.with(.postgresql) { db in
            let dir = try MigrationFiles.directory([
                "000001_users.up.sql": "CREATE TABLE users (id int primary key);", "000001_users.down.sql": "DROP TABLE users;",
                "000002_posts.up.sql": "CREATE TABLE posts (id int primary key);", "000002_posts.down.sql": "DROP TABLE posts;",
            ])
            // A database golang-migrate brought to version 1.
            try await db.execute("""
                CREATE TABLE users (id int primary key);
                CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null);
                INSERT INTO schema_migrations VALUES (1, false);
                """)
            let manager = db.manager(dir)
            try await assertEqual(await manager.getCurrentRevision(), "000001", "golang-migrate's version counts as applied")
            let result = try await manager.upgrade()
            XCTAssertEqual(result.changesApplied.map(\.revision), ["000002"])
            try await assertEqual(await db.column("SELECT version || ':' || dirty FROM schema_migrations"), ["2:false"])
            let history = try await manager.getMigrationHistory()
            XCTAssertEqual(history.map(\.source), ["adopted:golang-migrate", "dbm"])

            _ = try await manager.downgrade(targetRevision: "000001")
            try await assertEqual(await db.column("SELECT version || ':' || dirty FROM schema_migrations"), ["1:false"])
            _ = try await manager.downgrade(targetRevision: "base")
            try await assertEqual(await db.column("SELECT version FROM schema_migrations"), [], "golang-migrate's empty state")
        }
    }

    /// Stored programs need the client's DELIMITER handling; each body runs as one statement.
    func testDelimiterBlocksCreateProceduresAndTriggersOnMariaDB() async throws {
        try await ScratchDatabase.with(.mysql) { db in
            let dir = try MigrationFiles.directory([
                "0001_programs/up.sql": """
                    CREATE TABLE counter (n INT NOT NULL);
                    INSERT INTO counter VALUES (0);
                    CREATE TABLE items (id INT PRIMARY KEY);
                    DELIMITER $$
                    CREATE PROCEDURE bump() BEGIN UPDATE counter SET n = n + 1; SELECT n FROM counter; END$$
                    CREATE TRIGGER items_count AFTER INSERT ON items FOR EACH ROW BEGIN UPDATE counter SET n = n + 10; END$$
                    DELIMITER ;
                    CALL bump();
                    INSERT INTO items VALUES (1);
                    """,
                "0001_programs/down.sql": "DROP TRIGGER items_count;\nDROP PROCEDURE bump;\nDROP TABLE items;\nDROP TABLE counter;",
            ])
            let manager = db.manager(dir)
            let result = try await manager.upgrade()
            XCTAssertEqual(result.changesApplied.first?.statements, 7)
            try await assertEqual(await db.column("SELECT n FROM counter"), ["11"])
            _ = try await manager.downgrade(targetRevision: "base")
            try await assertFalse(await db.tableExists("counter"))
        }
    }

    func testDbmateAndMaragudkDatabasesAreAdoptedOnMariaDB() async throws {
        try await ScratchDatabase.with(.mysql) { db in
            let dbmate = try MigrationFiles.directory([
                "1_a.sql": "-- migrate:up\nCREATE TABLE a (id INT);\n", "2_b.sql": "-- migrate:up\nCREATE TABLE b (id INT);\n",
            ])
            try await db.execute("CREATE TABLE a (id INT); CREATE TABLE schema_migrations (version varchar(128) primary key); INSERT INTO schema_migrations VALUES ('1');")
            let manager = db.manager(dbmate)
            try await assertEqual(await manager.getPendingMigrations().map(\.revision), ["2"])
            _ = try await manager.upgrade()
            try await assertEqual(await manager.getMigrationHistory().map(\.source), ["adopted:dbmate", "dbm"])
        }
        try await ScratchDatabase.with(.mysql) { db in
            let files = try MigrationFiles.directory([
                "0001_a.up.sql": "CREATE TABLE a (id INT);", "0001_b.up.sql": "CREATE TABLE b (id INT);", "0002.up.sql": "CREATE TABLE c (id INT);",
            ])
            try await db.execute("CREATE TABLE a (id INT); CREATE TABLE b (id INT); CREATE TABLE migrations (version varchar(255) not null); INSERT INTO migrations VALUES ('0001_b');")
            let manager = db.manager(files)
            try await assertEqual(await manager.getCurrentRevision(), "0001_b", "maragudk keeps only the newest version")
            try await assertEqual(await manager.upgrade().changesApplied.map(\.revision), ["0002"])
            try await assertEqual(await db.column("SELECT version FROM migrations"), ["0002"])
        }
    }

    func testGolangMigrateDirtyFlagBlocksUntilRepaired() async throws {
        try await ScratchDatabase.with(.sqlite) { db in
            let dir = try MigrationFiles.directory([
                "1_a.up.sql": "CREATE TABLE a (id int);", "2_b.up.sql": "CREATE TABLE b (id int);",
            ])
            try await db.execute("""
                CREATE TABLE a (id int);
                CREATE TABLE schema_migrations (version uint64, dirty bool);
                INSERT INTO schema_migrations VALUES (2, 1);
                """)
            let manager = db.manager(dir)
            let refused = await assertThrows(MigrationError.self) { _ = try await manager.upgrade() }
            XCTAssertEqual(refused?.code, .dirty)
            XCTAssertEqual(refused?.revision, "2")
            XCTAssertTrue(refused?.message.contains("golang-migrate") == true)
            let cannotResume = await assertThrows(MigrationError.self) { _ = try await manager.repair(action: .resume) }
            XCTAssertEqual(cannotResume?.code, .invalidRequest)
            _ = try await manager.repair(action: .markRolledBack)
            try await assertEqual(await db.column("SELECT version || ':' || dirty FROM schema_migrations"), ["1:0"])
            try await assertEqual(await manager.upgrade().changesApplied.map(\.revision), ["2"])
        }
    }

    func testFlywayWritesItsHistoryUndoAndRepeatablesOnMariaDB() async throws {
        try await ScratchDatabase.with(.mysql) { db in
            let dir = try MigrationFiles.directory([
                "V1__create_users.sql": "CREATE TABLE users (id INT PRIMARY KEY);",
                "V1_1__create_posts.sql": "CREATE TABLE posts (id INT PRIMARY KEY);",
                "U1_1__create_posts.sql": "DROP TABLE posts;",
                "R__user_view.sql": "CREATE OR REPLACE VIEW user_ids AS SELECT id FROM users;",
            ])
            let manager = db.manager(dir)
            let result = try await manager.upgrade()
            XCTAssertEqual(result.changesApplied.map(\.revision), ["1", "1.1", "R__user view"])
            let rows = try await db.column("SELECT CONCAT(installed_rank, ':', COALESCE(version, '-'), ':', type, ':', script, ':', success) FROM flyway_schema_history ORDER BY installed_rank")
            XCTAssertEqual(rows, ["1:1:SQL:V1__create_users.sql:1", "2:1.1:SQL:V1_1__create_posts.sql:1", "3:-:SQL:R__user_view.sql:1"])
            let checksum = try await db.column("SELECT checksum FROM flyway_schema_history WHERE installed_rank = 1").first ?? nil
            XCTAssertEqual(checksum, String(Checksums.flywayCRC32("CREATE TABLE users (id INT PRIMARY KEY);")))

            _ = try await manager.downgrade(targetRevision: "1")
            try await assertEqual(await db.column("SELECT type FROM flyway_schema_history WHERE installed_rank = 4"), ["UNDO_SQL"])
            try await assertEqual(await manager.getPendingMigrations().map(\.revision), ["1.1"])

            // A changed repeatable runs again; an unchanged one does not.
            _ = try await manager.upgrade()
            try MigrationFiles.write(["R__user_view.sql": "CREATE OR REPLACE VIEW user_ids AS SELECT id FROM users WHERE id > 0;"], into: dir)
            try await assertEqual(await manager.getPendingMigrations().map(\.revision), ["R__user view"])
            try await assertEqual(await manager.validateMigrations(), [], "repeatables are not drift")
            _ = try await manager.upgrade()
            try await assertEqual(await manager.getPendingMigrations().count, 0)
        }
    }

    func testFlywayDatabaseIsAdoptedOnPostgreSQL() async throws {
        try await ScratchDatabase.with(.postgresql) { db in
            let dir = try MigrationFiles.directory([
                "V1__a.sql": "CREATE TABLE a (id int);", "V2__b.sql": "CREATE TABLE b (id int);",
            ])
            try await db.execute("""
                CREATE TABLE a (id int);
                CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, version VARCHAR(50),
                    description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INT,
                    installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), execution_time INT NOT NULL,
                    success BOOLEAN NOT NULL);
                INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
                VALUES (1, '1', 'a', 'SQL', 'V1__a.sql', 0, 'flyway', 5, true);
                """)
            let manager = db.manager(dir)
            try await assertEqual(await manager.getPendingMigrations().map(\.revision), ["2"])
            _ = try await manager.upgrade()
            try await assertEqual(await db.column("SELECT version FROM flyway_schema_history ORDER BY installed_rank"), ["1", "2"])
        }
    }

    func testDbmateFilesAndSchemaMigrationsOnSQLite() async throws {
        try await ScratchDatabase.with(.sqlite) { db in
            let dir = try MigrationFiles.directory([
                "20240101000000_users.sql": "-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n",
                "20240102000000_vacuum.sql": "-- migrate:up transaction:false\nCREATE TABLE t (id int);\nVACUUM;\n\n-- migrate:down\nDROP TABLE t;\n",
            ])
            let manager = db.manager(dir)
            let result = try await manager.upgrade()
            XCTAssertEqual(result.changesApplied.map(\.mode), ["transactional", "statement_by_statement"],
                           "VACUUM cannot run in a transaction: transaction:false is honoured")
            try await assertEqual(await db.column("SELECT version FROM schema_migrations ORDER BY version"), ["20240101000000", "20240102000000"])
            _ = try await manager.downgrade(targetRevision: "20240101000000")
            try await assertEqual(await db.column("SELECT version FROM schema_migrations"), ["20240101000000"])
        }
    }

    func testFileOrderFormatKeepsItsOneRowMigrationsTableOnPostgreSQL() async throws {
        try await ScratchDatabase.with(.postgresql) { db in
            let dir = try MigrationFiles.directory([
                "0001_create_a.up.sql": "CREATE TABLE a (id int);", "0001_create_a.down.sql": "DROP TABLE a;",
                "0001_create_b.up.sql": "CREATE TABLE b (id int);",
                "0002_alter_b_up.sql": "ALTER TABLE b ADD COLUMN x int;", "0002_alter_b_down.sql": "ALTER TABLE b DROP COLUMN x;",
                "0003.up.sql": "CREATE TABLE c (id int);",
            ])
            let manager = db.manager(dir, options: MigrationOptions(migrationsTable: "dbm_history_custom"))
            let result = try await manager.upgrade()
            XCTAssertEqual(result.changesApplied.map(\.revision), ["0001_create_a", "0001_create_b", "0002_alter_b", "0003"])
            try await assertEqual(await db.column("SELECT version FROM migrations"), ["0003"])
            try await assertTrue(await db.tableExists("dbm_history_custom"), "the history table's name is configurable")
            try await assertFalse(await db.tableExists(MigrationOptions.defaultMigrationsTable))
        }
    }
}
