import Foundation

extension ConnectionConfiguration {
    /// Parses a connection URL.
    ///
    /// Accepted forms:
    /// - `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`, `sqlite::memory:`, `sqlite:///:memory:`
    /// - `postgres://` or `postgresql://user:password@host:port/database?sslmode=require&connect_timeout=5`
    /// - `mysql://` or `mariadb://user:password@host:port/database`
    /// - a SQLAlchemy driver suffix (`postgresql+psycopg2://`, `mysql+pymysql://`) is accepted and ignored.
    ///
    /// User and password are percent-decoded. Known query options: `sslmode`, `sslrootcert`, `sslcert`,
    /// `sslkey`, `connect_timeout`, `application_name`, `read_only`, `pool_min`, `pool_max`,
    /// `pool_timeout`, `pool_idle_timeout`; others are kept in `options` and passed to the engine.
    ///
    /// - Throws: `DatabaseError` with code `.invalidConfiguration`; the message never repeats the password.
    public init(url: String) throws(DatabaseError) {
        guard let schemeEnd = url.firstIndex(of: ":") else {
            throw DatabaseError(.invalidConfiguration, "connection URL has no scheme (expected sqlite:, postgresql: or mysql:)")
        }
        let scheme = String(url[..<schemeEnd])
        guard let dialect = Dialect(name: scheme) else {
            throw DatabaseError(.invalidConfiguration, "unsupported database scheme '\(scheme.prefix(40))'; use sqlite, postgresql or mysql")
        }
        var rest = url[url.index(after: schemeEnd)...]

        if dialect == .sqlite {
            var query: Substring = ""
            if let q = rest.firstIndex(of: "?") {
                query = rest[rest.index(after: q)...]
                rest = rest[..<q]
            }
            let path: String
            if rest == ":memory:" || rest == "///:memory:" || rest == "//:memory:" || rest == "//" || rest == "///" {
                path = ":memory:"
            } else if rest.hasPrefix("///") {
                // sqlite:///rel.db -> rel.db ; sqlite:////abs.db -> /abs.db
                path = String(rest.dropFirst(3))
            } else if rest.hasPrefix("//") {
                throw DatabaseError(.invalidConfiguration, "SQLite URLs have no host: use sqlite:///relative.db or sqlite:////absolute.db")
            } else {
                path = String(rest)
            }
            guard let decodedPath = Self.percentDecoded(path[...]) else {
                throw DatabaseError(.invalidConfiguration, "SQLite path is not valid percent-encoding")
            }
            self.init(dialect: .sqlite, database: decodedPath)
            try applyQuery(query)
            return
        }

        guard rest.hasPrefix("//") else {
            throw DatabaseError(.invalidConfiguration, "\(dialect.rawValue) URL must start with \(scheme)://")
        }
        rest = rest.dropFirst(2)
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var database: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            database = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var user: String?
        var password: String?
        // The last '@' separates credentials: an unencoded '@' in a password is tolerated.
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = try Self.decode(credentials[..<colon], what: "user name")
                password = try Self.decode(credentials[credentials.index(after: colon)...], what: "password")
            } else {
                user = try Self.decode(credentials, what: "user name")
            }
        }
        var host: String?
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw DatabaseError(.invalidConfiguration, "unterminated IPv6 address in URL")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { port = try Self.port(after.dropFirst()) }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            port = try Self.port(rest[rest.index(after: colon)...])
        } else if !rest.isEmpty {
            host = String(rest)
        }
        if host?.isEmpty == true { host = nil }
        if let h = host { host = try Self.decode(h[...], what: "host") }
        self.init(dialect: dialect, host: host, port: port,
                  database: try Self.decode(database, what: "database name"),
                  username: user.flatMap { $0.isEmpty ? nil : $0 }, password: password)
        try applyQuery(query)
    }

    private static func decode(_ s: Substring, what: String) throws(DatabaseError) -> String {
        guard let decoded = percentDecoded(s) else {
            throw DatabaseError(.invalidConfiguration, "the \(what) in the connection URL is not valid percent-encoding")
        }
        return decoded
    }

    /// `s` with `%XX` escapes decoded (`+` stays `+`), or `nil` for a malformed escape or bytes that are not
    /// UTF-8, as Foundation's `removingPercentEncoding` (without its cost on every call).
    static func percentDecoded(_ s: Substring) -> String? {
        let utf8 = s.utf8
        guard utf8.contains(UInt8(ascii: "%")) else { return String(s) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let byte = utf8[i]
            i = utf8.index(after: i)
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard i != utf8.endIndex, let high = hexValue(utf8[i]) else { return nil }
            i = utf8.index(after: i)
            guard i != utf8.endIndex, let low = hexValue(utf8[i]) else { return nil }
            i = utf8.index(after: i)
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func port(_ s: Substring) throws(DatabaseError) -> Int? {
        if s.isEmpty { return nil }
        guard let p = Int(s), (1...65535).contains(p) else {
            throw DatabaseError(.invalidConfiguration, "port '\(s.prefix(12))' is not a number between 1 and 65535")
        }
        return p
    }

    private mutating func applyQuery(_ query: Substring) throws(DatabaseError) {
        guard !query.isEmpty else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], what: "option name")
            let value = parts.count > 1 ? try Self.decode(parts[1], what: "option '\(key)'") : ""
            try setOption(key, value)
        }
    }

    /// Applies one named option, as from a URL query.
    public mutating func setOption(_ key: String, _ value: String) throws(DatabaseError) {
        func number(_ v: String) throws(DatabaseError) -> Double {
            guard let d = Double(v), d >= 0 else {
                throw DatabaseError(.invalidConfiguration, "option \(key) must be a non-negative number")
            }
            return d
        }
        switch key {
        case "sslmode", "ssl-mode", "ssl_mode":
            guard let mode = TLSConfiguration.Mode(rawValue: value.lowercased().replacingOccurrences(of: "_", with: "-")) else {
                throw DatabaseError(.invalidConfiguration,
                    "sslmode must be one of \(TLSConfiguration.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            tls.mode = mode
        case "sslrootcert", "ssl_ca", "ssl-ca": tls.rootCertificatePath = value
        case "sslcert", "ssl_cert", "ssl-cert": tls.certificatePath = value
        case "sslkey", "ssl_key", "ssl-key": tls.keyPath = value
        case "connect_timeout", "connect-timeout": connectTimeout = Int(try number(value))
        case "application_name": applicationName = value
        case "read_only", "readonly": readOnly = ["1", "true", "yes", "on"].contains(value.lowercased())
        case "pool_min": pool.minConnections = Int(try number(value))
        case "pool_max": pool.maxConnections = max(1, Int(try number(value)))
        case "pool_timeout": pool.acquireTimeout = try number(value)
        case "pool_idle_timeout": pool.idleTimeout = try number(value)
        default: options[key] = value
        }
    }

    /// The URL with the password replaced by `***`: safe to log, return and store.
    public var redactedURL: String { url(includingPassword: false) }

    /// The URL that opens this configuration again. Contains the password: do not log it.
    public var url: String { url(includingPassword: true) }

    private func url(includingPassword: Bool) -> String {
        var query: [(String, String)] = []
        if let m = tls.mode { query.append(("sslmode", m.rawValue)) }
        if let v = tls.rootCertificatePath { query.append(("sslrootcert", v)) }
        if let v = tls.certificatePath { query.append(("sslcert", v)) }
        if let v = tls.keyPath { query.append(("sslkey", v)) }
        if let v = connectTimeout { query.append(("connect_timeout", String(v))) }
        if let v = applicationName { query.append(("application_name", v)) }
        if readOnly { query.append(("read_only", "true")) }
        for (k, v) in options.sorted(by: { $0.key < $1.key }) { query.append((k, v)) }
        let queryString = query.isEmpty ? "" : "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")

        if dialect == .sqlite {
            if isInMemory { return "sqlite::memory:" + queryString }
            return "sqlite:///" + (database.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? database) + queryString
        }
        var out = dialect.rawValue + "://"
        if let username {
            out += Self.encode(username)
            if password != nil { out += ":" + (includingPassword ? Self.encode(password!) : "***") }
            out += "@"
        }
        if let host { out += host.contains(":") ? "[\(host)]" : Self.encode(host) }
        if let port { out += ":\(port)" }
        out += "/" + Self.encode(database)
        return out + queryString
    }

    private static let unreserved: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()

    private static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }
}

extension ConnectionConfiguration: CustomStringConvertible {
    /// The redacted URL.
    public var description: String { redactedURL }
}
