/// Settings of a `MigrationManager` beyond the directory and the database (all optional in JSON).
public struct MigrationOptions: Sendable, Hashable, Codable {
    /// The toolkit's history table unless `migrations_table` says otherwise.
    public static let defaultMigrationsTable = "dbm_migration_history"

    /// The toolkit's history table (`migrations_table`); default `dbm_migration_history`.
    public var migrationsTable: String
    /// The directory's format (`format`); `nil` detects it from the file names.
    public var format: MigrationFormat?
    /// The other tool's history table (`tool_table`), when it is not the tool's default name.
    public var toolTable: String?
    /// Seconds to wait for another runner's lock (`lock_timeout`); default 60.
    public var lockTimeout: Double
    /// Apply pending migrations older than the newest applied one (`out_of_order`); default false.
    public var outOfOrder: Bool

    public init(migrationsTable: String = MigrationOptions.defaultMigrationsTable, format: MigrationFormat? = nil, toolTable: String? = nil,
                lockTimeout: Double = 60, outOfOrder: Bool = false) {
        self.migrationsTable = migrationsTable
        self.format = format
        self.toolTable = toolTable
        self.lockTimeout = lockTimeout
        self.outOfOrder = outOfOrder
    }

    enum CodingKeys: String, CodingKey {
        case migrationsTable = "migrations_table", format, toolTable = "tool_table"
        case lockTimeout = "lock_timeout", outOfOrder = "out_of_order"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            migrationsTable: try c.decodeIfPresent(String.self, forKey: .migrationsTable) ?? MigrationOptions.defaultMigrationsTable,
            format: try c.decodeIfPresent(MigrationFormat.self, forKey: .format),
            toolTable: try c.decodeIfPresent(String.self, forKey: .toolTable),
            lockTimeout: try c.decodeIfPresent(Double.self, forKey: .lockTimeout) ?? 60,
            outOfOrder: try c.decodeIfPresent(Bool.self, forKey: .outOfOrder) ?? false)
    }
}
