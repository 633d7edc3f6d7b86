import DatabaseDriver

/// The error type of the Migrations package (the spec's `MigrationError`).
///
/// Match a kind with `catch let error as MigrationError where error.code == .drift`, or with the static
/// patterns: `catch MigrationError.dirty`. A failure inside the database is wrapped with the engine's
/// `DatabaseError` in `underlying`, and names the migration and, where known, the statement.
public struct MigrationError: Error, Sendable, Hashable {
    /// The kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A pattern matching any `MigrationError` of this code: `catch MigrationError.drift`.
        public static func ~= (pattern: Code, error: any Error) -> Bool {
            (error as? MigrationError)?.code == pattern
        }

        /// The migration directory is missing, unreadable, or its files do not follow one format.
        public static let invalidDirectory = Code(rawValue: "invalid_directory")
        /// A migration file cannot be used (duplicate version, unparseable name, unterminated quote).
        public static let invalidMigration = Code(rawValue: "invalid_migration")
        /// A dependency names a revision that does not exist.
        public static let missingDependency = Code(rawValue: "missing_dependency")
        /// Dependencies form a cycle.
        public static let dependencyCycle = Code(rawValue: "dependency_cycle")
        /// A target revision is not one of the directory's migrations.
        public static let unknownRevision = Code(rawValue: "unknown_revision")
        /// An applied migration's file changed since it ran.
        public static let drift = Code(rawValue: "drift")
        /// A previous run failed part-way through a migration that could not be rolled back.
        public static let dirty = Code(rawValue: "dirty")
        /// A pending migration is older than the newest applied one; needs `out_of_order`.
        public static let outOfOrder = Code(rawValue: "out_of_order")
        /// Another runner holds the migration lock beyond the timeout.
        public static let lockTimeout = Code(rawValue: "lock_timeout")
        /// A migration's SQL failed; `underlying` holds the engine's error.
        public static let executionFailed = Code(rawValue: "execution_failed")
        /// A migration to undo has no downgrade SQL.
        public static let irreversible = Code(rawValue: "irreversible")
        /// The run was cancelled.
        public static let cancelled = Code(rawValue: "cancelled")
        /// A request's parameters do not make sense together (unknown direction, repair of a clean history).
        public static let invalidRequest = Code(rawValue: "invalid_request")
    }

    public var code: Code
    public var message: String
    /// The migration concerned, when there is one.
    public var revision: String?
    /// The statement that failed (1-based index and text), for statement-by-statement runs.
    public var statementIndex: Int?
    public var statement: String?
    /// The engine's error behind an execution failure.
    public var underlying: DatabaseError?

    public init(_ code: Code, _ message: String, revision: String? = nil, statementIndex: Int? = nil,
                statement: String? = nil, underlying: DatabaseError? = nil) {
        self.code = code
        self.message = message
        self.revision = revision
        self.statementIndex = statementIndex
        self.statement = statement
        self.underlying = underlying
    }
}

extension MigrationError {
    public static let drift = Code.drift
    public static let dirty = Code.dirty
    public static let outOfOrder = Code.outOfOrder
    public static let lockTimeout = Code.lockTimeout
    public static let executionFailed = Code.executionFailed
    public static let dependencyCycle = Code.dependencyCycle
    public static let missingDependency = Code.missingDependency
}

extension MigrationError: CustomStringConvertible {
    /// The message, with the engine's error appended. Never contains bound values or passwords (migrations
    /// bind none; connection strings are printed redacted).
    public var description: String {
        var out = message
        if let underlying { out += ": \(underlying)" }
        return out
    }
}
