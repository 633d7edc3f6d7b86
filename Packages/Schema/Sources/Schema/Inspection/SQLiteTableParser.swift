import Foundation

/// Reads the parts of SQLite `CREATE TABLE` and `CREATE INDEX` text that its pragmas do not report:
/// constraint names, check expressions, unique constraints, `AUTOINCREMENT`, index expressions and
/// partial-index predicates.
struct SQLiteTableParser {
    struct Parsed {
        var primaryKeyName: String?
        var autoIncrementColumn: String?
        var checks: [CheckConstraint] = []
        var uniques: [UniqueConstraint] = []
        /// Foreign key names by (columns, referenced table).
        var foreignKeyNames: [[String]: String] = [:]
        var foreignKeyNamesByTarget: [String: [String]] = [:]
        /// Columns whose declared type is an inline `enum`-style CHECK (kept as checks).
        var withoutRowID = false
    }

    enum Token: Equatable {
        case word(String)          // bare word or quoted identifier, unquoted
        case quotedIdentifier(String)
        case string(String)        // single-quoted literal, raw with quotes
        case group(String)         // text inside balanced parentheses
        case symbol(Character)
    }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var i = text.startIndex
        while i < text.endIndex {
            let ch = text[i]
            if ch.isWhitespace { i = text.index(after: i); continue }
            if ch == "-", text.index(after: i) < text.endIndex, text[text.index(after: i)] == "-" {
                while i < text.endIndex, text[i] != "\n" { i = text.index(after: i) }
                continue
            }
            if ch == "/", text.index(after: i) < text.endIndex, text[text.index(after: i)] == "*" {
                if let end = text.range(of: "*/", range: i..<text.endIndex) { i = end.upperBound } else { i = text.endIndex }
                continue
            }
            if ch == "(" {
                guard let close = SQLText.matchingParenthesis(in: text, from: i) else { tokens.append(.group(String(text[text.index(after: i)...]))); break }
                tokens.append(.group(String(text[text.index(after: i)..<close])))
                i = text.index(after: close)
                continue
            }
            if ch == "\"" || ch == "`" || ch == "[" {
                let closeChar: Character = ch == "[" ? "]" : ch
                var j = text.index(after: i)
                var value = ""
                while j < text.endIndex {
                    if text[j] == closeChar {
                        let n = text.index(after: j)
                        if closeChar != "]", n < text.endIndex, text[n] == closeChar { value.append(closeChar); j = text.index(after: n); continue }
                        break
                    }
                    value.append(text[j])
                    j = text.index(after: j)
                }
                tokens.append(.quotedIdentifier(value))
                i = j < text.endIndex ? text.index(after: j) : j
                continue
            }
            if ch == "'" {
                var j = text.index(after: i)
                while j < text.endIndex {
                    if text[j] == "'" {
                        let n = text.index(after: j)
                        if n < text.endIndex, text[n] == "'" { j = text.index(after: n); continue }
                        break
                    }
                    j = text.index(after: j)
                }
                let end = j < text.endIndex ? text.index(after: j) : j
                tokens.append(.string(String(text[i..<end])))
                i = end
                continue
            }
            if ch.isLetter || ch.isNumber || ch == "_" || ch == "$" {
                var j = i
                while j < text.endIndex, text[j].isLetter || text[j].isNumber || text[j] == "_" || text[j] == "$" || text[j] == "." { j = text.index(after: j) }
                tokens.append(.word(String(text[i..<j])))
                i = j
                continue
            }
            tokens.append(.symbol(ch))
            i = text.index(after: i)
        }
        return tokens
    }

    static func name(_ token: Token?) -> String? {
        switch token {
        case .word(let w)?: w
        case .quotedIdentifier(let q)?: q
        case .string(let s)?: SQLText.leadingStringLiteral(s)?.value
        default: nil
        }
    }

    static func keyword(_ token: Token?) -> String? {
        if case .word(let w)? = token { return w.uppercased() }
        return nil
    }

    static func identifiers(in group: String) -> [String] {
        SQLText.splitTopLevel(group).compactMap { part in name(tokenize(part).first) }
    }

    /// Parses a `CREATE TABLE` statement.
    static func parseTable(_ sql: String) -> Parsed {
        var parsed = Parsed()
        let tokens = tokenize(sql)
        guard let bodyIndex = tokens.firstIndex(where: { if case .group = $0 { return true } else { return false } }),
              case .group(let body) = tokens[bodyIndex] else { return parsed }
        parsed.withoutRowID = tokens[(bodyIndex + 1)...].contains(.word("ROWID")) || tokens[(bodyIndex + 1)...].contains(.word("rowid"))
        for item in SQLText.splitTopLevel(body) {
            let t = tokenize(item)
            var i = 0
            var constraintName: String? = nil
            if keyword(t.first) == "CONSTRAINT" { constraintName = name(t.count > 1 ? t[1] : nil); i = 2 }
            switch keyword(i < t.count ? t[i] : nil) {
            case "PRIMARY":
                parsed.primaryKeyName = constraintName
            case "UNIQUE":
                if let g = t.dropFirst(i).first(where: { if case .group = $0 { true } else { false } }), case .group(let cols) = g {
                    parsed.uniques.append(UniqueConstraint(name: constraintName, columns: identifiers(in: cols)))
                }
            case "CHECK":
                if i + 1 < t.count, case .group(let expression) = t[i + 1] {
                    parsed.checks.append(CheckConstraint(name: constraintName, expression: expression.trimmingCharacters(in: .whitespacesAndNewlines)))
                }
            case "FOREIGN":
                if i + 2 < t.count, case .group(let cols) = t[i + 2], let refIndex = t.firstIndex(of: .word("REFERENCES")) ?? t.firstIndex(of: .word("references")),
                   let target = name(refIndex + 1 < t.count ? t[refIndex + 1] : nil), let constraintName {
                    parsed.foreignKeyNames[[target] + identifiers(in: cols)] = constraintName
                }
            default:
                parseColumn(t, into: &parsed)
            }
        }
        return parsed
    }

    /// Column-level constraints: named or unnamed CHECK, UNIQUE, PRIMARY KEY ... AUTOINCREMENT, REFERENCES.
    private static func parseColumn(_ t: [Token], into parsed: inout Parsed) {
        guard let column = name(t.first) else { return }
        var i = 1
        var constraintName: String? = nil
        while i < t.count {
            switch keyword(t[i]) {
            case "CONSTRAINT":
                constraintName = name(i + 1 < t.count ? t[i + 1] : nil)
                i += 2
                continue
            case "PRIMARY":
                parsed.primaryKeyName = constraintName
            case "AUTOINCREMENT":
                parsed.autoIncrementColumn = column
            case "UNIQUE":
                parsed.uniques.append(UniqueConstraint(name: constraintName, columns: [column]))
            case "CHECK":
                if i + 1 < t.count, case .group(let expression) = t[i + 1] {
                    parsed.checks.append(CheckConstraint(name: constraintName, expression: expression.trimmingCharacters(in: .whitespacesAndNewlines)))
                    i += 1
                }
            case "REFERENCES":
                if let target = name(i + 1 < t.count ? t[i + 1] : nil), let constraintName {
                    parsed.foreignKeyNames[[target, column]] = constraintName
                }
            default:
                // DEFAULT (expr) and other groups are skipped; a new CONSTRAINT name applies to the next clause only.
                if case .group = t[i] { i += 1; continue }
                i += 1
                continue
            }
            constraintName = nil
            i += 1
        }
    }

    /// The entries and predicate of a `CREATE INDEX`: columns by name, expressions in parentheses.
    static func parseIndex(_ sql: String) -> (columns: [String], predicate: String?, ordered: Bool) {
        let tokens = tokenize(sql)
        guard let groupIndex = tokens.firstIndex(where: { if case .group = $0 { true } else { false } }),
              case .group(let body) = tokens[groupIndex] else { return ([], nil, false) }
        var ordered = false
        let columns = SQLText.splitTopLevel(body).map { entry -> String in
            var t = tokenize(entry)
            if let last = keyword(t.last), last == "ASC" || last == "DESC" { ordered = ordered || last == "DESC"; t.removeLast() }
            if t.count == 1, let n = name(t.first) { return n }
            var text = entry.trimmingCharacters(in: .whitespaces)
            for suffix in [" ASC", " DESC", " asc", " desc"] where text.hasSuffix(suffix) { text = String(text.dropLast(suffix.count)) }
            return text.hasPrefix("(") && SQLText.matchingParenthesis(in: text, from: text.startIndex) == text.index(before: text.endIndex) ? text : "(\(text))"
        }
        var predicate: String? = nil
        if let range = sql.range(of: #"\)\s*WHERE\s"#, options: [.regularExpression, .caseInsensitive, .backwards]) {
            let after = sql[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
            predicate = after.trimmingTrailingSemicolons()
        }
        return (columns, predicate, ordered)
    }
}
