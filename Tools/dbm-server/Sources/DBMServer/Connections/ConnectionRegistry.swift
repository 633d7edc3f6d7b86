import Drivers
import Foundation
import JSONRPC

/// The server's open databases: named handles from `DatabaseManager.connect` and pools for databases
/// named by URL or configuration on each call. Each handle is a `ConnectionPool`, so calls on one handle
/// run concurrently up to its `max_connections`.
public actor ConnectionRegistry {
    /// An open handle.
    public struct Handle: Sendable {
        public let id: String
        public let pool: ConnectionPool
        public let openedAt: Date
        public var configuration: ConnectionConfiguration { pool.configuration }
    }

    private var handles: [String: Handle] = [:]
    /// Passwords given in this session for databases whose later work runs without them (scheduled
    /// backups), keyed by the configuration without its password. Kept in memory only.
    private var rememberedPasswords: [ConnectionConfiguration: String] = [:]
    private var pools: [ConnectionConfiguration: ConnectionPool] = [:]
    private var counter = 0
    /// Used when a call names no database.
    public nonisolated let defaultConfiguration: ConnectionConfiguration?
    /// When true every connection is opened read-only.
    public nonisolated let readOnly: Bool
    /// When set, only these databases can be reached (`allowed_databases` in `dbm-server --config`).
    public nonisolated let allowList: DatabaseAllowList?
    /// When it has an allowed root, SQLite database files must be inside it (`allowed_root` in `--config`).
    public nonisolated let paths: PathPolicy

    public init(defaultConfiguration: ConnectionConfiguration? = nil, readOnly: Bool = false, allowList: DatabaseAllowList? = nil,
                paths: PathPolicy = PathPolicy()) {
        self.defaultConfiguration = defaultConfiguration
        self.readOnly = readOnly
        self.allowList = allowList
        self.paths = paths
    }

    /// Checks what a configuration reaches: the allow-list, and for a SQLite file under an allowed root,
    /// its path (resolved, so the file opened is the file checked).
    public nonisolated func checkAccess(_ configuration: inout ConnectionConfiguration) throws {
        if configuration.dialect == .sqlite, !configuration.isInMemory, paths.allowedRoot != nil {
            configuration.database = try paths.resolve(configuration.database, parameter: "database")
        }
        try allowList?.check(configuration)
    }

    /// Keeps `configuration`'s password in memory for ``knownPassword(for:)``.
    public func rememberPassword(of configuration: ConnectionConfiguration) {
        guard let password = configuration.password else { return }
        var key = configuration
        key.password = nil
        rememberedPasswords[key] = password
    }

    /// The password this server knows for a configuration given without one: remembered from this
    /// session's calls, an open handle's, or the default database's (`--database-url`).
    public func knownPassword(for configuration: ConnectionConfiguration) -> String? {
        var key = configuration
        key.password = nil
        if let password = rememberedPasswords[key] { return password }
        let known = handles.values.map(\.configuration) + [defaultConfiguration].compactMap { $0 }
        for candidate in known where candidate.password != nil {
            var stripped = candidate
            stripped.password = nil
            if stripped == key { return candidate.password }
        }
        return nil
    }

    /// Opens a handle (the first connection is opened now, so a bad URL fails here) and returns it.
    public func open(_ configuration: ConnectionConfiguration) async throws -> Handle {
        let pool = makePool(configuration)
        do {
            try await pool.withConnection { _ in }
            try await pool.warmUp()
        } catch {
            await pool.close()
            throw error
        }
        counter += 1
        let id = "conn-\(counter)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let handle = Handle(id: id, pool: pool, openedAt: Date())
        handles[id] = handle
        return handle
    }

    /// The handle with this id.
    public func handle(_ id: String) throws -> Handle {
        guard let handle = handles[id] else {
            throw RPCError(code: RPCError.Code.invalidParams,
                message: "unknown connection '\(id.prefix(80))': it was never opened or is already closed",
                data: ["type": "DatabaseError", "kind": "unknown_connection"])
        }
        return handle
    }

    /// Closes a handle and every connection in it. Throws for an unknown id.
    public func close(_ id: String) async throws {
        let handle = try handle(id)
        handles[id] = nil
        await handle.pool.close()
    }

    /// The configuration a target names (without opening anything). Only a handle id needs the actor;
    /// URLs and configurations are resolved without waiting for it.
    public nonisolated func configuration(for target: DatabaseTarget) async throws -> ConnectionConfiguration {
        var configuration: ConnectionConfiguration
        if let id = target.connectionID {
            configuration = try await handle(id).configuration
        } else if let config = target.configuration {
            configuration = config
        } else if let url = target.url {
            configuration = try ConnectionConfiguration(url: url)
        } else if let fallback = defaultConfiguration {
            configuration = fallback
        } else {
            throw RPCError(code: RPCError.Code.invalidParams,
                message: "no database given: pass connection, database_url, connection_string or connection_config (or start dbm-server with --database-url / DATABASE_URL)")
        }
        if readOnly { configuration.readOnly = true }
        if target.connectionID == nil { try checkAccess(&configuration) }
        return configuration
    }

    /// The pool serving a target: the handle's pool, or one kept per configuration for URL calls.
    public func pool(for target: DatabaseTarget) async throws -> ConnectionPool {
        if let id = target.connectionID { return try handle(id).pool }
        let configuration = try await configuration(for: target)
        if let pool = pools[configuration] { return pool }
        let pool = makePool(configuration)
        pools[configuration] = pool
        return pool
    }

    /// Every open handle, oldest first.
    public var openHandles: [Handle] { handles.values.sorted { $0.openedAt < $1.openedAt } }

    /// Closes every handle and pool (at shutdown and end of input).
    public func closeAll() async {
        let all = Array(handles.values.map(\.pool)) + Array(pools.values)
        handles.removeAll()
        pools.removeAll()
        for pool in all { await pool.close() }
    }

    private func makePool(_ configuration: ConnectionConfiguration) -> ConnectionPool {
        // Handles come from configuration(for:), which checked the allow-list.
        var configuration = configuration
        if readOnly { configuration.readOnly = true }
        if configuration.isInMemory {
            // Each connection to :memory: is a different database: keep exactly one, forever.
            configuration.pool.minConnections = 1
            configuration.pool.maxConnections = 1
            configuration.pool.idleTimeout = 0
        }
        return ConnectionPool(configuration: configuration, driver: Database.driver(for: configuration.dialect))
    }
}
