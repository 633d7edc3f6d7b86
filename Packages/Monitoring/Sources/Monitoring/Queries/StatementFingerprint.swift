import DatabaseDriver

/// A statement's normalised text and its fingerprint, the key of the server's statement record.
///
/// Literals are replaced with `?` the way `pg_stat_statements` and MariaDB's digests do: quoted strings
/// (with `''` and backslash escapes, `E'…'`, `N'…'`, `X'…'`), PostgreSQL dollar-quoted strings, numbers
/// (decimal, exponent, hexadecimal). Placeholders (`?`, `$1`, `:name`) are kept, comments removed and
/// runs of white space collapsed, so a password in `ALTER ROLE … PASSWORD '…'` or a value spliced into
/// ad-hoc SQL never reaches the record. Double quotes are identifiers except on MariaDB/MySQL, where they
/// are strings. One pass over the UTF-8 bytes; no allocation beyond the output.
public struct StatementFingerprint: Sendable, Hashable {
    /// The normalised statement text (at most `maxLength` characters; longer text ends with `…`).
    public let text: String
    /// 16 hex digits: FNV-1a 64 of the whole normalised text.
    public let fingerprint: String

    /// Normalised text beyond this many UTF-8 bytes is cut (the fingerprint still covers all of it).
    public static let maxLength = 4096

