// Applies 1,000 small generated migrations to SQLite and to PostgreSQL and prints the times, next to the
// engine's own client running the same SQL as one script (the floor) when `sqlite3` / `psql` are installed.
//
//     swift run -c release MigrationsBench [count] [--json]
//
// With --json the figures are printed as one JSON object (for scripts/bench.py) instead of lines.
//
// PostgreSQL is measured when DBM_BENCH_POSTGRES_URL (or DBM_TEST_POSTGRES_URL) points at a server where a
// scratch database may be created. A benchmark, not a test: it measures and prints, it asserts nothing.

import Drivers
import Foundation
import Migrations

let arguments = CommandLine.arguments.dropFirst()
let count = arguments.first(where: { Int($0) != nil }).flatMap(Int.init) ?? 1000
let printJSON = arguments.contains("--json")
/// Per engine: `apply_seconds`, `noop_ms` and, when the client is installed, `floor_seconds`.
var figures: [String: [String: Double]] = [:]

/// The SQL of migration `i`: one small table and one row.
func upSQL(_ i: Int) -> String {
    "CREATE TABLE bench_\(i) (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);\nINSERT INTO bench_\(i) (id, name) VALUES (1, 'row \(i)');\n"
}

func makeDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-bench-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: dir)
    for i in 1...count {
        let folder = dir.appendingPathComponent(String(format: "%04d_table_%d", i, i))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(upSQL(i).utf8).write(to: folder.appendingPathComponent("up.sql"))
        try Data("DROP TABLE bench_\(i);\n".utf8).write(to: folder.appendingPathComponent("down.sql"))
    }
    return dir
}

func seconds(_ body: () async throws -> Void) async throws -> Double {
    let start = ContinuousClock.now
    try await body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// Runs a command-line client with `script` on stdin; returns the wall time, or nil when it is not installed.
func floor(_ executable: String, _ arguments: [String], script: String, environment: [String: String] = [:]) throws -> Double? {
    guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-bench-floor.sql")
    try Data(script.utf8).write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardInput = try FileHandle(forReadingFrom: file)
    process.standardOutput = FileHandle.nullDevice
    let start = Date()
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? Date().timeIntervalSince(start) : nil
}

/// Prints the line for an engine (unless --json) and returns its figures.
func report(_ engine: String, apply: Double, noop: Double, floor: Double?, quiet: Bool) -> [String: Double] {
    var values = ["apply_seconds": apply, "noop_ms": noop * 1000]
    if let floor { values["floor_seconds"] = floor }
    if quiet { return values }
    var line = String(format: "%@: %d migrations in %.3f s (%.2f ms each); nothing-to-apply run %.1f ms",
                      engine, count, apply, apply * 1000 / Double(count), noop * 1000)
    if let floor { line += String(format: "; floor (one script) %.3f s, ratio %.2fx", floor, apply / floor) }
    print(line)
    return values
}

let script = (1...count).map(upSQL).joined()
let directory = try makeDirectory()
defer { try? FileManager.default.removeItem(at: directory) }

// SQLite
do {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-bench.db").path
    let floorFile = file + ".floor"
    for path in [file, floorFile] { try? FileManager.default.removeItem(atPath: path) }
    let manager = MigrationManager(migrationDirectory: directory.path, configuration: ConnectionConfiguration(dialect: .sqlite, database: file))
    let apply = try await seconds { _ = try await manager.upgrade() }
    let noop = try await seconds { _ = try await manager.upgrade() }
    let floorTime = try floor("/usr/bin/sqlite3", [floorFile], script: script)
    figures["sqlite"] = report("sqlite", apply: apply, noop: noop, floor: floorTime, quiet: printJSON)
    for path in [file, floorFile] { try? FileManager.default.removeItem(atPath: path) }
}

// PostgreSQL
let environment = ProcessInfo.processInfo.environment
if let url = environment["DBM_BENCH_POSTGRES_URL"] ?? environment["DBM_TEST_POSTGRES_URL"], !url.isEmpty {
    let server = try ConnectionConfiguration(url: url)
    let driver = Database.driver(for: .postgresql)
    let name = "dbm_bench_\(ProcessInfo.processInfo.processIdentifier)"
    for database in [name, name + "_floor"] {
        try await driver.dropDatabase(database, ifExists: true, on: server)
        try await driver.createDatabase(database, options: CreateDatabaseOptions(), on: server)
    }
    let manager = MigrationManager(migrationDirectory: directory.path, configuration: server.with(database: name))
    let apply = try await seconds { _ = try await manager.upgrade() }
    let noop = try await seconds { _ = try await manager.upgrade() }
    let floorTime = try floor("/usr/bin/psql", ["-h", server.host ?? "127.0.0.1", "-p", String(server.effectivePort ?? 5432),
                                               "-U", server.username ?? "postgres", "-d", name + "_floor", "-q", "-v", "ON_ERROR_STOP=1"],
                              script: script, environment: ["PGPASSWORD": server.password ?? ""])
    figures["postgresql"] = report("postgresql", apply: apply, noop: noop, floor: floorTime, quiet: printJSON)
    for database in [name, name + "_floor"] { try await driver.dropDatabase(database, ifExists: true, on: server) }
} else if !printJSON {
    print("postgresql: skipped (set DBM_BENCH_POSTGRES_URL or DBM_TEST_POSTGRES_URL)")
}

if printJSON {
    var object: [String: Any] = ["count": count]
    for (engine, values) in figures { object[engine] = values }
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
