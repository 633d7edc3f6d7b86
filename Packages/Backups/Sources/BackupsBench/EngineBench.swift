import Backups
import Drivers
import Foundation

/// One engine's run: generate, back up and restore with dbm, then with the reference tools, then an
/// incremental backup after 1% of the rows changed.
final class EngineBench: Sendable {
    let base: ConnectionConfiguration
    let megabytes: Int
    /// How many times the dbm restore runs (each into a fresh target); the fastest is reported.
    let restoreRuns: Int
    let work: URL
    let source: ConnectionConfiguration
    let targets: [ConnectionConfiguration]

    init(base: ConnectionConfiguration, megabytes: Int, restoreRuns: Int = 1, work: URL) {
        self.base = base
        self.megabytes = megabytes
        self.restoreRuns = max(1, restoreRuns)
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

        let manager = BackupManager(defaults: BackupConfig(destination: work.appendingPathComponent("dbm").path))
        let (full, backupTime) = try await Measure.time {
            try await manager.createBackup(of: source, params: CreateBackupParams(databaseName: "bench"))
        }
        var restoreTimes = [Double]()
        for run in 0..<restoreRuns {
            let target = run == 0 ? targets[0] : targets[0].with(database: targets[0].database + "_\(run)")
            let (_, seconds) = try await Measure.time {
                try await manager.restoreBackup(RestoreBackupParams(backupPath: full.filePath, targetDatabase: target.url))
            }
            restoreTimes.append(seconds)
            if run > 0 {
                if base.dialect == .sqlite { try? FileManager.default.removeItem(atPath: target.database) }
                else { try? await driver.dropDatabase(target.database, ifExists: true, on: admin) }
            }
        }
        let restoreTime = restoreTimes.min() ?? 0
        if restoreRuns > 1 { print("dbm restore runs: " + restoreTimes.map(Measure.seconds).joined(separator: ", ") + " (fastest reported)") }
        let zstdManager = BackupManager(defaults: BackupConfig(destination: work.appendingPathComponent("dbm-zstd").path, compression: .zstd))
        let (zstd, zstdTime) = try await Measure.time {
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
            let (incremental, incrementalTime) = try await Measure.time {
                try await manager.createBackup(of: source, params: CreateBackupParams(databaseName: "bench", backupType: "incremental"))
            }
            print(String(format: "incremental after 1%% of rows changed (%@): %@ (%.1f%% of full), %@ (%.0f%% of full's time)",
                         scattered ? "every 100th row" : "one id range", Measure.mib(incremental.sizeBytes),
                         100 * Double(incremental.sizeBytes) / Double(full.sizeBytes),
                         Measure.seconds(incrementalTime), 100 * incrementalTime / backupTime))
        }
    }

    /// The engine's own tools: (name, backup seconds, restore seconds, size).
    private func referenceRuns() async throws -> [(String, Double, Double?, Int64)] {
        let dir = work.path
        switch base.dialect {
        case .sqlite:
            let backup = try Measure.shell("sqlite3 '\(source.database)' \".backup '\(dir)/ref.db'\" && gzip -f '\(dir)/ref.db'")
            let restore = try Measure.shell("gzip -dc '\(dir)/ref.db.gz' > '\(targets[1].database)'")
            return [("sqlite3 .backup + gzip", backup, restore, Measure.size("\(dir)/ref.db.gz"))]
        case .postgresql:
            let env = ["PGPASSWORD": base.password ?? ""]
            let src = pgArguments(source)
            let custom = try Measure.shell("pg_dump -Fc \(src) -f '\(dir)/ref.dump'", environment: env)
            try await driver.createDatabase(targets[1].database, options: CreateDatabaseOptions(), on: admin)
            let customRestore = try Measure.shell("pg_restore -d '\(targets[1].database)' \(pgConnection()) '\(dir)/ref.dump'", environment: env)
            let directory = try Measure.shell("pg_dump -Fd -j 2 \(src) -f '\(dir)/ref.dir'", environment: env)
            try await driver.createDatabase(targets[2].database, options: CreateDatabaseOptions(), on: admin)
            let directoryRestore = try Measure.shell("pg_restore -j 2 -d '\(targets[2].database)' \(pgConnection()) '\(dir)/ref.dir'", environment: env)
            return [("pg_dump -Fc / pg_restore", custom, customRestore, Measure.size("\(dir)/ref.dump")),
                    ("pg_dump -Fd -j 2 / pg_restore -j 2", directory, directoryRestore, Measure.size("\(dir)/ref.dir"))]
        case .mysql:
            let env = ["MYSQL_PWD": base.password ?? ""]
            let connection = "-h \(base.host ?? "127.0.0.1") -P \(base.port ?? 3306) -u \(base.username ?? "root")"
            let backup = try Measure.shell("mariadb-dump \(connection) --single-transaction --quick --routines --triggers '\(source.database)' | gzip > '\(dir)/ref.sql.gz'", environment: env)
            try await driver.createDatabase(targets[1].database, options: CreateDatabaseOptions(), on: admin)
            let restore = try Measure.shell("gzip -dc '\(dir)/ref.sql.gz' | mariadb \(connection) '\(targets[1].database)'", environment: env)
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
