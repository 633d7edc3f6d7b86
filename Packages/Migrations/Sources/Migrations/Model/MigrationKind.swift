/// What role a migration file plays in its history.
public enum MigrationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An ordinary step with a version (every format).
    case versioned
    /// Flyway `R__name.sql`: re-applied after the versioned ones whenever its checksum changes.
    case repeatable
    /// Flyway `B<version>__name.sql`: on an empty database, the newest baseline at or below the target is
    /// applied instead of every versioned migration up to it.
    case baseline
}

/// The file layout of a migration directory. Detected per directory (`MigrationDirectory.detectFormat`).
public enum MigrationFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// The toolkit's own: one folder per migration, `<revision>_<slug>/up.sql` and `down.sql`, with optional
    /// `-- dbm:depends-on:` and `-- dbm:no-transaction` directives. No other tool's table is kept.
    case dbm
    /// golang-migrate: `<version>_<name>.up.sql` / `.down.sql`, unique numeric versions; keeps
    /// `schema_migrations(version bigint, dirty boolean)` with one row.
    case golangMigrate = "golang-migrate"
    /// Flyway: `V<version>__<desc>.sql`, `U` undo, `R__` repeatable, `B` baseline; keeps `flyway_schema_history`.
    case flyway
    /// dbmate: one `<version>_<name>.sql` with `-- migrate:up` / `-- migrate:down`; keeps
    /// `schema_migrations(version)` with one row per applied version.
    case dbmate
    /// maragudk/migrate (Harness): golang-migrate-like names where the whole stem is the version, repeated
    /// numbers allowed, `_up.sql` accepted, applied in file-name order; keeps `migrations(version)` with one row.
    case fileOrder = "file-order"

    /// The other tool's history table kept beside the toolkit's, if the format has one.
    public var toolHistoryTable: String? {
        switch self {
        case .dbm: nil
        case .golangMigrate, .dbmate: "schema_migrations"
        case .flyway: "flyway_schema_history"
        case .fileOrder: "migrations"
        }
    }
}
