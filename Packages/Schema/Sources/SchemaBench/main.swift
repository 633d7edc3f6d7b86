import Drivers
import Foundation
import Schema

// `make bench` (schema part): inspects a PostgreSQL database of 1,000 tables, each with 5 columns, 2
// indexes and a foreign key, and prints the time and the number of catalog queries.
//
// Usage: SchemaBench [postgresql-url] [table-count]
// The URL defaults to DBM_BENCH_POSTGRES_URL, then DBM_TEST_POSTGRES_URL. The benchmark creates a scratch
// database on that server and drops it afterwards.

let arguments = CommandLine.arguments
let environment = ProcessInfo.processInfo.environment
guard let url = arguments.count > 1 ? arguments[1] : environment["DBM_BENCH_POSTGRES_URL"] ?? environment["DBM_TEST_POSTGRES_URL"] else {
    FileHandle.standardError.write(Data("SchemaBench: give a PostgreSQL URL or set DBM_TEST_POSTGRES_URL\n".utf8))
    exit(2)
}
let tableCount = arguments.count > 2 ? Int(arguments[2]) ?? 1000 : 1000

/// Table i has id, parent_id (→ table i-1, or itself for the first), name, amount, created_at; indexes on
/// parent_id and (name, created_at).
func benchSchema(tables count: Int) -> SchemaDefinition {
    SchemaDefinition(tables: (0..<count).map { i in
        let name = String(format: "bench_%04d", i)
        let parent = i == 0 ? name : String(format: "bench_%04d", i - 1)
        return TableDefinition(
            name: name,
            columns: [
                ColumnDefinition(name: "id", type: "integer", nullable: false, autoIncrement: true),
                ColumnDefinition(name: "parent_id", type: "integer"),
                ColumnDefinition(name: "name", type: "varchar(80)", nullable: false),
                ColumnDefinition(name: "amount", type: "decimal(12,2)", defaultValue: .number("0")),
                ColumnDefinition(name: "created_at", type: "timestamptz", nullable: false, defaultValue: .expression("CURRENT_TIMESTAMP")),
            ],
            primaryKey: PrimaryKey(columns: ["id"]),
            foreignKeys: [ForeignKey(columns: ["parent_id"], referencedTable: parent, referencedColumns: ["id"])],
            indexes: [IndexDefinition(name: "\(name)_parent_idx", columns: ["parent_id"]),
                      IndexDefinition(name: "\(name)_name_created_idx", columns: ["name", "created_at"])])
    })
}

func run() async throws {
    let server = try ConnectionConfiguration(url: url)
    guard server.dialect == .postgresql else { throw SchemaError(.unknownName, "SchemaBench needs a PostgreSQL URL") }
    let driver = Database.driver(for: .postgresql)
    let name = "dbm_schema_bench_\(ProcessInfo.processInfo.processIdentifier)"
    try await driver.createDatabase(name, options: CreateDatabaseOptions(), on: server)
    let config = server.with(database: name)
    let connection = try await driver.connect(config)
    do {
        let schema = benchSchema(tables: tableCount)
        let clock = ContinuousClock()
        let applyStart = clock.now
        let applied = try await schema.applyToDatabase(connection)
        let applyTime = clock.now - applyStart
        print("created \(tableCount) tables (\(applied.statementsExecuted) statements) in \(applyTime)")
        var best: Duration? = nil
        var queries = 0
        var inspected = SchemaDefinition()
        for _ in 0..<3 {
            let start = clock.now
            let result = try await SchemaInspector().inspectCounting(connection)
            let elapsed = clock.now - start
            best = best.map { min($0, elapsed) } ?? elapsed
            queries = result.queryCount
            inspected = result.schema
        }
        let differences = schema.diff(inspected, dialect: .postgresql)
        print("inspect_database: \(inspected.tables.count) tables, \(inspected.tables.flatMap(\.indexes).count) indexes, "
              + "\(inspected.tables.flatMap(\.foreignKeys).count) foreign keys in \(best!) (best of 3), \(queries) catalog queries")
        print("inspected schema equals the applied one: \(differences.isEmpty ? "yes" : "no (\(differences.count) differences)")")
        await connection.close()
    } catch {
        await connection.close()
        try? await driver.dropDatabase(name, ifExists: true, on: server)
        throw error
    }
    try await driver.dropDatabase(name, ifExists: true, on: server)
}

do {
    try await run()
} catch {
    FileHandle.standardError.write(Data("SchemaBench failed: \(error)\n".utf8))
    exit(1)
}
