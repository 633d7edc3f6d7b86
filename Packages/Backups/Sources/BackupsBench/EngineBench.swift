import Backups
import Drivers
import Foundation

/// One engine's run: generate, back up and restore with dbm, then with the reference tools, then an
/// incremental backup after 1% of the rows changed.
final class EngineBench: Sendable {
    let base: ConnectionConfiguration
    let megabytes: Int
    /// How many times each backup and restore runs, dbm's and the reference tools' alike (a restore into a
    /// fresh target each time, an incremental from the same parent each time); the fastest is reported.
    let runs: Int
    let work: URL
    let source: ConnectionConfiguration
    let targets: [ConnectionConfiguration]

    init(base: ConnectionConfiguration, megabytes: Int, runs: Int = 1, work: URL) {
        self.base = base
        self.megabytes = megabytes
        self.runs = max(1, runs)
        self.work = work
        let suffix = "\(getpid())"
        if base.dialect == .sqlite {
            source = base.with(database: work.appendingPathComponent("source.db").path)
            targets = (1...4).map { base.with(database: work.appendingPathComponent("restored\($0).db").path) }
        } else {
            source = base.with(database: "dbm_bench_src_\(suffix)")
            targets = (1...4).map { base.with(database: "dbm_bench_dst\($0)_\(suffix)") }
        }
    }

    private var driver: any DatabaseDriver { Database.driver(for: base.dialect) }
    private var admin: ConnectionConfiguration { base.with(database: base.dialect == .postgresql ? "postgres" : "mysql") }

    func run() async throws {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let name = base.dialect.rawValue
        print("\n== \(name)")
        if base.dialect != .sqlite {
            try await driver.createDatabase(source.database, options: CreateDatabaseOptions(), on: admin)
        }
        let (_, generated) = try await Measure.time { try await Generator.fill(source, megabytes: megabytes) }
        print("generated \(Generator.rows(forMegabytes: megabytes)) rows in \(Measure.seconds(generated))")
        if base.dialect == .postgresql {
            // Untimed: the generated rows would otherwise set autovacuum off in the middle of a timed run.
            let connection = try await Database.connect(source)
            _ = try await connection.execute("VACUUM (ANALYZE)")
            await connection.close()
        }

        let manager = BackupManager(defaults: BackupConfig(destination: work.appendingPathComponent("dbm").path))
        let (full, backupTime) = try await best("dbm backup, gzip") {
            try await manager.createBackup(of: source, params: CreateBackupParams(databaseName: "bench"))
        }
        var restored = 0
        var target = targets[0]
        let (_, restoreTime) = try await best("dbm restore", before: {
            // Each run into a new target, created empty and settled first and dropped at once after
            // (untimed, as for the reference tools), so autovacuum never works on a restored table during a
            // later timed run.
            target = restored == 0 ? targets[0] : targets[0].with(database: targets[0].database + "_\(restored)")
            restored += 1
            try await fresh(target)
        }, after: { await drop(target) }) {
            try await manager.restoreBackup(RestoreBackupParams(backupPath: full.filePath, targetDatabase: target.url))
        }
        let zstdManager = BackupManager(defaults: BackupConfig(destination: work.appendingPathComponent("dbm-zstd").path, compression: .zstd))
        let (zstd, zstdTime) = try await best("dbm backup, zstd") {
            try await zstdManager.createBackup(of: source, params: CreateBackupParams(databaseName: "bench"))
        }
        var lines: [(String, Double, Double?, Int64)] = [
            ("dbm native, gzip", backupTime, restoreTime, full.sizeBytes),
            ("dbm native, zstd", zstdTime, nil, zstd.sizeBytes),
        ]
        let references = try await referenceRuns()
        lines += references
        print("tool".padding(toLength: 34, withPad: " ", startingAt: 0) + "backup      restore     size")
        for (tool, backup, restore, size) in lines {
            print(tool.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + Measure.seconds(backup).padding(toLength: 12, withPad: " ", startingAt: 0)
                  + (restore.map(Measure.seconds) ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0)
                  + Measure.mib(size))
        }
        if let bestBackup = references.map(\.1).min(), let bestRestore = references.compactMap(\.2).min() {
            print(String(format: "ratios vs best reference: backup %.2fx (gzip), %.2fx (zstd); restore %.2fx; size %.2fx of %@",
                         backupTime / bestBackup, zstdTime / bestBackup, restoreTime / bestRestore,
                         Double(full.sizeBytes) / Double(references[0].3), references[0].0))
        }

        for scattered in [false, true] {
            try await Generator.changeOnePercent(source, scattered: scattered, megabytes: megabytes)
            // Every run has the same parent: the attempts before the last are deleted.
            var attempt: BackupRecord?
            let (incremental, incrementalTime) = try await best(scattered ? "incremental, scattered" : "incremental, one range", before: {
                if let attempt { _ = try manager.deleteBackup(DeleteBackupParams(backupPath: attempt.filePath)) }
            }) {
                attempt = try await manager.createBackup(of: source, params: CreateBackupParams(databaseName: "bench", backupType: "incremental"))
                return attempt!
            }
            print(String(format: "incremental after 1%% of rows changed (%@): %@ (%.1f%% of full), %@ (%.0f%% of full's time)",
                         scattered ? "every 100th row" : "one id range", Measure.mib(incremental.sizeBytes),
                         100 * Double(incremental.sizeBytes) / Double(full.sizeBytes),
                         Measure.seconds(incrementalTime), 100 * incrementalTime / backupTime))
        }
    }

