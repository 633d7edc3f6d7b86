import CLibPQ
import Foundation

/// The keyword/value pairs handed to `PQconnectdbParams`, built from a `ConnectionConfiguration`.
///
/// Values travel as separate strings, never as one concatenated conninfo string, so a password with
/// spaces or quotes needs no escaping, and the database name is not expanded as a conninfo string.
struct ConnectionParameters {
    private(set) var pairs: [(keyword: String, value: String)] = []

    /// Session settings that make text output stable and exact: ISO dates, `postgres` intervals, UTC,
    /// shortest-exact floats, hex `bytea`.
    static let sessionSettings = [
        "DateStyle=ISO", "IntervalStyle=postgres", "TimeZone=UTC", "extra_float_digits=3", "bytea_output=hex",
    ]

    /// The keywords this libpq understands (`PQconndefaults`); options outside it are ignored.
    static let knownKeywords: Set<String> = {
        guard let defaults = PQconndefaults() else { return [] }
        defer { PQconninfoFree(defaults) }
        var keywords = Set<String>()
        var option = defaults
        while let keyword = option.pointee.keyword {
            keywords.insert(String(cString: keyword))
            option += 1
        }
        return keywords
    }()

    init(_ configuration: ConnectionConfiguration) {
        func add(_ keyword: String, _ value: String?) {
            guard let value else { return }
            pairs.append((keyword, value))
        }
        add("host", configuration.host)
        add("port", configuration.port.map(String.init))
        add("dbname", configuration.database.isEmpty ? "postgres" : configuration.database)
        add("user", configuration.username)
        add("password", configuration.password)
        add("sslmode", configuration.tls.mode?.rawValue)
        add("sslrootcert", configuration.tls.rootCertificatePath)
        add("sslcert", configuration.tls.certificatePath)
        add("sslkey", configuration.tls.keyPath)
        add("connect_timeout", configuration.connectTimeout.map(String.init))
        add("application_name", configuration.applicationName ?? "dbm")
        add("client_encoding", "UTF8")

        var settings = Self.sessionSettings
        if configuration.readOnly { settings.append("default_transaction_read_only=on") }
        var serverOptions = settings.map { "-c " + $0 }.joined(separator: " ")
        if let extra = configuration.options["options"], !extra.isEmpty { serverOptions += " " + extra }
        add("options", serverOptions)

        let taken = Set(pairs.map(\.keyword))
        for (keyword, value) in configuration.options.sorted(by: { $0.key < $1.key })
        where !taken.contains(keyword) && Self.knownKeywords.contains(keyword) {
            add(keyword, value)
        }
    }

    /// Calls `body` with NUL-terminated keyword and value arrays, each ending in a null pointer.
    func withCArrays<R>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R
    ) -> R {
        var storage = [UInt8]()
        var keywordOffsets = [Int]()
        var valueOffsets = [Int]()
        for (keyword, value) in pairs {
            keywordOffsets.append(storage.count)
            storage.append(contentsOf: keyword.utf8)
            storage.append(0)
            valueOffsets.append(storage.count)
            storage.append(contentsOf: value.utf8.prefix { $0 != 0 })
            storage.append(0)
        }
        return storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let keywords: [UnsafePointer<CChar>?] = keywordOffsets.map { base + $0 } + [nil]
            let values: [UnsafePointer<CChar>?] = valueOffsets.map { base + $0 } + [nil]
            return keywords.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in body(k.baseAddress!, v.baseAddress!) }
            }
        }
    }
}
