import Crypto
import DatabaseDriver
import Foundation

/// A migration produced by `generate_migrations`, with both of the spec's key sets: file 001's
/// (`version`, `name`, `description`, `up_sql`, `down_sql`, `checksum`, `dependencies`,
/// `rollback_available`) and file 000's (`revision`, `upgrade_sql`, `downgrade_sql`, `created_at`).
///
/// The Migrations package reads it as JSON. `checksum` is the SHA-256 of `up_sql` in hex.
public struct SchemaMigration: Sendable, Hashable, Codable {
    public var version: String
    public var name: String
    public var description: String
    public var dialect: Dialect
    public var upSQL: String
    public var downSQL: String
    public var checksum: String
    public var dependencies: [String]
    public var createdAt: Date
    /// The changes, in order, with `destructive` set on those that can lose data.
    public var changes: [SchemaChangeSummary]
    /// True when any change can lose data (dropping a table or column, narrowing a type, ...).
    public var destructive: Bool
    /// True when the down SQL restores the schema (data dropped by the up SQL is not restored).
    public var rollbackAvailable: Bool
    /// SQLite scripts that rebuild tables switch `PRAGMA foreign_keys` off, which only takes effect
    /// outside a transaction.
    public var requiresNoTransaction: Bool

    enum CodingKeys: String, CodingKey {
        case version, name, description, dialect, checksum, dependencies, changes, destructive
        case upSQL = "up_sql", downSQL = "down_sql"
        case revision, upgradeSQL = "upgrade_sql", downgradeSQL = "downgrade_sql"
        case createdAt = "created_at"
        case rollbackAvailable = "rollback_available"
        case requiresNoTransaction = "requires_no_transaction"
    }

    public init(version: String, name: String, description: String, dialect: Dialect, upSQL: String, downSQL: String,
                dependencies: [String] = [], createdAt: Date = Date(), changes: [SchemaChangeSummary], requiresNoTransaction: Bool = false) {
        self.version = version
        self.name = name
        self.description = description
        self.dialect = dialect
        self.upSQL = upSQL
        self.downSQL = downSQL
        self.checksum = SHA256.hash(data: Data(upSQL.utf8)).map { String(format: "%02x", $0) }.joined()
        self.dependencies = dependencies
        self.createdAt = createdAt
        self.changes = changes
        self.destructive = changes.contains(where: \.destructive)
        self.rollbackAvailable = true
        self.requiresNoTransaction = requiresNoTransaction
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(String.self, forKey: .version) ?? c.decode(String.self, forKey: .revision)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? version
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        dialect = try c.decodeIfPresent(Dialect.self, forKey: .dialect) ?? .postgresql
        upSQL = try c.decodeIfPresent(String.self, forKey: .upSQL) ?? c.decode(String.self, forKey: .upgradeSQL)
        downSQL = try c.decodeIfPresent(String.self, forKey: .downSQL) ?? c.decodeIfPresent(String.self, forKey: .downgradeSQL) ?? ""
        checksum = try c.decodeIfPresent(String.self, forKey: .checksum) ?? SHA256.hash(data: Data(upSQL.utf8)).map { String(format: "%02x", $0) }.joined()
        dependencies = try c.decodeIfPresent([String].self, forKey: .dependencies) ?? []
        let created = try c.decodeIfPresent(String.self, forKey: .createdAt)
        createdAt = created.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date(timeIntervalSince1970: 0)
        changes = try c.decodeIfPresent([SchemaChangeSummary].self, forKey: .changes) ?? []
        destructive = try c.decodeIfPresent(Bool.self, forKey: .destructive) ?? changes.contains(where: \.destructive)
        rollbackAvailable = try c.decodeIfPresent(Bool.self, forKey: .rollbackAvailable) ?? !downSQL.isEmpty
        requiresNoTransaction = try c.decodeIfPresent(Bool.self, forKey: .requiresNoTransaction) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(version, forKey: .revision)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(dialect, forKey: .dialect)
        try c.encode(upSQL, forKey: .upSQL)
        try c.encode(downSQL, forKey: .downSQL)
        try c.encode(upSQL, forKey: .upgradeSQL)
        try c.encode(downSQL, forKey: .downgradeSQL)
        try c.encode(checksum, forKey: .checksum)
        try c.encode(dependencies, forKey: .dependencies)
        try c.encode(ISO8601DateFormatter().string(from: createdAt), forKey: .createdAt)
        try c.encode(changes, forKey: .changes)
        try c.encode(destructive, forKey: .destructive)
        try c.encode(rollbackAvailable, forKey: .rollbackAvailable)
        try c.encode(requiresNoTransaction, forKey: .requiresNoTransaction)
    }
}

/// Builds migrations from the difference between two schemas.
public enum MigrationPlanner {
    /// One migration turning `current` into `target` for `dialect`, or none when they do not differ.
    /// Throws `unsupportedChange` when objects the model does not describe differ, or a change cannot be
    /// written for the dialect.
    public static func migrations(from current: SchemaDefinition, to target: SchemaDefinition, dialect: Dialect,
                                  version: String? = nil, name: String? = nil, dependencies: [String] = [],
                                  now: Date = Date()) throws -> [SchemaMigration] {
        let differ = SchemaDiffer(from: current, to: target, dialect: dialect)
        let unsupported = differ.unsupportedDifferences()
        if !unsupported.isEmpty {
            throw SchemaError(.unsupportedChange, unsupported.joined(separator: "; "))
        }
        let changes = differ.changes()
        guard !changes.isEmpty else { return [] }
        let up = try MigrationSQL(dialect: dialect, differ: differ).statements()
        let down = try MigrationSQL(dialect: dialect, differ: differ.reversed()).statements()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        let summaries = changes.map(\.summary)
        let title = changes.count == 1 ? changes[0].description : "\(changes.count) schema changes"
        return [SchemaMigration(
            version: version ?? formatter.string(from: now),
            name: name ?? Self.slug(title),
            description: changes.map(\.description).joined(separator: "\n"),
            dialect: dialect,
            upSQL: up.map { $0 + ";\n" }.joined(),
            downSQL: down.map { $0 + ";\n" }.joined(),
            dependencies: dependencies, createdAt: now, changes: summaries,
            requiresNoTransaction: up.contains("PRAGMA foreign_keys = OFF") || down.contains("PRAGMA foreign_keys = OFF"))]
    }

    static func slug(_ text: String) -> String {
        let mapped = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        var out = ""
        for ch in mapped where !(ch == "_" && out.hasSuffix("_")) { out.append(ch) }
        return String(out.trimmingCharacters(in: CharacterSet(charactersIn: "_")).prefix(60))
    }
}
