/// A failure of metrics collection, history, plans or reports (the spec's `MonitoringError`).
///
/// Database failures underneath keep their `DatabaseError`; this type is for what the monitoring layer
/// itself refuses or cannot do. `description` never contains a password or a bound value.
public struct MonitoringError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A parameter is missing or out of range (`limit`, `format`, `interval`).
        public static let invalidParameter = Code(rawValue: "invalid_parameter")
        /// The history store in the workspace directory could not be opened or written.
        public static let historyUnavailable = Code(rawValue: "history_unavailable")
        /// The history holds no sample for the database yet (`get_summary` without metrics).
        public static let noHistory = Code(rawValue: "no_history")
        /// The engine's plan could not be read or parsed.
        public static let planUnavailable = Code(rawValue: "plan_unavailable")
        /// The statement may not be run by `monitor_query_performance` (it would change data irreversibly).
        public static let unsafeStatement = Code(rawValue: "unsafe_statement")
        /// A report could not be written to the requested path.
        public static let reportFailed = Code(rawValue: "report_failed")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// A failure while analysing or applying optimizations (the spec's `OptimizationError`).
public struct OptimizationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// `optimization_type` is not one of performance, storage, query, maintenance.
        public static let invalidOptimizationType = Code(rawValue: "invalid_optimization_type")
        /// A change could not be applied; the changes before it were rolled back.
        public static let applyFailed = Code(rawValue: "apply_failed")
        /// No applied change has the given id, or it was already rolled back.
        public static let unknownChange = Code(rawValue: "unknown_change")
        /// The inverse of a change failed.
        public static let rollbackFailed = Code(rawValue: "rollback_failed")
        /// Changes were requested on a read-only connection.
        public static let readOnly = Code(rawValue: "read_only")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
