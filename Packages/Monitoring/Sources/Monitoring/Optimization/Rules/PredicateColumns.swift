import Foundation

/// Finds the columns a condition compares with constants, which an index could serve: equality
/// (`=`, `IN`) first, then one range (`<`, `>`, `BETWEEN`, `LIKE 'prefix%'`).
///
/// Reads the condition as the engine prints it (PostgreSQL `Filter`, MariaDB `attached_condition`) or the
/// `WHERE` clause of the statement (SQLite). A lexical reading, not a parser: it only proposes
/// candidates, which hypothetical indexes or measurements then confirm.
enum PredicateColumns {
    enum Token: Equatable {
        case identifier(String)
        case word(String)
        case literal(String)
        case op(String)
        case punctuation(Character)
    }

    static func candidates(in condition: String, columns: Set<String>) -> (equality: [String], range: [String]) {
        let tokens = tokenize(condition)
        var equality: [String] = [], range: [String] = []
        for (i, token) in tokens.enumerated() {
            guard let name = identifierName(token), let column = columns.first(where: { $0.lowercased() == name.lowercased() }) else { continue }
            // `42 = column`: the column on the right of an equality with a constant.
            if i >= 2, tokens[i - 1] == .op("="), case .literal = tokens[i - 2] {
                if !equality.contains(column) { equality.append(column) }
                continue
            }
            var j = i + 1
            while j < tokens.count, tokens[j] == .punctuation(")") { j += 1 }
            guard j < tokens.count else { continue }
            switch tokens[j] {
            case .op("="), .word("IN"):
                if !equality.contains(column) { equality.append(column) }
            case .op("<"), .op(">"), .op("<="), .op(">="), .word("BETWEEN"):
                if !range.contains(column) { range.append(column) }
            case .word("LIKE"), .op("~~"):
                if j + 1 < tokens.count, case .literal(let pattern) = tokens[j + 1], !pattern.hasPrefix("%"), !pattern.hasPrefix("_") {
                    if !range.contains(column) { range.append(column) }
                }
            default:
                break
            }
        }
        return (equality, range.filter { !equality.contains($0) })
    }

    /// The part of a statement after its first top-level `WHERE`, up to `GROUP BY`/`ORDER BY`/`LIMIT`.
    static func whereClause(of sql: String) -> String? {
        let upper = sql.uppercased()
        guard let start = upper.range(of: "WHERE") else { return nil }
        var end = sql.endIndex
        for stop in [" GROUP BY", " ORDER BY", " LIMIT", " HAVING", " UNION"] {
            if let r = upper.range(of: stop, range: start.upperBound..<upper.endIndex), r.lowerBound < end { end = r.lowerBound }
        }
        return String(sql[start.upperBound..<end])
    }

    private static func identifierName(_ token: Token) -> String? {
        switch token {
        case .identifier(let s): s
        case .word(let w) where !keywords.contains(w): w
        default: nil
        }
    }

    private static let keywords: Set<String> = ["AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "BETWEEN", "TRUE", "FALSE", "ANY", "ALL", "TEXT", "INTEGER", "NUMERIC"]

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var chars = Array(text)[...]
        while let c = chars.first {
            if c == "'" {
                chars = chars.dropFirst()
                var literal = ""
                while let n = chars.first {
                    chars = chars.dropFirst()
                    if n == "'" { if chars.first == "'" { literal.append("'"); chars = chars.dropFirst(); continue }; break }
                    literal.append(n)
                }
                tokens.append(.literal(literal))
            } else if c == "\"" || c == "`" {
                chars = chars.dropFirst()
                var name = ""
                while let n = chars.first { chars = chars.dropFirst(); if n == c { break }; name.append(n) }
                // `db`.`t`.`col`: keep only the last part.
                if case .punctuation(".") = tokens.last { tokens.removeLast(); if case .identifier = tokens.last { tokens.removeLast() } else if case .word = tokens.last { tokens.removeLast() } }
                tokens.append(.identifier(name))
            } else if c.isLetter || c == "_" {
                var word = ""
                while let n = chars.first, n.isLetter || n.isNumber || n == "_" || n == "$" { word.append(n); chars = chars.dropFirst() }
                if case .op("::") = tokens.last { tokens.removeLast(); continue }  // a cast's type name
                if case .punctuation(".") = tokens.last { tokens.removeLast(); if case .identifier = tokens.last { tokens.removeLast() } else if case .word = tokens.last { tokens.removeLast() } }
                tokens.append(.word(keywords.contains(word.uppercased()) ? word.uppercased() : word))
            } else if c.isNumber {
                var number = ""
                while let n = chars.first, n.isNumber || n == "." { number.append(n); chars = chars.dropFirst() }
                tokens.append(.literal(number))
            } else if "=<>!~:".contains(c) {
                var op = ""
                while let n = chars.first, "=<>!~:".contains(n) { op.append(n); chars = chars.dropFirst() }
                tokens.append(.op(op))
            } else if c == "$" || c == "?" {
                // A placeholder counts as a constant.
                chars = chars.dropFirst()
                while let n = chars.first, n.isNumber { chars = chars.dropFirst() }
                tokens.append(.literal("?"))
            } else {
                if !c.isWhitespace { tokens.append(.punctuation(c)) }
                chars = chars.dropFirst()
            }
        }
        return tokens
    }
}