    /// Runs `body` `runs` times, each after `before` and followed by `after` (neither timed), and returns the
    /// first run's value with the fastest time; prints every time when there is more than one run.
    private func best<T>(_ label: String, before: () async throws -> Void = {}, after: () async -> Void = {},
                         _ body: () async throws -> T) async throws -> (T, Double) {
        var first: T?
        var times = [Double]()
        for _ in 0..<runs {
            try await before()
            let (value, seconds) = try await Measure.time { try await body() }
            await after()
            if first == nil { first = value }
            times.append(seconds)
        }
        if runs > 1 { print("\(label): " + times.map(Measure.seconds).joined(separator: ", ")) }
        return (first!, times.min()!)
    }

    /// The fastest of `runs` runs of a reference tool's command line; a restore's `target` is made empty
    /// (and settled) before each run and dropped after it, untimed.
    private func bestShell(_ label: String, _ command: String, environment: [String: String], into target: ConnectionConfiguration? = nil) async throws -> Double {
        try await best(label, before: { if let target { try await fresh(target) } }, after: { if let target { await drop(target) } }) {
            try Measure.shell(command, environment: environment)
        }.1
    }

    /// An empty database for a restore, dbm's or a reference tool's (dropped first when an earlier run made
    /// it; on SQLite, no file), then `settle()`.
    private func fresh(_ target: ConnectionConfiguration) async throws {
        if target.dialect == .sqlite {
            try? FileManager.default.removeItem(atPath: target.database)
        } else {
            try await driver.dropDatabase(target.database, ifExists: true, on: admin)
            try await driver.createDatabase(target.database, options: CreateDatabaseOptions(), on: admin)
        }
        try await settle()
    }

    /// Before every timed restore, dbm's and the reference tools' alike: `sync` and, on PostgreSQL, a
    /// `CHECKPOINT`, so no restore pays for writing out what came before it (the data generation, the backup
    /// files just written, the previous restore). Without them the first restore after generating the data
    /// was up to 1.7x slower than the next ones.
    private func settle() async throws {
        sync()
        guard base.dialect == .postgresql else { return }
        let connection = try await Database.connect(admin)
        defer { Task { await connection.close() } }
        _ = try await connection.execute("CHECKPOINT")
    }

    private func drop(_ target: ConnectionConfiguration) async {
        if target.dialect == .sqlite { try? FileManager.default.removeItem(atPath: target.database) }
        else { try? await driver.dropDatabase(target.database, ifExists: true, on: admin) }
    }

    /// The engine's own tools: (name, backup seconds, restore seconds, size).
    private func referenceRuns() async throws -> [(String, Double, Double?, Int64)] {
        let dir = work.path
        switch base.dialect {
        case .sqlite:
            let backup = try await bestShell("sqlite3 .backup + gzip", "rm -f '\(dir)/ref.db.gz' && sqlite3 '\(source.database)' \".backup '\(dir)/ref.db'\" && gzip -f '\(dir)/ref.db'", environment: [:])
            let restore = try await bestShell("gunzip", "gzip -dc '\(dir)/ref.db.gz' > '\(targets[1].database)'", environment: [:], into: targets[1])
            return [("sqlite3 .backup + gzip", backup, restore, Measure.size("\(dir)/ref.db.gz"))]
        case .postgresql:
            let env = ["PGPASSWORD": base.password ?? ""]
            let src = pgArguments(source)
            let custom = try await bestShell("pg_dump -Fc", "pg_dump -Fc \(src) -f '\(dir)/ref.dump'", environment: env)
            let customRestore = try await bestShell("pg_restore", "pg_restore -d '\(targets[1].database)' \(pgConnection()) '\(dir)/ref.dump'", environment: env, into: targets[1])
            let directory = try await bestShell("pg_dump -Fd -j 2", "rm -rf '\(dir)/ref.dir' && pg_dump -Fd -j 2 \(src) -f '\(dir)/ref.dir'", environment: env)
            let directoryRestore = try await bestShell("pg_restore -j 2", "pg_restore -j 2 -d '\(targets[2].database)' \(pgConnection()) '\(dir)/ref.dir'", environment: env, into: targets[2])
            return [("pg_dump -Fc / pg_restore", custom, customRestore, Measure.size("\(dir)/ref.dump")),
                    ("pg_dump -Fd -j 2 / pg_restore -j 2", directory, directoryRestore, Measure.size("\(dir)/ref.dir"))]
        case .mysql:
            let env = ["MYSQL_PWD": base.password ?? ""]
            let connection = "-h \(base.host ?? "127.0.0.1") -P \(base.port ?? 3306) -u \(base.username ?? "root")"
            let backup = try await bestShell("mariadb-dump | gzip", "mariadb-dump \(connection) --single-transaction --quick --routines --triggers '\(source.database)' | gzip > '\(dir)/ref.sql.gz'", environment: env)
            let restore = try await bestShell("mariadb", "gzip -dc '\(dir)/ref.sql.gz' | mariadb \(connection) '\(targets[1].database)'", environment: env, into: targets[1])
            return [("mariadb-dump | gzip / mariadb", backup, restore, Measure.size("\(dir)/ref.sql.gz"))]
        }
    }

    private func pgConnection() -> String {
        "-h \(base.host ?? "127.0.0.1") -p \(base.port ?? 5432) -U \(base.username ?? "postgres")"
    }

    private func pgArguments(_ configuration: ConnectionConfiguration) -> String {
        "\(pgConnection()) -d '\(configuration.database)'"
    }

    /// Drops every database this run created (SQLite files go with the work directory).
    func cleanUp() async {
        guard base.dialect != .sqlite else { return }
        for configuration in [source] + targets {
            try? await driver.dropDatabase(configuration.database, ifExists: true, on: admin)
        }
    }
}
