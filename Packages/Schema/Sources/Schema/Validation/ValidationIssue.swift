/// One finding of `validate`: how serious it is, where, and what.
public struct ValidationIssue: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The schema cannot be applied as it is (a dangling reference, a duplicate name, an unknown type).
        case error
        /// The schema can be applied but probably not as meant (no primary key, a reserved word, a cycle).
        case warning
    }

    public var severity: Severity
    /// Where: `users`, `users.email`, `orders.orders_user_id_fkey`, `view active_users`.
    public var location: String
    public var message: String

    public init(_ severity: Severity, _ location: String, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }
}

extension ValidationIssue: CustomStringConvertible {
    /// `error: users.email: duplicate column name`.
    public var description: String { "\(severity.rawValue): \(location): \(message)" }
}
