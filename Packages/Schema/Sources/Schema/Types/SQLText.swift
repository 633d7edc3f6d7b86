import Foundation

/// Small lexical helpers over SQL text: literals, numbers, balanced parentheses, and a comparison key for
/// expressions that engines reformat.
enum SQLText {
    /// The index of the parenthesis closing the one at `start`, skipping quoted text; nil when unbalanced.
    static func matchingParenthesis(in text: String, from start: String.Index) -> String.Index? {
        var depth = 0
        var i = start
        var quote: Character? = nil
        while i < text.endIndex {
            let ch = text[i]
            if let q = quote {
                if ch == q {
                    let next = text.index(after: i)
                    if next < text.endIndex, text[next] == q { i = text.index(after: next); continue }
                    quote = nil
                }
            } else if ch == "'" || ch == "\"" || ch == "`" {
                quote = ch
            } else if ch == "(" {
                depth += 1
            } else if ch == ")" {
                depth -= 1
                if depth == 0 { return i }
            }
            i = text.index(after: i)
        }
        return nil
    }

    /// A single-quoted literal at the start of `text` (with `''` and, for MySQL, `\'` escapes): its value
    /// and the index after the closing quote.
    static func leadingStringLiteral(_ text: String) -> (value: String, end: String.Index)? {
        var i = text.startIndex
        // PostgreSQL E'' and N'' prefixes.
        if i < text.endIndex, "eEnN".contains(text[i]), text.index(after: i) < text.endIndex, text[text.index(after: i)] == "'" {
            i = text.index(after: i)
        }
        guard i < text.endIndex, text[i] == "'" else { return nil }
        var value = ""
        i = text.index(after: i)
        while i < text.endIndex {
            let ch = text[i]
            if ch == "\\" {
                let next = text.index(after: i)
                guard next < text.endIndex else { return nil }
                value.append(text[next])
                i = text.index(after: next)
                continue
            }
            if ch == "'" {
                let next = text.index(after: i)
                if next < text.endIndex, text[next] == "'" {
                    value.append("'")
                    i = text.index(after: next)
                    continue
                }
                return (value, next)
            }
            value.append(ch)
            i = text.index(after: i)
        }
        return nil
    }

    /// The end of a signed decimal number at the start of `text`, if it starts with one.
    static func numberPrefixEnd(_ text: String) -> String.Index? {
        var i = text.startIndex
        if i < text.endIndex, text[i] == "-" || text[i] == "+" { i = text.index(after: i) }
        let digitsStart = i
        var sawDigit = false, sawDot = false, sawExp = false
        while i < text.endIndex {
            let ch = text[i]
            if ch.isASCII && ch.isNumber { sawDigit = true }
            else if ch == "." && !sawDot && !sawExp { sawDot = true }
            else if (ch == "e" || ch == "E") && sawDigit && !sawExp {
                sawExp = true
                let next = text.index(after: i)
                if next < text.endIndex, text[next] == "-" || text[next] == "+" { i = next }
            } else { break }
            i = text.index(after: i)
        }
        guard sawDigit, i > digitsStart else { return nil }
        if i < text.endIndex, text[i].isLetter || text[i] == "_" { return nil }
        return i
    }

    /// A number without insignificant zeros, so `0.00` (MariaDB's spelling of a decimal default) and `0`
    /// compare equal.
    static func numberKey(_ text: String) -> String {
        var t = canonicalNumber(text)
        guard t.contains("."), !t.lowercased().contains("e") else { return t }
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t == "-0" ? "0" : t
    }

    /// `+5` → `5`; otherwise the number as written.
    static func canonicalNumber(_ text: String) -> String {
        text.hasPrefix("+") ? String(text.dropFirst()) : text
    }

    /// True for a PostgreSQL cast suffix such as `::character varying` or `::mpaa_rating[]`.
    static func isCastSuffix(_ text: String) -> Bool {
        guard text.hasPrefix("::") else { return false }
        let rest = text.dropFirst(2)
        return !rest.isEmpty && rest.allSatisfy { $0.isLetter || $0.isNumber || " _.[]\"(),".contains($0) }
    }

