import DatabaseDriver

/// What the optimization rules know about a database: tables, columns, indexes, foreign keys, sequences
/// and usage statistics, read from the engine's catalog.
struct SchemaCatalog: Sendable {
    struct Column: Sendable, Hashable {
        var name: String
        var type: String
        var nullable: Bool
    }

    struct Table: Sendable, Hashable {
        var schema: String?
        var name: String
        var columns: [Column] = []
        /// Estimated (PostgreSQL, MariaDB) or counted (SQLite) rows.
        var rows: Double?
        var sizeBytes: Int64?
        /// Reclaimable space: MariaDB `DATA_FREE`; PostgreSQL dead tuples are in `deadRows`.
        var freeBytes: Int64?
        var hasPrimaryKey = false
        /// Has a FOREIGN KEY, UNIQUE or CHECK constraint.
        var hasConstraints = false
        var seqScans: Double?
        var seqRowsRead: Double?
        var indexScans: Double?
        var deadRows: Double?
        var modifiedSinceAnalyze: Double?
        /// `true` when the engine has never gathered statistics for the table, `nil` when unknown.
        var neverAnalyzed: Bool?
        /// The qualified, quoted name for SQL.
        func sqlName(_ dialect: Dialect) -> String {
            dialect.quote(qualified: [schema, name].compactMap { $0 })
        }
        /// `table`, or `schema.table` outside the default schema.
        var displayName: String { PostgreSQLMetricsCollector.displayName(schema: schema, table: name) }
    }

    struct Index: Sendable, Hashable {
        var schema: String?
        var table: String
        var name: String
        /// Key columns in order; empty when the index has expressions.
        var columns: [String]
        var unique: Bool
        var primary: Bool
        /// Backs a PRIMARY KEY, UNIQUE or exclusion constraint (dropping it would drop the constraint).
        var backsConstraint: Bool
        /// Partial or expression index: compared only by definition.
        var special: Bool
        /// Access method (`btree`, `hash`, `gin`; MariaDB `BTREE`, `FULLTEXT`).
        var method: String
        /// Scans since statistics were reset; `nil` when the engine keeps no index usage.
        var scans: Double?
        var sizeBytes: Int64?
        /// The statement that recreates the index (the inverse of dropping it).
        var definition: String
        var tableDisplayName: String { PostgreSQLMetricsCollector.displayName(schema: schema, table: table) }
    }

    struct ForeignKey: Sendable, Hashable {
        var schema: String?
        var table: String
        var name: String
        var columns: [String]
        var referencedTable: String
    }

    struct Sequence: Sendable, Hashable {
        var name: String
        var table: String?
        var lastValue: Double
        var maxValue: Double
    }

    var dialect: Dialect
    var tables: [Table] = []
    var indexes: [Index] = []
    var foreignKeys: [ForeignKey] = []
    var sequences: [Sequence] = []
    /// Why a family of statistics is missing (index usage on SQLite, `performance_schema` off).
    var notes: [MetricsCheck] = []
    /// True when `Index.scans` is meaningful.
    var indexUsageAvailable = false

    func table(schema: String?, name: String) -> Table? {
        tables.first { $0.name == name && ($0.schema == schema || schema == nil) }
    }

    func indexes(on table: Table) -> [Index] {
        indexes.filter { $0.table == table.name && $0.schema == table.schema }
    }

    /// Reads the catalog of the connected database.
    static func read(_ db: any DatabaseConnection) async throws -> SchemaCatalog {
        switch db.dialect {
        case .postgresql: try await PostgreSQLCatalogReader.read(db)
        case .mysql: try await MySQLCatalogReader.read(db)
        case .sqlite: try await SQLiteCatalogReader.read(db)
        }
    }
}
