import DriverTestSupport
import Drivers
import Foundation
import Schema
import XCTest

/// The real fixtures: inspect, export, apply to an empty database, inspect again, and compare.
final class FixtureRoundTripTests: XCTestCase {
    /// Inspects `source`, writes the DDL into a fresh database of the same engine, inspects that, and
    /// returns both inspections.
    /// `prepare` runs SQL on the empty target first (routines that views need and the model does not carry).
    func exportAndReapply(_ source: any DatabaseConnection, prepare: String? = nil) async throws -> (SchemaDefinition, SchemaDefinition, String) {
        let first = try await SchemaInspector().inspect(source)
        let ddl = first.toSQL(dialect: source.dialect)
        let second = try await SchemaTestSupport.withScratch(source.dialect) { target, _ in
            if let prepare { try await target.executeScript(prepare) }
            let result = try await first.applyToDatabase(target)
            XCTAssertTrue(result.success)
            return try await SchemaInspector().inspect(target)
        }
        return (first, second, ddl)
    }

    func testChinookOnSQLiteSurvivesExportAndReapply() async throws {
        let fixture = try TestDatabases.fixture("chinook/Chinook_Sqlite.sqlite")
        let copy = TestDatabases.temporaryDirectory().appendingPathComponent("chinook.sqlite")
        try FileManager.default.copyItem(at: fixture, to: copy)
        let connection = try await Database.connect(ConnectionConfiguration(dialect: .sqlite, database: copy.path))
        let (first, second, _) = try await exportAndReapply(connection)
        await connection.close()
        XCTAssertEqual(first.tables.count, 11)
        XCTAssertEqual(first.tables.flatMap(\.indexes).count, 11, "chinook's 11 foreign-key indexes (the twelfth index is a primary key's)")
        XCTAssertEqual(first.table("Album")?.primaryKey?.name, "PK_Album")
        XCTAssertEqual(first.table("Track")?.foreignKeys.count, 3)
        SchemaTestSupport.assertSameSchema(second, first, .sqlite)
    }

    func testPagilaOnPostgreSQLSurvivesExportAndReapplyAndReportsWhatItDoesNotModel() async throws {
        let schemaFile = try TestDatabases.fixture("pagila/pagila-schema.sql")
        let sql = try String(contentsOf: schemaFile, encoding: .utf8)
        try await SchemaTestSupport.withScratch(.postgresql) { connection, config in
            try TestDatabases.runClient(.sql(sql), on: config)
            // Three views use the group_concat aggregate, which the model does not carry: create it first.
            let routines = Self.pagilaSections(sql, names: ["_group_concat(text, text)", "group_concat(text)"])
            let (first, second, ddl) = try await exportAndReapply(connection, prepare: routines)
            XCTAssertEqual(first.tables.count, 15, "15 tables, payment's 7 partitions reported instead")
            XCTAssertEqual(first.views.count, 8)
            XCTAssertEqual(first.views.filter(\.materialized).map(\.name), ["rental_by_category"])
            XCTAssertEqual(first.enums, [EnumDefinition(name: "mpaa_rating", values: ["G", "PG", "PG-13", "R", "NC-17"])])
            XCTAssertEqual(Set(first.domains.map(\.name)), ["year", "bıgınt"])
            XCTAssertEqual(first.table("payment")?.primaryKey?.columns, ["payment_date", "payment_id"])
            // pagila's sequences are not OWNED BY their columns, so they stay sequences with nextval() defaults.
            XCTAssertEqual(first.sequences.count, 13)
            XCTAssertEqual(first.table("actor")?.column("actor_id")?.defaultValue, .expression("nextval('actor_actor_id_seq'::regclass)"))
            XCTAssertEqual(first.table("film")?.column("rating")?.defaultValue, .string("G"))
            XCTAssertEqual(first.table("film")?.column("special_features")?.type, "text[]")
            XCTAssertEqual(first.table("film")?.indexes.first { $0.name == "film_fulltext_idx" }?.method, "gist")
            let kinds = Set(first.unsupportedObjects.map(\.kind))
            XCTAssertTrue(kinds.isSuperset(of: ["partition", "partitioning", "function", "trigger", "aggregate"]), "\(kinds)")
            XCTAssertEqual(first.unsupportedObjects.filter { $0.kind == "partition" }.count, 7)
            XCTAssertTrue(ddl.contains("CREATE DOMAIN \"year\" AS integer CONSTRAINT \"year_check\" CHECK"))
            SchemaTestSupport.assertSameSchema(second, first, .postgresql)
            XCTAssertEqual(second.unsupportedObjects.map(\.name).sorted(), ["_group_concat(text, text)", "group_concat(text)"],
                           "the copy has only the routines created by hand")
            XCTAssertEqual(first.diff(second).filter { $0.hasPrefix("error:") }.count, first.unsupportedObjects.count - 2,
                           "diff names every unmodelled object that differs instead of calling the schemas equal")
        }
    }

    /// The `CREATE` statements of the named objects in a pg_dump file (the text between their
    /// `-- Name:` header and the `ALTER ... OWNER` that follows).
    static func pagilaSections(_ dump: String, names: [String]) -> String {
        var out = ""
        for name in names {
            guard let header = dump.range(of: "-- Name: \(name);") else { continue }
            let rest = dump[header.upperBound...]
            guard let start = rest.range(of: "CREATE "), let end = rest.range(of: "\nALTER ") else { continue }
            out += rest[start.lowerBound..<end.lowerBound] + "\n"
        }
        return out.replacingOccurrences(of: "public.", with: "")
    }

    func testSakilaOnMariaDBSurvivesExportAndReapply() async throws {
        let schemaFile = try TestDatabases.fixture("sakila-mysql/sakila-schema.sql")
        try await SchemaTestSupport.withScratch(.mysql) { connection, config in
            let name = config.database
            let sql = try String(contentsOf: schemaFile, encoding: .utf8)
                .replacingOccurrences(of: "sakila;", with: "`\(name)`;")
                .replacingOccurrences(of: "sakila.", with: "`\(name)`.")
            try TestDatabases.runClient(.sql(sql), on: config.with(database: "mysql"))
            let (first, second, _) = try await exportAndReapply(connection)
            XCTAssertEqual(first.tables.count, 16)
            XCTAssertEqual(first.views.count, 7)
            XCTAssertEqual(first.table("film")?.column("rating")?.type, "enum('G','PG','PG-13','R','NC-17')")
            XCTAssertEqual(first.table("actor")?.column("actor_id")?.type, "smallint unsigned")
            XCTAssertEqual(first.table("actor")?.column("last_update")?.onUpdate, "CURRENT_TIMESTAMP")
            XCTAssertEqual(first.table("film_text")?.indexes.first?.method, "fulltext")
            XCTAssertEqual(first.table("customer")?.column("active")?.type, "boolean")
            let kinds = Set(first.unsupportedObjects.map(\.kind))
            XCTAssertTrue(kinds.isSuperset(of: ["procedure", "function", "trigger"]), "\(kinds)")
            SchemaTestSupport.assertSameSchema(second, first, .mysql)
        }
    }
}
