import CMariaDB

extension MySQLHandle {
    /// Opens a connection described by `configuration`.
    ///
    /// The session is set up for lossless values: `utf8mb4` on the wire and `time_zone = '+00:00'`, so a
    /// `TIMESTAMP` reads and writes as UTC. With `readOnly`, the session's transactions are
    /// `READ ONLY`. `LOAD DATA LOCAL` is disabled unless `localInfileStreams` is set, and even then the
    /// client never reads a file: the server's request is answered only from the stream that
    /// `MySQLConnection.loadDataLocal` is feeding at that moment, and refused otherwise. The host `localhost`
    /// (or no host) means the Unix socket, `options["socket"]` when set.
    ///
    /// - Parameters:
    ///   - selectDatabase: false to connect without a default database (administration).
    ///   - localInfileStreams: true to advertise `CLIENT_LOCAL_FILES` and install the stream handler.
    /// - Throws: `.connectionRefused`, `.authenticationFailed`, `.unknownDatabase`, or another mapped code.
    static func connect(_ configuration: ConnectionConfiguration, selectDatabase: Bool,
                        localInfileStreams: Bool = false) throws(DatabaseError) -> MySQLHandle {
        let handle = try MySQLHandle()
        try handle.apply(configuration, localInfileStreams: localInfileStreams)
        let host = configuration.host ?? "localhost"
        let database = selectDatabase && !configuration.database.isEmpty ? configuration.database : nil
        let port = UInt32(configuration.effectivePort ?? 3306)
        let socket = configuration.options["socket"]
        let connected = withOptionalCString(configuration.username) { user in
            withOptionalCString(configuration.password) { password in
                withOptionalCString(database) { database in
                    withOptionalCString(socket) { socket in
                        mysql_real_connect(handle.raw, host, user, password, database, port, socket, 0)
                    }
                }
            }
        }
        guard connected != nil else { throw handle.lastError(sql: nil) }
        // libmariadb 3.3 fails on a server without TLS only when verifying; `require` is checked here.
        if configuration.tls.mode == .require, mysql_get_ssl_cipher(handle.raw) == nil {
            throw DatabaseError.mysql(errno: 2026, message: "TLS is required (sslmode=require), but the server does not support it", sql: nil)
        }
        return handle
    }

    /// Sets charset, session initialization, timeout, program name and TLS before connecting.
    private func apply(_ configuration: ConnectionConfiguration, localInfileStreams: Bool) throws(DatabaseError) {
        try option(MYSQL_SET_CHARSET_NAME, string: "utf8mb4")
        try option(MYSQL_INIT_COMMAND, string: "SET time_zone = '+00:00'")
        if configuration.readOnly {
            try option(MYSQL_INIT_COMMAND, string: "SET SESSION TRANSACTION READ ONLY")
        }
        var localInfile: UInt32 = localInfileStreams ? 1 : 0
        try option(MYSQL_OPT_LOCAL_INFILE, &localInfile)
        if localInfileStreams { localInfileStream.install(on: raw) }
        if let timeout = configuration.connectTimeout, timeout > 0 {
            var seconds = UInt32(clamping: timeout)
            try option(MYSQL_OPT_CONNECT_TIMEOUT, &seconds)
        }
        if let name = configuration.applicationName, !name.isEmpty {
            if dbm_mysql_add_connect_attribute(raw, "program_name", name) != 0 {
                throw .mysqlDriver(.invalidConfiguration, "the MariaDB client library refused the application name")
            }
        }
        try applyTLS(configuration.tls)
    }

    /// Maps libpq-style TLS modes onto libmariadb's options.
    ///
    /// `disable` sends no TLS options; `allow`/`prefer` pass certificate paths but do not insist;
    /// `require` sets `MYSQL_OPT_SSL_ENFORCE` (and `connect` refuses a session that ended up without TLS);
    /// `verify-ca` and `verify-full` also set `MYSQL_OPT_SSL_VERIFY_SERVER_CERT`, which makes libmariadb
    /// refuse a server without TLS before authenticating (it always checks the host name when verifying).
    private func applyTLS(_ tls: TLSConfiguration) throws(DatabaseError) {
        if tls.mode == .disable { return }
        if let path = tls.rootCertificatePath { try option(MYSQL_OPT_SSL_CA, string: path) }
        if let path = tls.certificatePath { try option(MYSQL_OPT_SSL_CERT, string: path) }
        if let path = tls.keyPath { try option(MYSQL_OPT_SSL_KEY, string: path) }
        switch tls.mode {
        case .require, .verifyCA, .verifyFull:
            var on: my_bool = 1
            try option(MYSQL_OPT_SSL_ENFORCE, &on)
            if tls.mode != .require { try option(MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on) }
        case .disable, .allow, .prefer, nil:
            break
        }
    }

    private func option(_ option: mysql_option, string: String) throws(DatabaseError) {
        if mysql_options(raw, option, string) != 0 { throw optionError(option) }
    }

    private func option(_ option: mysql_option, _ value: inout UInt32) throws(DatabaseError) {
        if mysql_options(raw, option, &value) != 0 { throw optionError(option) }
    }

    private func option(_ option: mysql_option, _ value: inout my_bool) throws(DatabaseError) {
        if mysql_options(raw, option, &value) != 0 { throw optionError(option) }
    }

    private func optionError(_ option: mysql_option) -> DatabaseError {
        .mysqlDriver(.invalidConfiguration, "the MariaDB client library refused connection option \(option.rawValue)")
    }
}

/// Calls `body` with a C string for `value`, or with `nil` when there is none.
private func withOptionalCString<R>(_ value: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let value else { return body(nil) }
    return value.withCString { body($0) }
}
