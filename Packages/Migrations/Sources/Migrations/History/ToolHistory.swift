import DatabaseDriver
import Foundation

/// What another tool's history table says about a database.
struct ToolHistoryState: Sendable, Hashable {
    /// Revisions of the directory the tool considers applied.
    var applied: Set<String> = []
    /// The tool recorded a failed or half-finished migration (golang-migrate `dirty`, Flyway `success = false`).
    var dirtyRevision: String?
    /// Flyway's checksums of applied repeatable migrations, by revision (`R__<description>`).
    var repeatableChecksums: [String: Int32] = [:]
}

/// The history table of the tool a directory's format comes from (golang-migrate's and dbmate's
/// `schema_migrations`, Flyway's `flyway_schema_history`, maragudk/migrate's `migrations`), read for adoption
/// and written exactly as that tool writes it, so the tool itself, and migrations that alter its table (Harbor's
/// 0030 adds a column to `schema_migrations`), keep working.
struct ToolHistory: Sendable {
    let format: MigrationFormat
    let table: String
    let dialect: Dialect

    /// `nil` for the toolkit's own format.
    init?(format: MigrationFormat, dialect: Dialect, table: String? = nil) {
        guard let name = table ?? format.toolHistoryTable else { return nil }
        self.format = format
        self.table = name
        self.dialect = dialect
    }

    var quoted: String { dialect.quote(table) }

    nonisolated(nonsending) func exists(on connection: any DatabaseConnection) async throws -> Bool {
        try await TableCatalog.exists(table, on: connection)
    }

    /// Creates the table as the tool creates it, if missing.
    nonisolated(nonsending) func create(on connection: any DatabaseConnection) async throws {
        guard try await !exists(on: connection) else { return }
        switch format {
        case .golangMigrate:
            if dialect == .sqlite {
                try await connection.executeScript("""
                    CREATE TABLE IF NOT EXISTS \(quoted) (version uint64, dirty bool);
                    CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON \(quoted) (version);
                    """)
            } else {
                _ = try await connection.execute("CREATE TABLE IF NOT EXISTS \(quoted) (version bigint not null primary key, dirty boolean not null)")
            }
        case .dbmate:
            _ = try await connection.execute("CREATE TABLE IF NOT EXISTS \(quoted) (version varchar(128) primary key)")
        case .fileOrder:
            let type = dialect == .mysql ? "varchar(255)" : "text"
            _ = try await connection.execute("CREATE TABLE IF NOT EXISTS \(quoted) (version \(type) not null)")
        case .flyway:
            let now = switch dialect {
            case .postgresql: "TIMESTAMP NOT NULL DEFAULT now()"
            case .mysql: "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"
            case .sqlite: "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now'))"
            }
            let bool = dialect == .postgresql ? "BOOLEAN" : "BOOL"
            _ = try await connection.execute("""
                CREATE TABLE \(quoted) (
                    installed_rank INT NOT NULL PRIMARY KEY,
                    version VARCHAR(50),
                    description VARCHAR(200) NOT NULL,
                    type VARCHAR(20) NOT NULL,
                    script VARCHAR(1000) NOT NULL,
                    checksum INT,
                    installed_by VARCHAR(100) NOT NULL,
                    installed_on \(now),
                    execution_time INT NOT NULL,
                    success \(bool) NOT NULL
                )
                """)
            _ = try await connection.execute("CREATE INDEX \(dialect.quote(table + "_s_idx")) ON \(quoted) (success)")
        case .dbm:
            return
        }
    }

