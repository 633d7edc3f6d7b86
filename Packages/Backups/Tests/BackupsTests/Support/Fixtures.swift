@testable import Backups
import DriverTestSupport
import Drivers
import Foundation
import XCTest

/// Loads the shared fixtures into scratch databases with the engines' own clients, and compares databases.
enum Fixtures {
    /// A copy of chinook's ready-made SQLite file in a fresh temporary directory.
    static func chinookSQLite() throws -> ConnectionConfiguration {
        let source = try TestDatabases.fixture("chinook/Chinook_Sqlite.sqlite")
        let copy = TestDatabases.temporaryDirectory().appendingPathComponent("chinook.db")
        try FileManager.default.copyItem(at: source, to: copy)
        return ConnectionConfiguration(dialect: .sqlite, database: copy.path)
    }

    /// pagila (schema and data) in a new scratch database, loaded with psql.
    static func pagila() async throws -> ConnectionConfiguration {
        let scratch = try await TestDatabases.scratchDatabase(using: PostgreSQLDriver(), on: TestDatabases.postgres(), prefix: "dbm_bk_pagila")
        let schema = try pagilaSchemaWithoutPLpgSQL()
        for file in [schema, try TestDatabases.fixture("pagila/pagila-data.sql")] {
            try TestDatabases.runClient(.file(file), on: scratch)
        }
        return scratch
    }

    /// pagila's schema without its PL/pgSQL functions and the triggers that call them: the shared test
    /// server cannot load `plpgsql.so` (undefined symbol `heap_datum_update_type`, a package mismatch).
    /// Every other object (SQL functions, the aggregate, domains, enum, partitions, materialized view,
    /// the full-text trigger) stays.
    static func pagilaSchemaWithoutPLpgSQL() throws -> URL {
        let text = try String(contentsOf: try TestDatabases.fixture("pagila/pagila-schema.sql"), encoding: .utf8)
        var sections = text.components(separatedBy: "\n--\n-- Name: ")
        let removed = sections.filter { $0.contains("LANGUAGE plpgsql") }.compactMap { $0.split(separator: "(").first.map(String.init) }
        sections.removeAll { section in
            section.contains("LANGUAGE plpgsql") || removed.contains { section.contains("FUNCTION public.\($0)(") && section.contains("CREATE TRIGGER") }
        }
        let url = TestDatabases.temporaryDirectory().appendingPathComponent("pagila-schema.sql")
        try sections.joined(separator: "\n--\n-- Name: ").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// sakila in a new scratch database, loaded with the mariadb client (its hard-coded `sakila` schema
    /// name is taken out so it loads into the scratch database).
    static func sakila() async throws -> ConnectionConfiguration {
        let scratch = try await TestDatabases.scratchDatabase(using: MySQLDriver(), on: TestDatabases.mysql(), prefix: "dbm_bk_sakila")
        let work = TestDatabases.temporaryDirectory()
        for file in ["sakila-schema.sql", "sakila-data.sql"] {
            var text = try String(contentsOf: try TestDatabases.fixture("sakila-mysql/\(file)"), encoding: .utf8)
            text = text.replacingOccurrences(of: "DROP SCHEMA IF EXISTS sakila;", with: "")
                .replacingOccurrences(of: "CREATE SCHEMA sakila;", with: "")
                .replacingOccurrences(of: "USE sakila;", with: "")
                .replacingOccurrences(of: "sakila.", with: "")
            let url = work.appendingPathComponent(file)
            try text.write(to: url, atomically: true, encoding: .utf8)
            try TestDatabases.runClient(.file(url), on: scratch)
        }
        return scratch
    }

    /// Runs a shell tool (decompressors in the plain-SQL tests); a failure fails the test.
    static func run(_ tool: String, _ arguments: [String], stdin: URL? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if let stdin { process.standardInput = try FileHandle(forReadingFrom: stdin) }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestDatabases.ClientFailure(tool: tool, status: process.terminationStatus, stderr: String(decoding: message, as: UTF8.self))
        }
    }

    static func drop(_ configuration: ConnectionConfiguration) async {
        await TestDatabases.dropScratchDatabase(using: Database.driver(for: configuration.dialect), configuration)
    }

