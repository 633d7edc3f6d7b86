import Backups
import Drivers
import Foundation

// BackupsBench: dbm backups next to the engines' own tools on a generated database.
//
//   swift run -c release BackupsBench [--size-mb 200] [--engine all|postgresql|mysql|sqlite] [--runs 1]
//
// Every full backup and restore (dbm's and the reference tools') runs `--runs` times and the fastest is
// reported: on a shared machine single runs vary by 10-30%.
//
// PostgreSQL and MariaDB come from DBM_TEST_POSTGRES_URL / DBM_TEST_MYSQL_URL (scratch databases are
// created and dropped). Prints times, sizes, ratios against the best reference, and peak memory.

// As dbm-server does at start.
ProcessMemory.limitAllocatorArenas(cores: ProcessInfo.processInfo.activeProcessorCount)

var sizeMB = 200
var runs = 1
var engines: [Dialect] = [.sqlite, .postgresql, .mysql]
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--size-mb": sizeMB = Int(arguments.next() ?? "") ?? sizeMB
    case "--runs", "--restore-runs": runs = Int(arguments.next() ?? "") ?? runs
    case "--engine":
        let name = arguments.next() ?? "all"
        if name != "all" { engines = [Dialect(rawValue: name) ?? .sqlite] }
    default:
        print("usage: BackupsBench [--size-mb N] [--engine all|postgresql|mysql|sqlite] [--runs N]")
        exit(2)
    }
}

let environment = ProcessInfo.processInfo.environment
let work = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-backups-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }

print("BackupsBench: about \(sizeMB) MB of generated rows per engine, \(ProcessInfo.processInfo.activeProcessorCount) cores")
for dialect in engines {
    let base: ConnectionConfiguration
    switch dialect {
    case .sqlite: base = ConnectionConfiguration(dialect: .sqlite, database: work.appendingPathComponent("source.db").path)
    case .postgresql:
        guard let url = environment["DBM_TEST_POSTGRES_URL"] else { print("\npostgresql: skipped (DBM_TEST_POSTGRES_URL unset)"); continue }
        base = try ConnectionConfiguration(url: url)
    case .mysql:
        guard let url = environment["DBM_TEST_MYSQL_URL"] else { print("\nmysql: skipped (DBM_TEST_MYSQL_URL unset)"); continue }
        base = try ConnectionConfiguration(url: url)
    }
    let run = EngineBench(base: base, megabytes: sizeMB, runs: runs, work: work.appendingPathComponent(dialect.rawValue))
    do {
        try await run.run()
    } catch {
        print("\(dialect.rawValue): failed: \(error)")
    }
    await run.cleanUp()
}
print(String(format: "\npeak memory of this process (dbm backup and restore in-process): %.0f MiB", Measure.peakMemoryMiB))
