/// The spec's `SchemaError`: an invalid schema definition, or a schema operation that cannot be done.
///
/// `location` names where the problem is (`users.email`, `orders.fk_orders_user`), so a caller can point at it.
/// `description` never contains connection passwords (errors from the drivers are wrapped with their own,
/// already redacted, description).
public struct SchemaError: Error, Sendable, Hashable {
    /// The kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A pattern matching any `SchemaError` of this code: `catch SchemaError.Code.invalidDefinition`.
        public static func ~= (pattern: Code, error: any Error) -> Bool { (error as? SchemaError)?.code == pattern }

        /// The definition cannot be read or is inconsistent (a dangling reference, a missing name).
        public static let invalidDefinition = Code(rawValue: "invalid_definition")
        /// Validation found errors and the operation needs a valid schema (`apply_to_database`).
        public static let validationFailed = Code(rawValue: "validation_failed")
        /// The diff found a change it cannot express in SQL for the dialect.
        public static let unsupportedChange = Code(rawValue: "unsupported_change")
        /// A dialect, format or template name that dbm does not know.
        public static let unknownName = Code(rawValue: "unknown_name")
        /// A file could not be read or written.
        public static let fileError = Code(rawValue: "file_error")
        /// A model (JSON Schema or entity description) could not be turned into tables.
        public static let invalidModel = Code(rawValue: "invalid_model")
        /// The database failed while being inspected or changed; see `underlying`.
        public static let databaseFailure = Code(rawValue: "database_failure")
    }

    public var code: Code
    public var message: String
    public var location: String?
    /// The database error's description, when a database operation failed.
    public var underlying: String?

    public init(_ code: Code, _ message: String, location: String? = nil, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.underlying = underlying
    }
}

extension SchemaError: CustomStringConvertible {
    public var description: String {
        var out = message
        if let underlying { out += ": " + underlying }
        return out
    }
}