    /// A description of every schema object (tables with columns, indexes, constraints, views, triggers,
    /// routines, sequences with values) that two databases must share after a restore.
    static func schemaFingerprint(_ configuration: ConnectionConfiguration) async throws -> [String] {
        let connection = try await Database.connect(configuration)
        defer { Task { await connection.close() } }
        let queries: [String]
        switch configuration.dialect {
        case .sqlite:
            queries = ["SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY 1"]
                + (try await connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'") == .integer(1)
                    ? ["SELECT name || ' ' || seq FROM sqlite_sequence ORDER BY 1"] : [])
        case .postgresql:
            let user = "n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
            queries = [
                "SELECT c.relkind::text || ' ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(user) ORDER BY 1",
                "SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE \(user) AND c.relkind IN ('r','p','v','m') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1",
                "SELECT conname || ' ' || pg_get_constraintdef(k.oid) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE \(user) ORDER BY 1",
                "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(user) ORDER BY 1",
                "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND \(user) ORDER BY 1",
                "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || p.prokind::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE \(user) ORDER BY 1",
                "SELECT t.typname || ' ' || t.typtype::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE \(user) AND t.typtype IN ('e','d','c','r') AND t.typrelid = 0 ORDER BY 1",
                "SELECT c.relname || ' ' || pg_get_viewdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(user) AND c.relkind IN ('v','m') ORDER BY 1",
                "SELECT sequencename || ' ' || coalesce(last_value, 0) FROM pg_sequences ORDER BY 1",
            ]
        case .mysql:
            queries = [
                "SELECT CONCAT(TABLE_NAME, ' ', TABLE_TYPE, ' ', COALESCE(AUTO_INCREMENT, '')) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
                "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ', COALESCE(COLUMN_DEFAULT, ''), ' ', EXTRA) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
                "SELECT CONCAT(TABLE_NAME, ' ', INDEX_NAME, ' ', SEQ_IN_INDEX, ' ', COLUMN_NAME, ' ', NON_UNIQUE, ' ', INDEX_TYPE) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
                "SELECT CONCAT(CONSTRAINT_NAME, ' ', TABLE_NAME, ' ', REFERENCED_TABLE_NAME, ' ', UPDATE_RULE, ' ', DELETE_RULE) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY 1",
                "SELECT CONCAT(TRIGGER_NAME, ' ', EVENT_OBJECT_TABLE, ' ', ACTION_TIMING, ' ', EVENT_MANIPULATION, ' ', ACTION_STATEMENT) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY 1",
                "SELECT CONCAT(ROUTINE_NAME, ' ', ROUTINE_TYPE, ' ', ROUTINE_DEFINITION) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY 1",
                "SELECT CONCAT(TABLE_NAME, ' ', VIEW_DEFINITION) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
            ]
        }
        let databaseName = configuration.database
        var out = [String]()
        for sql in queries {
            for row in try await connection.query(sql).rows {
                out.append(row.values.map { v -> String in
                    if case .blob(let b) = v { return String(decoding: b, as: UTF8.self) }
                    return v.textRepresentation ?? "NULL"
                }.joined(separator: "|").replacingOccurrences(of: "`\(databaseName)`.", with: "`DB`."))
            }
        }
        return out
    }

    /// Every row of every base table, as text, sorted: equal lists mean equal data.
    static func allRows(_ configuration: ConnectionConfiguration) async throws -> [String: [String]] {
        let connection = try await Database.connect(configuration)
        defer { Task { await connection.close() } }
        let q = configuration.dialect
        let tables: [String]
        switch configuration.dialect {
        case .sqlite: tables = try await connection.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").rows.compactMap { $0[0].textRepresentation }.map(q.quote)
        case .postgresql: tables = try await connection.query("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'").rows.compactMap { $0[0].textRepresentation }
        case .mysql: tables = try await connection.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'").rows.compactMap { $0[0].textRepresentation }.map(q.quote)
        }
        var out = [String: [String]]()
        for table in tables {
            let rows = try await connection.query("SELECT * FROM \(table)").rows
            out[table] = rows.map { row in row.values.map { String(reflecting: $0) }.joined(separator: "|") }.sorted()
        }
        return out
    }

    /// A chunk stored in a backup's own directory: its pack file, and where its stored bytes lie in it.
    struct StoredChunk {
        var pack: URL
        var offset: Int
        var size: Int
    }

    /// The chunks a backup stored itself (not those it shares with its base), read from its manifest.
    static func storedChunks(_ backupPath: String) throws -> [StoredChunk] {
        let directory = URL(fileURLWithPath: backupPath)
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let id = try XCTUnwrap(manifest["id"] as? String)
        var chunks = [StoredChunk]()
        // Format 5: every chunk the backup needs is a row of the top-level table.
        for chunk in try XCTUnwrap(manifest["chunks"] as? [[String: Any]]) where chunk["location"] as? String == id {
            let pack = try XCTUnwrap(chunk["pack"] as? Int)
            chunks.append(StoredChunk(pack: directory.appendingPathComponent("packs/\(pack).pack"),
                                      offset: try XCTUnwrap(chunk["offset"] as? Int), size: try XCTUnwrap(chunk["stored_size"] as? Int)))
        }
        return chunks
    }

    /// Flips one bit in the middle of a stored chunk.
    static func damage(_ chunk: StoredChunk) throws {
        var data = try Data(contentsOf: chunk.pack)
        data[chunk.offset + chunk.size / 2] ^= 0x01
        try data.write(to: chunk.pack)
    }
}

extension Manifest {
    /// Every chunk the backup needs, each once and after its delta bases (`forEachChunk`), in an array.
    func allChunks() throws -> [ChunkReference] {
        var chunks = [ChunkReference]()
        try forEachChunk { chunks.append($0) }
        return chunks
    }
}
