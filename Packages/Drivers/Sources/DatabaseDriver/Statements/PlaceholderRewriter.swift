/// Rewrites a statement's placeholders into the one style the target engine binds, and lists the values
/// in binding order. Values are never spliced into the text.
///
/// Callers may write `?`, `$1`/`?1` or `:name` whatever the engine. The scanner skips string literals,
/// quoted identifiers, comments, PostgreSQL dollar-quoted bodies and `::` casts, so a `?` or `:x` inside
/// them is left alone. With no arguments the text is returned unchanged (PostgreSQL's `?` JSON operators
/// keep working); with `$n` placeholders present, a bare `?` is left alone too.
public struct PlaceholderRewriter: Sendable {
    /// The SQL the engine receives and the values in the order its placeholders bind them.
    public struct Output: Sendable, Equatable {
        public var sql: String
        public var values: [DatabaseValue]
    }

    /// How the engine writes its placeholders.
    public enum Style: Sendable {
        /// `$1, $2, ...` (libpq)
        case dollarNumbered
        /// `?` in order of binding (MariaDB, SQLite)
        case questionMark
    }

    public let style: Style
    /// MySQL/MariaDB treat a backslash inside quoted strings as an escape (`'it\'s'`).
    public let backslashEscapes: Bool

    public init(style: Style, backslashEscapes: Bool = false) {
        self.style = style
        self.backslashEscapes = backslashEscapes
    }

    public init(dialect: Dialect) {
        self.style = dialect == .postgresql ? .dollarNumbered : .questionMark
        self.backslashEscapes = dialect == .mysql
    }

    private enum Token {
        case question(range: Range<Int>)
        case numbered(Int, range: Range<Int>)
        case named(String, range: Range<Int>)
    }

    /// - Throws: `DatabaseError` with code `.parameterMismatch` when the placeholders and arguments
    ///   disagree (a missing name, a count mismatch, mixed styles).
    public func rewrite(_ sql: String, _ arguments: StatementArguments) throws(DatabaseError) -> Output {
        if arguments.isEmpty {
            return Output(sql: sql, values: [])
        }
        let bytes = Array(sql.utf8)
        let tokens = Self.scan(bytes, backslashEscapes: backslashEscapes)
        let hasNumbered = tokens.contains { if case .numbered = $0 { true } else { false } }
        let hasNamed = tokens.contains { if case .named = $0 { true } else { false } }

        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 16)
        var values = [DatabaseValue]()
        var cursor = 0
        func emit(_ range: Range<Int>, _ value: DatabaseValue) {
            out.append(contentsOf: bytes[cursor..<range.lowerBound])
            values.append(value)
            switch style {
            case .questionMark: out.append(UInt8(ascii: "?"))
            case .dollarNumbered: out.append(contentsOf: Array("$\(values.count)".utf8))
            }
            cursor = range.upperBound
        }

