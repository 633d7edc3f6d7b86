import Foundation

/// What running a statement would do, decided from its leading keyword.
enum StatementKind: String, Sendable, Codable {
    /// Reads only (`SELECT`, `WITH` without data-modifying parts, `VALUES`, `TABLE`).
    case read
    /// Changes rows (`INSERT`, `UPDATE`, `DELETE`, `MERGE`, `REPLACE`, `SELECT ... INTO`): run only inside a
    /// transaction that is rolled back.
    case write
    /// Anything else (DDL, session commands): never run by monitoring.
    case other

    init(_ sql: String) {
        let words = StatementKind.words(sql)
        guard let first = words.first else { self = .other; return }
        switch first {
        case "SELECT", "WITH", "VALUES", "TABLE":
            let writes: Set<String> = ["INSERT", "UPDATE", "DELETE", "MERGE", "INTO"]
            self = words.contains(where: writes.contains) ? .write : .read
        case "INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE":
            self = .write
        default:
            self = .other
        }
    }

    /// The statement's upper-cased words outside comments and quoted text.
    static func words(_ sql: String) -> [String] {
        var out: [String] = []
        var current = ""
        var chars = Array(sql.unicodeScalars)[...]
        func flush() { if !current.isEmpty { out.append(current.uppercased()); current = "" } }
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "-" && chars.first == "-" {
                flush(); while let n = chars.first, n != "\n" { chars = chars.dropFirst() }
            } else if c == "/" && chars.first == "*" {
                flush(); chars = chars.dropFirst()
                while !chars.isEmpty && !(chars.first == "*" && chars.dropFirst().first == "/") { chars = chars.dropFirst() }
                chars = chars.dropFirst(2)
            } else if c == "'" || c == "\"" || c == "`" {
                flush(); while let n = chars.first { chars = chars.dropFirst(); if n == c { break } }
            } else if CharacterSet.alphanumerics.contains(c) || c == "_" {
                current.unicodeScalars.append(c)
            } else {
                flush()
            }
        }
        flush()
        return out
    }
}
