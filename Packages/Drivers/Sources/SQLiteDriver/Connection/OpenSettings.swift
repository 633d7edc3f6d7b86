import CSQLite
import DatabaseDriver

/// How to open a SQLite file, read from a `ConnectionConfiguration`.
///
/// Options understood (URL query or `options`): `mode` (`ro`, `rw`, `rwc`), `busy_timeout` (milliseconds,
/// default 5000), `foreign_keys` (`on`/`off`, default on), `journal_mode` (`delete`, `truncate`,
/// `persist`, `memory`, `wal`, `off`). `connectTimeout` bounds the wait for a locked file while opening.
/// TLS, host, port and `applicationName` do not apply to a local file and are ignored.
struct OpenSettings: Sendable {
    /// The filename given to `sqlite3_open_v2`.
    var path: String
    var flags: Int32
    var busyTimeoutMilliseconds: Int32
    /// The busy timeout while the file is first read.
    var connectTimeoutMilliseconds: Int32
    var foreignKeys: Bool
    var journalMode: String?
    /// True when a missing file must not be created.
    var mustExist: Bool

    private static let journalModes: Set<String> = ["delete", "truncate", "persist", "memory", "wal", "off"]

    init(_ configuration: ConnectionConfiguration) throws(DatabaseError) {
        guard configuration.dialect == .sqlite else {
            throw SQLiteErrorMapping.driver(.invalidConfiguration,
                "the SQLite driver cannot open a \(configuration.dialect.rawValue) configuration")
        }
        path = configuration.isInMemory ? ":memory:" : configuration.database
        if path.utf8.contains(0) {
            throw SQLiteErrorMapping.driver(.invalidConfiguration, "the SQLite database path must not contain a NUL byte")
        }
        let mode = configuration.options["mode"]?.lowercased() ?? (configuration.readOnly ? "ro" : "rwc")
        switch mode {
        case "ro": flags = SQLITE_OPEN_READONLY
        case "rw": flags = configuration.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        case "rwc": flags = configuration.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        default:
            throw SQLiteErrorMapping.driver(.invalidConfiguration, "option mode must be ro, rw or rwc")
        }
        mustExist = flags & SQLITE_OPEN_CREATE == 0 && path != ":memory:"
        // One serial queue per connection: SQLite's own mutexes would only cost time.
        flags |= SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        if path.hasPrefix("file:") { flags |= SQLITE_OPEN_URI }

        busyTimeoutMilliseconds = try Self.milliseconds(configuration.options["busy_timeout"], default: 5000)
        connectTimeoutMilliseconds = configuration.connectTimeout.map { Int32(clamping: $0 * 1000) } ?? busyTimeoutMilliseconds

        switch configuration.options["foreign_keys"]?.lowercased() {
        case nil, "on", "true", "1", "yes": foreignKeys = true
        case "off", "false", "0", "no": foreignKeys = false
        default: throw SQLiteErrorMapping.driver(.invalidConfiguration, "option foreign_keys must be on or off")
        }

        journalMode = configuration.options["journal_mode"]?.lowercased()
        if let journalMode, !Self.journalModes.contains(journalMode) {
            throw SQLiteErrorMapping.driver(.invalidConfiguration,
                "option journal_mode must be one of \(Self.journalModes.sorted().joined(separator: ", "))")
        }
    }

    private static func milliseconds(_ text: String?, default value: Int32) throws(DatabaseError) -> Int32 {
        guard let text else { return value }
        guard let ms = Int32(text), ms >= 0 else {
            throw SQLiteErrorMapping.driver(.invalidConfiguration, "option busy_timeout must be a whole number of milliseconds")
        }
        return ms
    }
}
