import Foundation

/// Everything needed to open a connection: engine, address, credentials, TLS, pool limits.
///
/// Built from a URL (`ConnectionConfiguration(url:)`) or decoded from the spec's `connection_config`
/// object (`host`, `port`, `database`, `username`, `password`, `driver`, `ssl_config`, `connection_pool`).
///
/// - Important: `password` is never part of `description`, `redactedURL` or the encoded form produced by
///   `redacted()`; log and return those, never the configuration itself.
public struct ConnectionConfiguration: Sendable, Hashable {
    public var dialect: Dialect
    public var host: String?
    public var port: Int?
    /// The database name; for SQLite the file path (relative to the working directory, or absolute), or
    /// `:memory:`.
    public var database: String
    public var username: String?
    public var password: String?
    public var tls: TLSConfiguration
    public var pool: PoolConfiguration
    /// Seconds to wait for the server when connecting; `nil` for the library's default.
    public var connectTimeout: Int?
    /// Reported to the server (`application_name` on PostgreSQL, `program_name` on MariaDB).
    public var applicationName: String?
    /// When true, statements that write are refused before they run.
    public var readOnly: Bool
    /// Other query options from the URL, passed to the engine where it understands them.
    public var options: [String: String]

    public init(
        dialect: Dialect, host: String? = nil, port: Int? = nil, database: String,
        username: String? = nil, password: String? = nil, tls: TLSConfiguration = .init(),
        pool: PoolConfiguration = .init(), connectTimeout: Int? = nil, applicationName: String? = nil,
        readOnly: Bool = false, options: [String: String] = [:]
    ) {
        self.dialect = dialect
        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
        self.tls = tls
        self.pool = pool
        self.connectTimeout = connectTimeout
        self.applicationName = applicationName
        self.readOnly = readOnly
        self.options = options
    }

    /// The port to use: the configured one or the engine's default.
    public var effectivePort: Int? {
        switch dialect {
        case .sqlite: nil
        case .postgresql: port ?? 5432
        case .mysql: port ?? 3306
        }
    }

    /// True when this is an in-memory SQLite database.
    public var isInMemory: Bool { dialect == .sqlite && (database == ":memory:" || database.isEmpty) }

    /// The configuration with a different database (same server and credentials).
    public func with(database: String) -> ConnectionConfiguration {
        var copy = self
        copy.database = database
        return copy
    }
}

/// TLS settings. `mode` follows libpq's `sslmode` names, which MariaDB's options are mapped onto.
public struct TLSConfiguration: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var mode: Mode?
    /// CA certificate file that signs the server's certificate.
    public var rootCertificatePath: String?
    public var certificatePath: String?
    public var keyPath: String?

    public init(mode: Mode? = nil, rootCertificatePath: String? = nil, certificatePath: String? = nil, keyPath: String? = nil) {
        self.mode = mode
        self.rootCertificatePath = rootCertificatePath
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// The spec's `ssl_config` keys.
    enum CodingKeys: String, CodingKey {
        case mode, enabled
        case rootCertificatePath = "ca_path"
        case certificatePath = "cert_path"
        case keyPath = "key_path"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode)
        rootCertificatePath = try c.decodeIfPresent(String.self, forKey: .rootCertificatePath)
        certificatePath = try c.decodeIfPresent(String.self, forKey: .certificatePath)
        keyPath = try c.decodeIfPresent(String.self, forKey: .keyPath)
        if mode == nil, let enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) {
            mode = enabled ? (rootCertificatePath != nil ? .verifyFull : .require) : .disable
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(mode, forKey: .mode)
        try c.encode(mode.map { $0 != .disable } ?? false, forKey: .enabled)
        try c.encodeIfPresent(rootCertificatePath, forKey: .rootCertificatePath)
        try c.encodeIfPresent(certificatePath, forKey: .certificatePath)
        try c.encodeIfPresent(keyPath, forKey: .keyPath)
    }
}

/// Connection pool limits (the spec's `connection_pool`). Times are in seconds.
public struct PoolConfiguration: Sendable, Hashable, Codable {
    public var minConnections: Int
    public var maxConnections: Int
    /// How long `acquire` waits for a free connection before failing with `.poolTimeout`.
    public var acquireTimeout: Double
    /// How long an unused connection above `minConnections` is kept before it is closed.
    public var idleTimeout: Double

    public init(minConnections: Int = 0, maxConnections: Int = 8, acquireTimeout: Double = 30, idleTimeout: Double = 300) {
        self.minConnections = minConnections
        self.maxConnections = maxConnections
        self.acquireTimeout = acquireTimeout
        self.idleTimeout = idleTimeout
    }

    enum CodingKeys: String, CodingKey {
        case minConnections = "min_connections"
        case maxConnections = "max_connections"
        case acquireTimeout = "connection_timeout"
        case idleTimeout = "idle_timeout"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = PoolConfiguration()
        minConnections = try c.decodeIfPresent(Int.self, forKey: .minConnections) ?? defaults.minConnections
        maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections) ?? defaults.maxConnections
        acquireTimeout = try c.decodeIfPresent(Double.self, forKey: .acquireTimeout) ?? defaults.acquireTimeout
        idleTimeout = try c.decodeIfPresent(Double.self, forKey: .idleTimeout) ?? defaults.idleTimeout
        guard minConnections >= 0, maxConnections >= 1, minConnections <= maxConnections else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath,
                debugDescription: "connection_pool needs 0 <= min_connections <= max_connections and max_connections >= 1"))
        }
    }
}
