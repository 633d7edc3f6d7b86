/// The outcome of one statistics source during a collection: whether it ran, and why not.
///
/// A source that could not run (missing privilege, extension absent, `performance_schema` off, a
/// statistic the engine does not have) is `skipped` with the reason, never `ok`.
public struct MetricsCheck: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case ok, skipped, failed
    }

    /// What was read, for example `pg_stat_statements` or `performance_schema.digests`.
    public var name: String
    public var status: Status
    /// Why the check was skipped or failed; for `ok`, an optional note on what the figure covers.
    public var reason: String?

    public init(name: String, status: Status, reason: String? = nil) {
        self.name = name
        self.status = status
        self.reason = reason
    }

    static func ok(_ name: String, _ note: String? = nil) -> MetricsCheck { .init(name: name, status: .ok, reason: note) }
    static func skipped(_ name: String, _ reason: String) -> MetricsCheck { .init(name: name, status: .skipped, reason: reason) }
    static func failed(_ name: String, _ reason: String) -> MetricsCheck { .init(name: name, status: .failed, reason: reason) }
}

/// An active alert: a metric beyond its threshold.
public struct MetricsAlert: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
        case warning, critical
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .critical }
    }

    public var metric: String
    public var value: Double
    public var threshold: Double
    public var severity: Severity
    public var message: String

    public init(metric: String, value: Double, threshold: Double, severity: Severity, message: String) {
        self.metric = metric
        self.value = value
        self.threshold = threshold
        self.severity = severity
        self.message = message
    }
}