    public init(_ sql: String, dialect: Dialect) {
        let normalized = Self.normalize(sql, dialect: dialect)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in normalized { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        fingerprint = String(repeating: "0", count: 16 - hex.count) + hex
        if normalized.count > Self.maxLength {
            var cut = Self.maxLength
            while cut > 0, normalized[cut] & 0xC0 == 0x80 { cut -= 1 }  // not inside a UTF-8 sequence
            text = String(decoding: normalized[..<cut], as: UTF8.self) + "…"
        } else {
            text = String(decoding: normalized, as: UTF8.self)
        }
    }

    /// The normalised bytes of `sql`.
    static func normalize(_ sql: String, dialect: Dialect) -> [UInt8] {
        let s = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        let quote = UInt8(ascii: "'"), dquote = UInt8(ascii: "\""), backtick = UInt8(ascii: "`"), backslash = UInt8(ascii: "\\")
        let doubleQuotedStrings = dialect == .mysql
        let backslashEscapes = dialect == .mysql
        var pendingSpace = false
        var i = 0

        func emit(_ byte: UInt8) {
            if pendingSpace, !out.isEmpty { out.append(UInt8(ascii: " ")) }
            pendingSpace = false
            out.append(byte)
        }
        func emitLiteral() {
            // A sign directly before a number stays (`-?`), as the engines' normalisers do.
            emit(UInt8(ascii: "?"))
        }
        /// Skips a quoted run starting at `i` (the opening quote); returns the index after the closing one.
        func skipQuoted(_ q: UInt8, escapes: Bool) -> Int {
            var j = i + 1
            while j < s.count {
                if escapes, s[j] == backslash { j += 2; continue }
                if s[j] == q {
                    if j + 1 < s.count, s[j + 1] == q { j += 2; continue }
                    return j + 1
                }
                j += 1
            }
            return s.count
        }

        while i < s.count {
            let c = s[i]
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0C:
                pendingSpace = true
                i += 1
            case UInt8(ascii: "-") where i + 1 < s.count && s[i + 1] == UInt8(ascii: "-"):
                while i < s.count, s[i] != UInt8(ascii: "\n") { i += 1 }
                pendingSpace = true
            case UInt8(ascii: "#") where dialect == .mysql:
                while i < s.count, s[i] != UInt8(ascii: "\n") { i += 1 }
                pendingSpace = true
            case UInt8(ascii: "/") where i + 1 < s.count && s[i + 1] == UInt8(ascii: "*"):
                i += 2
                while i + 1 < s.count, !(s[i] == UInt8(ascii: "*") && s[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i = min(s.count, i + 2)
                pendingSpace = true
            case quote:
                let prefixed = !pendingSpace && Self.isStringPrefix(out)
                i = skipQuoted(quote, escapes: backslashEscapes || (prefixed && out.last! | 0x20 == UInt8(ascii: "e")))
                if prefixed { out.removeLast() }  // E'…', N'…', X'…', B'…' are one literal
                emitLiteral()
            case dquote where doubleQuotedStrings:
                i = skipQuoted(dquote, escapes: true)
                emitLiteral()
            case dquote, backtick:
                // An identifier: copied as it is.
                let end = skipQuoted(c, escapes: false)
                for j in i..<end { emit(s[j]) }
                i = end
            case UInt8(ascii: "$") where dialect == .postgresql:
                if i + 1 < s.count, Self.isDigit(s[i + 1]) {
                    // $1: a placeholder.
                    emit(c); i += 1
                    while i < s.count, Self.isDigit(s[i]) { emit(s[i]); i += 1 }
                } else if let tagEnd = Self.dollarTagEnd(s, from: i) {
                    let tag = s[i...tagEnd]
                    var j = tagEnd + 1, closed = s.count
                    while j + tag.count <= s.count {
                        if s[j] == UInt8(ascii: "$"), s[j..<(j + tag.count)].elementsEqual(tag) { closed = j + tag.count; break }
                        j += 1
                    }
                    i = closed
                    emitLiteral()
                } else {
                    emit(c); i += 1
                }
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
                let startsNumber = Self.isDigit(c) || (i + 1 < s.count && Self.isDigit(s[i + 1]))
                let afterIdentifier = out.last.map { Self.isIdentifierByte($0) && !pendingSpace } ?? false
                let afterPlaceholderSign = out.last.map { ($0 == UInt8(ascii: "$") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "?")) && !pendingSpace } ?? false
                guard startsNumber, !afterIdentifier, !afterPlaceholderSign else { emit(c); i += 1; continue }
                i = Self.numberEnd(s, from: i)
                emitLiteral()
            default:
                emit(c)
                i += 1
            }
        }
        return out
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func isIdentifierByte(_ b: UInt8) -> Bool {
        isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || b == UInt8(ascii: "_") || b >= 0x80
    }

    /// True when the output ends with a one-letter string prefix (`E`, `N`, `X`, `B`) glued to the quote.
    private static func isStringPrefix(_ out: [UInt8]) -> Bool {
        guard let last = out.last, [UInt8(ascii: "e"), UInt8(ascii: "n"), UInt8(ascii: "x"), UInt8(ascii: "b")].contains(last | 0x20) else { return false }
        return out.count == 1 || !isIdentifierByte(out[out.count - 2])
    }

    /// The index of the closing `$` of a dollar-quote tag starting at `from` (`$$` or `$tag$`), or nil.
    private static func dollarTagEnd(_ s: [UInt8], from: Int) -> Int? {
        var j = from + 1
        while j < s.count {
            if s[j] == UInt8(ascii: "$") { return j }
            guard isIdentifierByte(s[j]), !(j == from + 1 && isDigit(s[j])) else { return nil }
            j += 1
        }
        return nil
    }

    /// The end of a numeric literal: digits, one dot, an exponent, or a hexadecimal `0x…`.
    private static func numberEnd(_ s: [UInt8], from: Int) -> Int {
        var j = from
        if s[j] == UInt8(ascii: "0"), j + 1 < s.count, s[j + 1] | 0x20 == UInt8(ascii: "x") {
            j += 2
            while j < s.count, isDigit(s[j]) || (s[j] | 0x20 >= UInt8(ascii: "a") && s[j] | 0x20 <= UInt8(ascii: "f")) { j += 1 }
            return j
        }
        while j < s.count, isDigit(s[j]) || s[j] == UInt8(ascii: ".") { j += 1 }
        if j < s.count, s[j] | 0x20 == UInt8(ascii: "e") {
            var k = j + 1
            if k < s.count, s[k] == UInt8(ascii: "+") || s[k] == UInt8(ascii: "-") { k += 1 }
            if k < s.count, isDigit(s[k]) {
                while k < s.count, isDigit(s[k]) { k += 1 }
                j = k
            }
        }
        return j
    }
}
