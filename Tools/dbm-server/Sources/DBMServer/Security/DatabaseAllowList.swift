import Drivers
import Foundation

/// The databases a server may reach (`allowed_databases` in `dbm-server --config`).
///
/// An entry is a connection URL (matched on engine, host, port and database; user and password are
/// ignored) or a bare database name (matched on the database name; for SQLite, on the file's path or its
/// last component). A connection outside the list is refused with `DatabaseError` kind `not_allowed`
/// before anything is opened. `ConnectionRegistry.configuration(for:)` checks every target, so every
/// method that names a database is covered.
public struct DatabaseAllowList: Sendable {
    struct Server: Sendable, Equatable {
        let dialect: Dialect
        let host: String?
        let port: Int?
        let database: String
    }
    let servers: [Server]
    let names: Set<String>

    /// The kind of the `DatabaseError` a refused connection throws.
    public static let notAllowed = DatabaseError.Code(rawValue: "not_allowed")

    /// - Throws: when an entry that looks like a URL cannot be parsed.
    public init(entries: [String]) throws {
        var servers: [Server] = []
        var names: Set<String> = []
        for entry in entries {
            if entry.contains("://") || entry.hasPrefix("sqlite:") {
                let configuration = try ConnectionConfiguration(url: entry)
                servers.append(Self.key(configuration))
            } else {
                names.insert(entry)
            }
        }
        self.servers = servers
        self.names = names
    }

    static func key(_ c: ConnectionConfiguration) -> Server {
        let host = c.host.map { $0 == "localhost" || $0 == "::1" ? "127.0.0.1" : $0 }
        let port = c.port ?? (c.dialect == .postgresql ? 5432 : c.dialect == .mysql ? 3306 : nil)
        let database = c.dialect == .sqlite ? (c.database as NSString).standardizingPath : c.database
        return Server(dialect: c.dialect, host: c.dialect == .sqlite ? nil : host, port: c.dialect == .sqlite ? nil : port, database: database)
    }

    /// True when the list lets a connection reach this configuration's database.
    public func permits(_ configuration: ConnectionConfiguration) -> Bool {
        if names.contains(configuration.database) { return true }
        if configuration.dialect == .sqlite, names.contains((configuration.database as NSString).lastPathComponent) { return true }
        return servers.contains(Self.key(configuration))
    }

    /// Throws `DatabaseError` kind `not_allowed` (naming the redacted URL) when the list does not permit it.
    public func check(_ configuration: ConnectionConfiguration) throws {
        guard permits(configuration) else {
            throw DatabaseError(Self.notAllowed, "\(configuration.redactedURL) is not in the server's allowed_databases")
        }
    }
}