    /// True for a single word made of letters, digits and underscores, not starting with a digit.
    static func isBareWord(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Words that are SQL rather than string values when they appear alone as a default.
    static let sqlKeywords: Set<String> = [
        "NULL", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP",
        "LOCALTIME", "CURRENT_USER", "SESSION_USER", "USER", "DEFAULT",
    ]

    /// A key under which two spellings of the same expression compare equal: engines re-print checks,
    /// index expressions, predicates and views with their own parentheses, casts, quoting and spacing.
    /// Lower-cases outside literals; drops whitespace, parentheses, identifier quotes and PostgreSQL casts
    /// (`::text`, `::character varying`).
    static func expressionKey(_ expression: String) -> String {
        var out = ""
        var i = expression.startIndex
        let text = expression
        while i < text.endIndex {
            let ch = text[i]
            if ch == "'" {
                // Copy a string literal verbatim.
                var j = text.index(after: i)
                out.append("'")
                while j < text.endIndex {
                    out.append(text[j])
                    if text[j] == "'" {
                        let n = text.index(after: j)
                        if n < text.endIndex, text[n] == "'" { out.append("'"); j = text.index(after: n); continue }
                        j = n
                        break
                    }
                    j = text.index(after: j)
                }
                i = j
                continue
            }
            if ch == ":" , text.index(after: i) < text.endIndex, text[text.index(after: i)] == ":" {
                // Skip a cast: the type name, with spaces for multi-word names and a length in parentheses.
                var j = text.index(i, offsetBy: 2)
                while j < text.endIndex {
                    let c = text[j]
                    if c.isLetter || c.isNumber || c == "_" || c == "." || c == "\"" {
                        j = text.index(after: j)
                    } else if c == "[", text.index(after: j) < text.endIndex, text[text.index(after: j)] == "]" {
                        j = text.index(j, offsetBy: 2)
                    } else if c == " ", let next = nextWord(in: text, after: j), ["varying", "precision", "without", "with", "time", "zone"].contains(next.lowercased()) {
                        j = text.index(after: j)
                    } else if c == "(", text[text.index(before: j)] != " ", let close = matchingParenthesis(in: text, from: j),
                              text[text.index(after: j)..<close].allSatisfy({ $0.isNumber || $0 == "," }) {
                        j = text.index(after: close)
                    } else { break }
                }
                i = j
                continue
            }
            if ch.isWhitespace || ch == "(" || ch == ")" || ch == "\"" || ch == "`" {
                i = text.index(after: i)
                continue
            }
            out.append(contentsOf: ch.lowercased())
            i = text.index(after: i)
        }
        return foldAnyArray(out)
    }

    /// PostgreSQL prints `x IN ('a', 'b')` as `x = ANY (ARRAY['a', 'b'])`; fold the key back to `in`.
    private static func foldAnyArray(_ key: String) -> String {
        var out = key
        while let start = out.range(of: "=anyarray[") {
            guard let close = out[start.upperBound...].firstIndex(of: "]") else { break }
            let inner = out[start.upperBound..<close]
            out = String(out[..<start.lowerBound]) + "in" + inner + String(out[out.index(after: close)...])
        }
        while let start = out.range(of: "<>allarray[") {
            guard let close = out[start.upperBound...].firstIndex(of: "]") else { break }
            let inner = out[start.upperBound..<close]
            out = String(out[..<start.lowerBound]) + "notin" + inner + String(out[out.index(after: close)...])
        }
        return out
    }

    private static func nextWord(in text: String, after index: String.Index) -> String? {
        var j = text.index(after: index)
        var word = ""
        while j < text.endIndex, text[j].isLetter { word.append(text[j]); j = text.index(after: j) }
        return word.isEmpty ? nil : word
    }

    /// Splits `text` at top-level commas (outside parentheses and quotes), trimming each part.
    static func splitTopLevel(_ text: String, separator: Character = ",") -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character? = nil
        for ch in text {
            if let q = quote {
                current.append(ch)
                if ch == q { quote = nil }
                continue
            }
            switch ch {
            case "'", "\"", "`", "[":
                quote = ch == "[" ? "]" : ch
                current.append(ch)
            case "(":
                depth += 1; current.append(ch)
            case ")":
                depth -= 1; current.append(ch)
            case separator where depth == 0:
                parts.append(current.trimmingCharacters(in: .whitespacesAndNewlines)); current = ""
            default:
                current.append(ch)
            }
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { parts.append(last) }
        return parts
    }
}
