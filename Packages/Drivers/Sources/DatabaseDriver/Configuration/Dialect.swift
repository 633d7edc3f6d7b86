import Foundation

/// The three SQL dialects dbm speaks. The raw value is the name used on the wire and in URLs.
public enum Dialect: String, Sendable, Codable, CaseIterable, Hashable {
    case sqlite
    case postgresql
    case mysql

    /// Reads the names people use for each engine: `postgres`, `pg`, `mariadb`, `sqlite3`, with or without
    /// a SQLAlchemy driver suffix (`postgresql+psycopg2`).
    public init?(name: String) {
        let base = name.lowercased().split(separator: "+", maxSplits: 1).first.map(String.init) ?? ""
        switch base {
        case "sqlite", "sqlite3": self = .sqlite
        case "postgresql", "postgres", "pg", "psql", "pgsql": self = .postgresql
        case "mysql", "mariadb": self = .mysql
        default: return nil
        }
    }

    /// Quotes an identifier for this dialect, doubling the quote character inside it.
    ///
    /// Every identifier dbm generates goes through here. A NUL byte cannot be part of an identifier on any
    /// engine; `validateIdentifier` rejects it before SQL is built.
    public func quote(_ identifier: String) -> String {
        switch self {
        case .mysql: "`" + identifier.replacingOccurrences(of: "`", with: "``") + "`"
        case .sqlite, .postgresql: "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }

    /// Quotes a possibly schema-qualified name given as parts (`["public", "film"]` → `"public"."film"`).
    public func quote(qualified parts: [String]) -> String {
        parts.map(quote).joined(separator: ".")
    }

    /// The longest identifier the engine keeps (PostgreSQL truncates at 63 bytes, MySQL refuses past 64).
    public var maxIdentifierBytes: Int {
        switch self {
        case .postgresql: 63
        case .mysql: 64
        case .sqlite: 1_000_000
        }
    }

    /// Checks that `identifier` can be used as a name on this engine: not empty, no NUL byte, within the
    /// engine's length. Quoting handles every other character.
    public func validateIdentifier(_ identifier: String, role: String = "identifier") throws(DatabaseError) {
        if identifier.isEmpty {
            throw DatabaseError(.invalidValue, "\(role) must not be empty")
        }
        if identifier.utf8.contains(0) {
            throw DatabaseError(.invalidValue, "\(role) must not contain a NUL byte")
        }
        if identifier.utf8.count > maxIdentifierBytes {
            throw DatabaseError(.invalidValue,
                "\(role) is \(identifier.utf8.count) bytes long; \(rawValue) allows at most \(maxIdentifierBytes)")
        }
    }

    /// A SQL string literal for this dialect. Only for DDL where the engine accepts no parameter
    /// (`COMMENT ON`, `CREATE DATABASE ... ENCODING`); values in queries are always bound instead.
    public func stringLiteral(_ value: String) -> String {
        switch self {
        case .mysql:
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        case .sqlite, .postgresql:
            "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }
}