    /// Reads the tool's view of which of `directory`'s migrations are applied. One query.
    nonisolated(nonsending) func read(on connection: any DatabaseConnection, directory: [Migration]) async throws -> ToolHistoryState {
        guard try await exists(on: connection) else { return ToolHistoryState() }
        var state = ToolHistoryState()
        let versioned = directory.filter { $0.kind != .repeatable }
        switch format {
        case .golangMigrate:
            let columns = try await TableCatalog.columns(table, on: connection)
            let dirtySelect = columns.contains("dirty") ? "dirty" : "NULL"
            let result = try await connection.query("SELECT version, \(dirtySelect) FROM \(quoted) ORDER BY version DESC")
            guard let row = result.rows.first, let version = row[0].intValue else { return state }
            for m in versioned { if let v = Int(m.revision), v <= version { state.applied.insert(m.revision) } }
            if row[1].boolValue == true {
                state.dirtyRevision = versioned.first(where: { Int($0.revision) == version })?.revision ?? String(version)
                state.applied.remove(state.dirtyRevision ?? "")
            }
        case .dbmate:
            let result = try await connection.query("SELECT version FROM \(quoted)")
            let versions = Set(result.rows.compactMap { $0[0].stringValue })
            for m in versioned where versions.contains(m.revision) { state.applied.insert(m.revision) }
        case .fileOrder:
            let result = try await connection.query("SELECT version FROM \(quoted)")
            guard let current = result.rows.compactMap({ $0[0].stringValue }).max(), !current.isEmpty else { return state }
            // maragudk/migrate applies in file-name order and keeps only the newest version.
            if let position = versioned.firstIndex(where: { $0.revision == current }) {
                for m in versioned[...position] { state.applied.insert(m.revision) }
            } else {
                for m in versioned where m.revision <= current { state.applied.insert(m.revision) }
            }
        case .flyway:
            var byKey: [String: String] = [:]
            for m in versioned where m.kind == .versioned { byKey[VersionOrder.flywayKey(m.revision)] = m.revision }
            let result = try await connection.query(
                "SELECT version, description, type, checksum, success FROM \(quoted) ORDER BY installed_rank")
            for row in result.rows {
                let stored = row[0].stringValue
                let type = (row[2].stringValue ?? "").uppercased()
                let success = row[4].boolValue ?? false
                guard success else {
                    state.dirtyRevision = stored.map { byKey[VersionOrder.flywayKey($0)] ?? $0 } ?? ("R__" + (row[1].stringValue ?? ""))
                    continue
                }
                guard let rawVersion = stored else {
                    if let checksum = row[3].intValue { state.repeatableChecksums["R__" + (row[1].stringValue ?? "")] = Int32(truncatingIfNeeded: checksum) }
                    continue
                }
                let version = byKey[VersionOrder.flywayKey(rawVersion)] ?? rawVersion
                switch type {
                case "SQL_BASELINE", "JDBC_BASELINE":
                    // A baseline migration file ran; the state hides the versions below it.
                    state.applied.insert(directory.first { $0.kind == .baseline && VersionOrder.flywayKey($0.revision) == VersionOrder.flywayKey(rawVersion) }?.revision ?? rawVersion)
                case "BASELINE":
                    for m in versioned where VersionOrder.compare(m.revision, version) <= 0 { state.applied.insert(m.revision) }
                case "UNDO_SQL", "UNDO_JDBC", "DELETE":
                    state.applied.remove(version)
                default:
                    state.applied.insert(version)
                }
            }
        case .dbm:
            break
        }
        return state
    }

    /// Before a migration's statements run (golang-migrate marks the version dirty first).
    nonisolated(nonsending) func recordStart(_ migration: Migration, on connection: any DatabaseConnection) async throws {
        guard format == .golangMigrate, let version = Int64(migration.revision) else { return }
        try await setGolangVersion(version, dirty: true, on: connection)
    }

    /// After a migration's statements ran.
    nonisolated(nonsending) func recordApplied(_ migration: Migration, executionTimeMs: Int, user: String, on connection: any DatabaseConnection) async throws {
        switch format {
        case .golangMigrate:
            guard let version = Int64(migration.revision) else { return }
            try await setGolangVersion(version, dirty: false, on: connection)
        case .dbmate:
            _ = try await connection.execute("DELETE FROM \(quoted) WHERE version = ?", [.text(migration.revision)])
            _ = try await connection.execute("INSERT INTO \(quoted) (version) VALUES (?)", [.text(migration.revision)])
        case .fileOrder:
            try await setSingleVersion(migration.revision, on: connection)
        case .flyway:
            let type = migration.kind == .baseline ? "SQL_BASELINE" : "SQL"
            try await insertFlywayRow(version: migration.kind == .repeatable ? nil : migration.revision,
                                      description: migration.description, type: type,
                                      script: migration.files.first ?? migration.name,
                                      checksum: Checksums.flywayCRC32(migration.upgradeSQL),
                                      user: user, executionTimeMs: executionTimeMs, success: true, on: connection)
        case .dbm:
            return
        }
    }

