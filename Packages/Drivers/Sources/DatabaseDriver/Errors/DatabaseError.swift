/// The one error type of the drivers: what kind of failure it was, the engine's own code and message.
///
/// Match a kind with `catch let error as DatabaseError where error.code == .uniqueViolation`, or with the
/// static patterns: `catch DatabaseError.uniqueViolation`.
///
/// - Important: `description` never contains a password or a bound value. Messages built by the drivers
///   come from the engine (which does not echo passwords) and connection strings are redacted first.
public struct DatabaseError: Error, Sendable, Hashable {
    /// The kind of failure, independent of the engine.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A pattern matching any `DatabaseError` of this code: `catch DatabaseError.uniqueViolation`.
        public static func ~= (pattern: Code, error: any Error) -> Bool {
            (error as? DatabaseError)?.code == pattern
        }

        /// The server could not be reached (refused, unknown host, timed out).
        public static let connectionRefused = Code(rawValue: "connection_refused")
        /// The server rejected the credentials.
        public static let authenticationFailed = Code(rawValue: "authentication_failed")
        /// The database named in the connection does not exist (or the SQLite file is missing).
        public static let unknownDatabase = Code(rawValue: "unknown_database")
        /// An established connection was lost (server restarted, backend terminated, network dropped).
        public static let connectionLost = Code(rawValue: "connection_lost")
        /// The SQL text could not be parsed.
        public static let syntaxError = Code(rawValue: "syntax_error")
        /// A table, column or other object named in the statement does not exist.
        public static let undefinedObject = Code(rawValue: "undefined_object")
        /// An object being created already exists.
        public static let duplicateObject = Code(rawValue: "duplicate_object")
        public static let uniqueViolation = Code(rawValue: "unique_violation")
        public static let foreignKeyViolation = Code(rawValue: "foreign_key_violation")
        public static let notNullViolation = Code(rawValue: "not_null_violation")
        public static let checkViolation = Code(rawValue: "check_violation")
        /// Any other integrity constraint violation.
        public static let constraintViolation = Code(rawValue: "constraint_violation")
        /// A value could not be converted, or a parameter does not fit the statement.
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// The statement's placeholders and the arguments given do not match.
        public static let parameterMismatch = Code(rawValue: "parameter_mismatch")
        /// The running statement was cancelled (interrupt, `PQcancel`, `KILL QUERY`).
        public static let cancelled = Code(rawValue: "cancelled")
        /// A deadlock or serialization failure; the transaction may be retried.
        public static let transactionConflict = Code(rawValue: "transaction_conflict")
        /// The user lacks a privilege, or the connection is read-only.
        public static let permissionDenied = Code(rawValue: "permission_denied")
        /// The database is locked or busy beyond the timeout.
        public static let busy = Code(rawValue: "busy")
        /// A pool could not hand out a connection before its acquire timeout.
        public static let poolTimeout = Code(rawValue: "pool_timeout")
        /// The connection URL or configuration is malformed or names an unsupported driver.
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// Misuse of the API (a closed connection, a nested `begin`).
        public static let misuse = Code(rawValue: "misuse")
        /// An input/output failure (disk full, file unreadable).
        public static let ioError = Code(rawValue: "io_error")
        /// Anything the driver could not classify; see `engineCode` and `message`.
        public static let other = Code(rawValue: "other")
    }

    public var code: Code
    /// The engine's own code: a SQLSTATE for PostgreSQL (`"23505"`), the errno for MySQL/MariaDB (`"1062"`),
    /// the extended result code for SQLite (`"2067"`).
    public var engineCode: String?
    /// The engine's message, or the driver's where the engine said nothing.
    public var message: String
    /// The statement that failed, when there was one. Contains no bound values (they are never spliced).
    public var sql: String?
    /// The engine that raised it (`"sqlite"`, `"postgresql"`, `"mysql"`), when known.
    public var engine: String?

    public init(_ code: Code, _ message: String, engineCode: String? = nil, sql: String? = nil, engine: String? = nil) {
        self.code = code
        self.message = message
        self.engineCode = engineCode
        self.sql = sql
        self.engine = engine
    }

    /// True for the integrity constraint kinds.
    public var isConstraintViolation: Bool {
        [.uniqueViolation, .foreignKeyViolation, .notNullViolation, .checkViolation, .constraintViolation].contains(code)
    }
}

extension DatabaseError {
    public static let connectionRefused = Code.connectionRefused
    public static let authenticationFailed = Code.authenticationFailed
    public static let unknownDatabase = Code.unknownDatabase
    public static let connectionLost = Code.connectionLost
    public static let syntaxError = Code.syntaxError
    public static let uniqueViolation = Code.uniqueViolation
    public static let foreignKeyViolation = Code.foreignKeyViolation
    public static let notNullViolation = Code.notNullViolation
    public static let cancelled = Code.cancelled
}

extension DatabaseError: CustomStringConvertible {
    public var description: String {
        var out = message
        if let engineCode { out += " [\(engine ?? "engine") \(engineCode)]" }
        return out
    }
}
