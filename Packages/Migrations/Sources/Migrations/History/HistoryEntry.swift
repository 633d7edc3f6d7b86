import Foundation

/// One row of the toolkit's history table: a migration that was applied (or, when `success` is false, that
/// failed part-way and left the database dirty). `get_migration_history` returns these.
public struct HistoryEntry: Sendable, Hashable, Codable {
    public var revision: String
    public var description: String
    public var kind: MigrationKind
    /// SHA-256 of the file when it was applied; empty for migrations adopted from another tool's table.
    public var checksum: String
    public var appliedAt: Date
    public var appliedBy: String
    public var executionTimeMs: Int
    /// False while the migration is dirty: it stopped after `statementsApplied` statements.
    public var success: Bool
    public var statementsApplied: Int
    /// The statement that failed and the engine's message, while dirty.
    public var failedStatement: String?
    public var errorMessage: String?
    /// Position in the order migrations were applied (1 = first).
    public var appliedOrder: Int
    /// The direction of the last run on this row: `down` while a failed rollback left it dirty.
    public var direction: MigrationDirection = .up
    /// `dbm` for migrations the toolkit ran, `baseline` for ones `baseline` marked, `adopted:<tool>` for ones
    /// another tool had applied.
    public var source: String

    public init(revision: String, description: String, kind: MigrationKind, checksum: String, appliedAt: Date,
                appliedBy: String, executionTimeMs: Int, success: Bool, statementsApplied: Int,
                failedStatement: String? = nil, errorMessage: String? = nil, appliedOrder: Int, source: String) {
        self.revision = revision
        self.description = description
        self.kind = kind
        self.checksum = checksum
        self.appliedAt = appliedAt
        self.appliedBy = appliedBy
        self.executionTimeMs = executionTimeMs
        self.success = success
        self.statementsApplied = statementsApplied
        self.failedStatement = failedStatement
        self.errorMessage = errorMessage
        self.appliedOrder = appliedOrder
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case revision, version, description, kind, checksum
        case appliedAt = "applied_at", appliedBy = "applied_by", executionTimeMs = "execution_time_ms", success
        case statementsApplied = "statements_applied", failedStatement = "failed_statement"
        case errorMessage = "error_message", appliedOrder = "applied_order", source, dirty, direction
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let revision = try c.decodeIfPresent(String.self, forKey: .revision) ?? c.decodeIfPresent(String.self, forKey: .version) else {
            throw DecodingError.keyNotFound(CodingKeys.revision, .init(codingPath: c.codingPath, debugDescription: "history entry needs \"revision\""))
        }
        self.init(
            revision: revision,
            description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
            kind: try c.decodeIfPresent(MigrationKind.self, forKey: .kind) ?? .versioned,
            checksum: try c.decodeIfPresent(String.self, forKey: .checksum) ?? "",
            appliedAt: try c.decodeTimestampIfPresent(forKey: .appliedAt) ?? Date(timeIntervalSince1970: 0),
            appliedBy: try c.decodeIfPresent(String.self, forKey: .appliedBy) ?? "",
            executionTimeMs: try c.decodeIfPresent(Int.self, forKey: .executionTimeMs) ?? 0,
            success: try c.decodeIfPresent(Bool.self, forKey: .success) ?? true,
            statementsApplied: try c.decodeIfPresent(Int.self, forKey: .statementsApplied) ?? 0,
            failedStatement: try c.decodeIfPresent(String.self, forKey: .failedStatement),
            errorMessage: try c.decodeIfPresent(String.self, forKey: .errorMessage),
            appliedOrder: try c.decodeIfPresent(Int.self, forKey: .appliedOrder) ?? 0,
            source: try c.decodeIfPresent(String.self, forKey: .source) ?? "dbm")
        direction = try c.decodeIfPresent(MigrationDirection.self, forKey: .direction) ?? .up
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(revision, forKey: .revision)
        try c.encode(revision, forKey: .version)
        try c.encode(description, forKey: .description)
        try c.encode(kind, forKey: .kind)
        try c.encode(checksum, forKey: .checksum)
        try c.encodeTimestamp(appliedAt, forKey: .appliedAt)
        try c.encode(appliedBy, forKey: .appliedBy)
        try c.encode(executionTimeMs, forKey: .executionTimeMs)
        try c.encode(success, forKey: .success)
        try c.encode(!success, forKey: .dirty)
        try c.encode(statementsApplied, forKey: .statementsApplied)
        try c.encode(failedStatement, forKey: .failedStatement)
        try c.encode(errorMessage, forKey: .errorMessage)
        try c.encode(appliedOrder, forKey: .appliedOrder)
        try c.encode(source, forKey: .source)
        try c.encode(direction, forKey: .direction)
    }
}