        switch arguments {
        case .named(let dict):
            guard hasNamed else {
                throw DatabaseError(.parameterMismatch, "named arguments were given but the statement has no :name placeholders")
            }
            for token in tokens {
                guard case .named(let name, let range) = token else { continue }
                guard let value = dict[name] else {
                    throw DatabaseError(.parameterMismatch, "no value was given for placeholder :\(name)")
                }
                emit(range, value)
            }
        case .positional(let list):
            if hasNamed {
                throw DatabaseError(.parameterMismatch, "positional arguments were given but the statement uses :name placeholders")
            }
            if hasNumbered {
                var highest = 0
                for token in tokens {
                    guard case .numbered(let n, let range) = token else { continue }
                    guard n >= 1, n <= list.count else {
                        throw DatabaseError(.parameterMismatch, "placeholder $\(n) has no argument (\(list.count) given)")
                    }
                    highest = max(highest, n)
                    if style == .dollarNumbered {
                        continue  // already native; values bind by number
                    }
                    emit(range, list[n - 1])
                }
                if style == .dollarNumbered {
                    guard highest == list.count else {
                        throw DatabaseError(.parameterMismatch, "the statement uses $1...$\(highest) but \(list.count) arguments were given")
                    }
                    return Output(sql: sql, values: list)
                }
            } else {
                var index = 0
                for token in tokens {
                    guard case .question(let range) = token else { continue }
                    guard index < list.count else {
                        throw DatabaseError(.parameterMismatch, "the statement has more ? placeholders than the \(list.count) arguments given")
                    }
                    emit(range, list[index])
                    index += 1
                }
                guard index == list.count else {
                    throw DatabaseError(.parameterMismatch, "the statement has \(index) placeholders but \(list.count) arguments were given")
                }
            }
        }
        out.append(contentsOf: bytes[cursor...])
        return Output(sql: String(decoding: out, as: UTF8.self), values: values)
    }

    /// Finds placeholders outside literals, identifiers and comments.
    private static func scan(_ b: [UInt8], backslashEscapes: Bool) -> [Token] {
        var tokens = [Token]()
        var i = 0
        let n = b.count
        func isIdentStart(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f || c >= 0x80 }
        func isIdent(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 0x30 && c <= 0x39) }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func skipQuoted(_ quote: UInt8, backslash: Bool) {
            i += 1
            while i < n {
                if backslash && b[i] == 0x5c { i += 2; continue }
                if b[i] == quote {
                    if i + 1 < n && b[i + 1] == quote { i += 2; continue }
                    i += 1
                    return
                }
                i += 1
            }
        }
        while i < n {
            let c = b[i]
            switch c {
            case 0x27: // '
                // E'...' strings (PostgreSQL) and MySQL strings allow backslash escapes.
                let escaped = i > 0 && (b[i - 1] == 0x45 || b[i - 1] == 0x65) && (i < 2 || !isIdent(b[i - 2]))
                skipQuoted(0x27, backslash: escaped || backslashEscapes)
            case 0x22: skipQuoted(0x22, backslash: backslashEscapes) // "
            case 0x60: skipQuoted(0x60, backslash: false) // `
            case 0x2d where i + 1 < n && b[i + 1] == 0x2d: // --
                while i < n && b[i] != 0x0a { i += 1 }
            case 0x23: // # (MySQL comment) is only a comment at the start of a token; treat it as one
                while i < n && b[i] != 0x0a { i += 1 }
            case 0x2f where i + 1 < n && b[i + 1] == 0x2a: // /* */ (nesting as PostgreSQL does)
                var depth = 1
                i += 2
                while i < n && depth > 0 {
                    if b[i] == 0x2f && i + 1 < n && b[i + 1] == 0x2a { depth += 1; i += 2 }
                    else if b[i] == 0x2a && i + 1 < n && b[i + 1] == 0x2f { depth -= 1; i += 2 }
                    else { i += 1 }
                }
            case 0x24: // $
                if i + 1 < n && isDigit(b[i + 1]) && (i == 0 || !isIdent(b[i - 1])) {
                    var j = i + 1
                    var value = 0
                    while j < n && isDigit(b[j]) { value = value * 10 + Int(b[j] - 0x30); j += 1; if value > 65535 { break } }
                    tokens.append(.numbered(value, range: i..<j))
                    i = j
                } else if i == 0 || !isIdent(b[i - 1]) {
                    // Dollar quote: $tag$ ... $tag$
                    var j = i + 1
                    while j < n && isIdent(b[j]) && !isDigit(b[i + 1]) { j += 1 }
                    if j < n && b[j] == 0x24 {
                        let tag = Array(b[i...j])
                        var k = j + 1
                        var found = false
                        while k + tag.count <= n {
                            if b[k] == 0x24 && Array(b[k..<(k + tag.count)]) == tag { found = true; break }
                            k += 1
                        }
                        i = found ? k + tag.count : n
                    } else {
                        i += 1
                    }
                } else {
                    i += 1
                }
            case 0x3f: // ?
                if i + 1 < n && isDigit(b[i + 1]) {
                    var j = i + 1
                    var value = 0
                    while j < n && isDigit(b[j]) { value = value * 10 + Int(b[j] - 0x30); j += 1; if value > 65535 { break } }
                    tokens.append(.numbered(value, range: i..<j))
                    i = j
                } else {
                    tokens.append(.question(range: i..<(i + 1)))
                    i += 1
                }
            case 0x3a: // :
                if i + 1 < n && b[i + 1] == 0x3a { i += 2; continue } // :: cast
                if i + 1 < n && isIdentStart(b[i + 1]) && (i == 0 || b[i - 1] != 0x3a) {
                    var j = i + 1
                    while j < n && isIdent(b[j]) { j += 1 }
                    let name = String(decoding: b[(i + 1)..<j], as: UTF8.self)
                    tokens.append(.named(name, range: i..<j))
                    i = j
                } else {
                    i += 1
                }
            default:
                if isIdent(c) {
                    // Skip a whole word so `a$1` or `x:y` inside identifiers is not a placeholder.
                    while i < n && (isIdent(b[i]) || b[i] == 0x24) { i += 1 }
                } else {
                    i += 1
                }
            }
        }
        return tokens
    }
}
