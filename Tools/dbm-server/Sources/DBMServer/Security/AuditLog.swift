import Drivers
import Foundation
import JSONRPC

/// The audit log: one JSON line per call that changes something, appended to the file named by
/// `audit_log` in `dbm-server --config`.
///
/// A line is `{"time": ISO-8601 UTC, "method", "database": redacted URL or null, "name": the database a
/// create/drop names (redacted when a URL), "outcome": "ok" | "error", "error_kind", "duration_ms"}`.
/// Passwords never appear: databases are written with `redactedURL`, and neither SQL text, parameter
/// values nor error messages are written.
///
/// Which calls are audited: `AuditLog.isMutating(method:params:)`.
/// - Important: thread-safe; each line is one `write(2)` on an `O_APPEND` descriptor.
public final class AuditLog: Sendable {
    /// Methods that always change something. The Backups and Migrations wirings add their mutating
    /// methods here (restore, delete, upgrade, downgrade, ...).
    public static let mutatingMethods: Set<String> = [
        "DatabaseManager.create_database",
        "DatabaseManager.drop_database",
        "SchemaDefinition.apply_to_database",
        "run_migrations",
        "MigrationManager.upgrade",
        "MigrationManager.downgrade",
        "MigrationManager.repair",
        "MigrationManager.baseline",
        "MigrationManager.create_migration",
        "Migration.apply",
        "Migration.rollback",
        "optimize_database",
        "PerformanceMonitor.rollback_optimization",
        "backup_database",
        "BackupManager.create_backup",
        "BackupManager.restore_backup",
        "BackupManager.delete_backup",
        "BackupManager.schedule_backup",
        "BackupManager.delete_schedule",
        "BackupManager.run_due",
        "BackupManager.prune",
        "Backup.restore",
        "Backup.delete",
    ]

    public let path: String
    private let fd: Int32

    /// Opens (creating with mode 0600) the log for appending.
    /// - Throws: `ServerPolicy.FileError` when the file cannot be opened.
    public init(path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ServerPolicy.FileError(message: "cannot open the audit log \(path): \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// True when a call of `method` with these params changes something and must be audited.
    ///
    /// `DatabaseManager.execute_query` is audited unless its statement is read-only by
    /// `StatementClassifier.isReadOnly` (a conservative leading-keyword check); `manage_databases` when
    /// its operation is create or drop.
    public static func isMutating(method: String, params: Any) -> Bool {
        if mutatingMethods.contains(method) { return true }
        let fields = Mirror(reflecting: params).children
        switch method {
        case "DatabaseManager.execute_query":
            guard let query = fields.first(where: { $0.label == "query" })?.value as? String else { return true }
            return !StatementClassifier.isReadOnly(query)
        case "manage_databases":
            guard let value = fields.first(where: { $0.label == "operation" })?.value,
                  let operation = unwrap(value) as? ManageDatabases.Operation else { return false }
            return operation != .healthCheck
        default:
            return false
        }
    }

    /// Runs `body`; when the call is mutating, appends its line (also when `body` throws).
    func around<P, R>(_ method: String, _ params: P, _ state: ServerState, _ body: () async throws -> R) async throws -> R {
        guard Self.isMutating(method: method, params: params) else { return try await body() }
        let started = ContinuousClock.now
        let time = Date()
        let fields = Mirror(reflecting: params).children
        var database: String?
        if let target = fields.first(where: { $0.label == "target" })?.value as? DatabaseTarget {
            database = (try? await state.connections.configuration(for: target))?.redactedURL
        }
        var name: String?
        for label in ["name", "database_name"] {
            if let value = fields.first(where: { $0.label == label })?.value, let text = Self.unwrap(value) as? String {
                name = text.contains("://") || text.hasPrefix("sqlite:") ? ((try? ConnectionConfiguration(url: text))?.redactedURL ?? "<unparsable URL>") : text
            }
        }
        do {
            let result = try await body()
            write(time: time, method: method, database: database, name: name, errorKind: nil, duration: ContinuousClock.now - started)
            return result
        } catch {
            let mapped = ErrorMapping.rpcError(for: error)
            let kind = mapped.data?["kind"]?.stringValue ?? "rpc_\(mapped.code)"
            write(time: time, method: method, database: database, name: name, errorKind: kind, duration: ContinuousClock.now - started)
            throw error
        }
    }

    private static func unwrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }

    func write(time: Date, method: String, database: String?, name: String?, errorKind: String?, duration: Duration) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var line: JSONObject = [
            "time": .string(formatter.string(from: time)),
            "method": .string(method),
            "database": database.map(JSONValue.string) ?? .null,
            "outcome": .string(errorKind == nil ? "ok" : "error"),
            "duration_ms": .double((duration.seconds * 1000 * 1000).rounded() / 1000),
        ]
        if let name { line["name"] = .string(name) }
        if let errorKind { line["error_kind"] = .string(errorKind) }
        let bytes = JSONValue.object(line).serialized() + [10]
        _ = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
    }
}

/// Decides whether a SQL statement is read-only for the audit log, conservatively: after leading
/// whitespace, comments and parentheses, the first keyword must be SELECT, SHOW, EXPLAIN, DESCRIBE,
/// DESC, VALUES, TABLE or PRAGMA, and the text must hold no `;` followed by another statement. Anything
/// else (WITH, which may wrap a DELETE; CALL; SELECT ... INTO) counts as writing and is audited.
public enum StatementClassifier {
    static let readOnlyKeywords: Set<String> = ["SELECT", "SHOW", "EXPLAIN", "DESCRIBE", "DESC", "VALUES", "TABLE", "PRAGMA"]

    public static func isReadOnly(_ sql: String) -> Bool {
        var text = Substring(sql)
        while true {
            let trimmed = text.drop { $0.isWhitespace || $0 == "(" }
            if trimmed.hasPrefix("--") {
                text = trimmed.drop { $0 != "\n" }
            } else if trimmed.hasPrefix("/*") {
                guard let end = trimmed.range(of: "*/") else { return false }
                text = trimmed[end.upperBound...]
            } else {
                text = trimmed
                break
            }
        }
        let keyword = text.prefix { $0.isLetter }.uppercased()
        guard readOnlyKeywords.contains(keyword) else { return false }
        if keyword == "SELECT", text.range(of: "INTO", options: .caseInsensitive) != nil { return false }
        if keyword == "PRAGMA", text.contains("=") { return false }
        if let semicolon = text.firstIndex(of: ";"),
           !text[text.index(after: semicolon)...].allSatisfy({ $0.isWhitespace || $0 == ";" }) { return false }
        return true
    }
}
