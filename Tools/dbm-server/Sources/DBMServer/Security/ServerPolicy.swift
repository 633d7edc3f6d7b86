import Drivers
import Foundation

/// What `dbm-server --config FILE` configures: which databases may be reached, whether everything is
/// read-only, where paths given over the protocol must stay, and where the audit log goes.
///
/// The file is JSON:
/// ```json
/// {"allowed_databases": ["postgresql://db.example/app", "reports"],
///  "read_only": false, "audit_log": "/var/log/dbm/audit.jsonl", "allowed_root": "/srv/dbm"}
/// ```
/// Every key is optional; unknown keys are refused so a misspelt setting does not silently do nothing.
public struct ServerPolicy: Sendable {
    /// Databases a call may reach; `nil` allows every database.
    public var allowList: DatabaseAllowList?
    /// Refuse every statement and method that writes.
    public var readOnly: Bool
    /// Where the audit log (JSON lines) is appended; `nil` keeps no audit log.
    public var auditLogPath: String?
    /// Resolves and checks every path parameter.
    public var paths: PathPolicy

    public init(allowList: DatabaseAllowList? = nil, readOnly: Bool = false, auditLogPath: String? = nil, allowedRoot: String? = nil) {
        self.allowList = allowList
        self.readOnly = readOnly
        self.auditLogPath = auditLogPath
        self.paths = PathPolicy(allowedRoot: allowedRoot)
    }

    /// Reads a configuration file.
    /// - Throws: `ServerPolicy.FileError` naming the file and what is wrong with it.
    public static func load(contentsOf path: String) throws -> ServerPolicy {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw FileError(message: "cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FileError(message: "the configuration file \(path) is not a JSON object")
        }
        let known: Set<String> = ["allowed_databases", "read_only", "audit_log", "allowed_root"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw FileError(message: "the configuration file \(path) has an unknown key '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        var policy = ServerPolicy()
        if let entries = object["allowed_databases"] {
            guard let list = entries as? [String] else { throw FileError(message: "allowed_databases must be a list of URLs or names") }
            policy.allowList = try DatabaseAllowList(entries: list)
        }
        if let readOnly = object["read_only"] {
            guard let flag = readOnly as? Bool else { throw FileError(message: "read_only must be true or false") }
            policy.readOnly = flag
        }
        if let audit = object["audit_log"] {
            guard let audit = audit as? String, !audit.isEmpty else { throw FileError(message: "audit_log must be a file path") }
            policy.auditLogPath = audit
        }
        if let root = object["allowed_root"] {
            guard let root = root as? String, root.hasPrefix("/") else { throw FileError(message: "allowed_root must be an absolute directory path") }
            policy.paths = PathPolicy(allowedRoot: root)
        }
        return policy
    }

    /// A configuration file that cannot be used.
    public struct FileError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
