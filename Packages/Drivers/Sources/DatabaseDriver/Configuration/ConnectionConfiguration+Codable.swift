import Foundation

/// The spec's `connection_config` object:
/// `{"driver": "postgresql", "host": ..., "port": ..., "database": ..., "username": ..., "password": ...,
///   "ssl_config": {...}, "connection_pool": {...}}`.
///
/// A `url` key may carry a connection URL that the other keys then refine. `user` is accepted for
/// `username`, `type`/`database_type` for `driver`, `path`/`file` for a SQLite database file.
/// Encoding writes `"password": "***"` when a password is set: the encoded form is safe to return.
extension ConnectionConfiguration: Codable {
    enum CodingKeys: String, CodingKey {
        case url, driver, type, database_type, host, port, database, username, user, password
        case ssl_config, connection_pool, read_only, read_replica, connect_timeout, application_name
        case path, file, options
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let url = try c.decodeIfPresent(String.self, forKey: .url) {
            do { try self.init(url: url) } catch {
                throw DecodingError.dataCorruptedError(forKey: .url, in: c, debugDescription: error.message)
            }
        } else {
            let driverName = try c.decodeIfPresent(String.self, forKey: .driver)
                ?? c.decodeIfPresent(String.self, forKey: .type)
                ?? c.decodeIfPresent(String.self, forKey: .database_type)
            guard let driverName else {
                throw DecodingError.keyNotFound(CodingKeys.driver, .init(codingPath: c.codingPath,
                    debugDescription: "connection_config needs \"driver\" (sqlite, postgresql or mysql) or \"url\""))
            }
            guard let dialect = Dialect(name: driverName) else {
                throw DecodingError.dataCorruptedError(forKey: .driver, in: c,
                    debugDescription: "unsupported driver '\(driverName.prefix(40))'; use sqlite, postgresql or mysql")
            }
            self.init(dialect: dialect, database: "")
        }
        if let v = try c.decodeIfPresent(String.self, forKey: .host) { host = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .port) {
            guard (1...65535).contains(v) else {
                throw DecodingError.dataCorruptedError(forKey: .port, in: c, debugDescription: "port must be between 1 and 65535")
            }
            port = v
        }
        if let v = try c.decodeIfPresent(String.self, forKey: .database)
            ?? c.decodeIfPresent(String.self, forKey: .path)
            ?? c.decodeIfPresent(String.self, forKey: .file) { database = v }
        if let v = try c.decodeIfPresent(String.self, forKey: .username) ?? c.decodeIfPresent(String.self, forKey: .user) { username = v }
        if let v = try c.decodeIfPresent(String.self, forKey: .password) { password = v }
        if let v = try c.decodeIfPresent(TLSConfiguration.self, forKey: .ssl_config) { tls = v }
        if let v = try c.decodeIfPresent(PoolConfiguration.self, forKey: .connection_pool) { pool = v }
        if let v = try c.decodeIfPresent(Bool.self, forKey: .read_only) { readOnly = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .connect_timeout) { connectTimeout = v }
        if let v = try c.decodeIfPresent(String.self, forKey: .application_name) { applicationName = v }
        if let v = try c.decodeIfPresent([String: String].self, forKey: .options) { options.merge(v) { _, new in new } }
        if dialect == .sqlite && database.isEmpty { database = ":memory:" }
        if dialect != .sqlite && database.isEmpty {
            throw DecodingError.keyNotFound(CodingKeys.database, .init(codingPath: c.codingPath,
                debugDescription: "connection_config needs \"database\""))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(redactedURL, forKey: .url)
        try c.encode(dialect.rawValue, forKey: .driver)
        try c.encodeIfPresent(host, forKey: .host)
        try c.encodeIfPresent(effectivePort, forKey: .port)
        try c.encode(database, forKey: .database)
        try c.encodeIfPresent(username, forKey: .username)
        if password != nil { try c.encode("***", forKey: .password) }
        try c.encode(tls, forKey: .ssl_config)
        try c.encode(pool, forKey: .connection_pool)
        try c.encode(readOnly, forKey: .read_only)
    }
}