    /// After a migration was undone; `previous` is the newest migration still applied.
    nonisolated(nonsending) func recordReverted(_ migration: Migration, previous: Migration?, user: String, executionTimeMs: Int,
                        on connection: any DatabaseConnection) async throws {
        switch format {
        case .golangMigrate:
            if let previous, let version = Int64(previous.revision) {
                try await setGolangVersion(version, dirty: false, on: connection)
            } else {
                _ = try await connection.execute("DELETE FROM \(quoted)")
            }
        case .dbmate:
            _ = try await connection.execute("DELETE FROM \(quoted) WHERE version = ?", [.text(migration.revision)])
        case .fileOrder:
            try await setSingleVersion(previous?.revision ?? "", on: connection)
        case .flyway:
            let script = migration.files.count > 1 ? migration.files[1] : migration.name
            try await insertFlywayRow(version: migration.revision, description: migration.description, type: "UNDO_SQL",
                                      script: script, checksum: Checksums.flywayCRC32(migration.downgradeSQL ?? ""),
                                      user: user, executionTimeMs: executionTimeMs, success: true, on: connection)
        case .dbm:
            return
        }
    }

    /// `baseline`: the tool's own way of saying "the database is at `migration`".
    nonisolated(nonsending) func recordBaseline(_ migration: Migration, applied: [Migration], user: String, on connection: any DatabaseConnection) async throws {
        switch format {
        case .flyway:
            try await insertFlywayRow(version: migration.revision, description: "<< Flyway Baseline >>", type: "BASELINE",
                                      script: "<< Flyway Baseline >>", checksum: nil, user: user, executionTimeMs: 0,
                                      success: true, on: connection)
        case .dbmate:
            for m in applied { try await recordApplied(m, executionTimeMs: 0, user: user, on: connection) }
        default:
            try await recordApplied(migration, executionTimeMs: 0, user: user, on: connection)
        }
    }

    /// Clears the tool's dirty marker once the toolkit's repair resolved it.
    nonisolated(nonsending) func clearDirty(current: Migration?, on connection: any DatabaseConnection) async throws {
        switch format {
        case .golangMigrate:
            if let current, let version = Int64(current.revision) {
                try await setGolangVersion(version, dirty: false, on: connection)
            } else {
                _ = try await connection.execute("DELETE FROM \(quoted)")
            }
        case .flyway:
            _ = try await connection.execute("DELETE FROM \(quoted) WHERE success = ?", [.bool(false)])
        default:
            return
        }
    }

    // MARK: per tool

    private nonisolated(nonsending) func setGolangVersion(_ version: Int64, dirty: Bool, on connection: any DatabaseConnection) async throws {
        _ = try await connection.execute("DELETE FROM \(quoted)")
        _ = try await connection.execute("INSERT INTO \(quoted) (version, dirty) VALUES (?, ?)", [.integer(version), .bool(dirty)])
    }

    private nonisolated(nonsending) func setSingleVersion(_ version: String, on connection: any DatabaseConnection) async throws {
        // Counted rather than trusting rowsAffected: MariaDB reports changed rows, not matched ones.
        if (try await connection.scalar("SELECT COUNT(*) FROM \(quoted)")?.intValue ?? 0) > 0 {
            _ = try await connection.execute("UPDATE \(quoted) SET version = ?", [.text(version)])
        } else {
            _ = try await connection.execute("INSERT INTO \(quoted) (version) VALUES (?)", [.text(version)])
        }
    }

    private nonisolated(nonsending) func insertFlywayRow(version: String?, description: String, type: String, script: String, checksum: Int32?,
                                 user: String, executionTimeMs: Int, success: Bool, on connection: any DatabaseConnection) async throws {
        let rank = (try await connection.scalar("SELECT MAX(installed_rank) FROM \(quoted)")?.intValue ?? 0) + 1
        _ = try await connection.execute("""
            INSERT INTO \(quoted) (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .integer(Int64(rank)), version.map { .text($0) } ?? .null, .text(String(description.prefix(200))), .text(type),
                .text(String(script.prefix(1000))), checksum.map { .integer(Int64($0)) } ?? .null, .text(String(user.prefix(100))),
                .integer(Int64(executionTimeMs)), .bool(success),
            ])
    }
}
