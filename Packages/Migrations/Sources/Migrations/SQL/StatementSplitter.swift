import DatabaseDriver

/// One statement of a script, with the line it starts on (1-based) for error messages.
public struct SQLStatement: Sendable, Hashable {
    public var text: String
    public var line: Int

    public init(text: String, line: Int) {
        self.text = text
        self.line = line
    }
}

/// Splits a SQL script into statements the way the engine's own command-line client would.
///
/// Understands single-quoted strings (with `''`, and backslash escapes on MySQL and in PostgreSQL `E'...'`),
/// double-quoted and backtick identifiers, `--`, `#` (MySQL) and `/* */` comments (nested on PostgreSQL),
/// PostgreSQL dollar quoting (`$$ ... $$`, `$fn$ ... $fn$`), MySQL `DELIMITER` lines, SQLite
/// `CREATE TRIGGER ... BEGIN ... END` bodies and PostgreSQL `BEGIN ATOMIC ... END` bodies.
/// Statements that hold only comments are dropped. Cost is linear in the script's length.
public struct StatementSplitter: Sendable {
    public var dialect: Dialect

    public init(dialect: Dialect) {
        self.dialect = dialect
    }

    /// The statements of `script`, without their delimiters, trimmed.
    /// - Throws: `MigrationError.invalidMigration` for an unterminated string, identifier, comment or
    ///   dollar-quoted body, naming the line where it starts.
    public func split(_ script: String) throws(MigrationError) -> [SQLStatement] {
        var scanner = Scanner(bytes: Array(script.utf8), dialect: dialect)
        return try scanner.run()
    }
}

private struct Scanner {
    let bytes: [UInt8]
    let dialect: Dialect
    var i = 0
    var line = 1
    var delimiter: [UInt8] = [UInt8(ascii: ";")]
    var statements: [SQLStatement] = []

    // The statement being read.
    var start = 0
    var startLine = 1
    var hasContent = false
    var words: [String] = []
    var blockDepth = 0
    var triggerBody = false

    init(bytes: [UInt8], dialect: Dialect) {
        self.bytes = bytes
        self.dialect = dialect
    }

    mutating func run() throws(MigrationError) -> [SQLStatement] {
        var atLineStart = true
        while i < bytes.count {
            let b = bytes[i]
            if atLineStart && dialect == .mysql && !hasContent, let newDelimiter = delimiterCommand() {
                delimiter = newDelimiter
                resetStatement(at: i)
                continue
            }
            atLineStart = false
            if b == 0x0A { line += 1; i += 1; atLineStart = true; continue }
            if b == 0x20 || b == 0x09 || b == 0x0D { i += 1; continue }

            if blockDepth == 0 && matches(delimiter, at: i) {
                emit(end: i)
                i += delimiter.count
                resetStatement(at: i)
                continue
            }
            switch b {
            case UInt8(ascii: "'"):
                let backslash = dialect == .mysql || isPostgresEscapeString()
                try skipQuoted(close: b, backslashEscapes: backslash, what: "string")
            case UInt8(ascii: "\""):
                try skipQuoted(close: b, backslashEscapes: dialect == .mysql, what: "quoted identifier")
            case UInt8(ascii: "`") where dialect != .postgresql:
                try skipQuoted(close: b, backslashEscapes: false, what: "quoted identifier")
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-") && isLineCommentDash():
                skipLineComment()
                continue
            case UInt8(ascii: "#") where dialect == .mysql:
                skipLineComment()
                continue
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                try skipBlockComment()
                continue
            case UInt8(ascii: "$") where dialect == .postgresql:
                if let tag = dollarTag() {
                    try skipDollarQuoted(tag: tag)
                } else {
                    i += 1
                }
            default:
                if isWordStart(b) {
                    readWord()
                } else {
                    i += 1
                }
            }
            hasContent = true
        }
        emit(end: bytes.count)
        return statements
    }

    // MARK: statements

    mutating func resetStatement(at position: Int) {
        start = position
        startLine = line
        hasContent = false
        words.removeAll(keepingCapacity: true)
        blockDepth = 0
        triggerBody = false
    }

    mutating func emit(end: Int) {
        guard hasContent, start < end else { return }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return }
        // Count the lines of leading whitespace so `line` points at the statement's first line.
        var leading = 0
        for byte in bytes[start..<end] {
            if byte == 0x0A { leading += 1 } else if byte != 0x20 && byte != 0x09 && byte != 0x0D { break }
        }
        statements.append(SQLStatement(text: trimmed, line: startLine + leading))
    }

    // MARK: lexing helpers

    func peek(_ offset: Int) -> UInt8? {
        i + offset < bytes.count ? bytes[i + offset] : nil
    }

    func matches(_ token: [UInt8], at position: Int) -> Bool {
        guard position + token.count <= bytes.count else { return false }
        for k in 0..<token.count where lower(bytes[position + k]) != lower(token[k]) { return false }
        return true
    }

    func lower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }

    func isWordStart(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == UInt8(ascii: "_") || b >= 0x80
    }

    func isWordByte(_ b: UInt8) -> Bool {
        isWordStart(b) || (b >= 48 && b <= 57) || b == UInt8(ascii: "$")
    }

    /// MySQL only starts a `--` comment when whitespace (or the end) follows; the others always do.
    func isLineCommentDash() -> Bool {
        guard dialect == .mysql else { return true }
        guard let next = peek(2) else { return true }
        return next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D
    }

    /// True when the quote at `i` opens a PostgreSQL `E'...'` string (backslash escapes).
    func isPostgresEscapeString() -> Bool {
        guard dialect == .postgresql, i > 0, bytes[i - 1] == UInt8(ascii: "E") || bytes[i - 1] == UInt8(ascii: "e") else {
            return false
        }
        return i < 2 || !isWordByte(bytes[i - 2])
    }

    mutating func skipQuoted(close: UInt8, backslashEscapes: Bool, what: String) throws(MigrationError) {
        let openLine = line
        i += 1
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A { line += 1 }
            if backslashEscapes && b == UInt8(ascii: "\\") {
                if peek(1) == 0x0A { line += 1 }
                i += 2
                continue
            }
            if b == close {
                if peek(1) == close { i += 2; continue }
                i += 1
                return
            }
            i += 1
        }
        throw MigrationError(.invalidMigration, "unterminated \(what) starting on line \(openLine)")
    }

    mutating func skipLineComment() {
        while i < bytes.count && bytes[i] != 0x0A { i += 1 }
    }

    mutating func skipBlockComment() throws(MigrationError) {
        let openLine = line
        var depth = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                depth = dialect == .postgresql ? depth + 1 : 1
                i += 2
                continue
            }
            if bytes[i] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                depth -= 1
                i += 2
                if depth == 0 { return }
                continue
            }
            if bytes[i] == 0x0A { line += 1 }
            i += 1
        }
        throw MigrationError(.invalidMigration, "unterminated /* comment starting on line \(openLine)")
    }

    /// The dollar-quote tag opening at `i` (`$$`, `$body$`), or nil when `$` starts no tag (`$1`, `a$b`).
    func dollarTag() -> [UInt8]? {
        if i > 0 && isWordByte(bytes[i - 1]) { return nil }
        var j = i + 1
        while j < bytes.count {
            let b = bytes[j]
            if b == UInt8(ascii: "$") { return Array(bytes[i...j]) }
            let ok = j == i + 1 ? isWordStart(b) : (isWordStart(b) || (b >= 48 && b <= 57))
            if !ok { return nil }
            j += 1
        }
        return nil
    }

    mutating func skipDollarQuoted(tag: [UInt8]) throws(MigrationError) {
        let openLine = line
        i += tag.count
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "$") && matchesExactly(tag, at: i) {
                i += tag.count
                return
            }
            if bytes[i] == 0x0A { line += 1 }
            i += 1
        }
        throw MigrationError(.invalidMigration,
            "unterminated dollar-quoted body \(String(decoding: tag, as: UTF8.self)) starting on line \(openLine)")
    }

    func matchesExactly(_ token: [UInt8], at position: Int) -> Bool {
        guard position + token.count <= bytes.count else { return false }
        for k in 0..<token.count where bytes[position + k] != token[k] { return false }
        return true
    }

    /// Reads a keyword or identifier and tracks `BEGIN ... END` bodies that may contain the delimiter.
    mutating func readWord() {
        let wordStart = i
        // A custom delimiter may follow a word directly (`END$$`, `END//`) and may itself be made of word bytes.
        let customDelimiter = delimiter != [UInt8(ascii: ";")]
        while i < bytes.count && isWordByte(bytes[i]) && !(customDelimiter && i > wordStart && matches(delimiter, at: i)) { i += 1 }
        guard i - wordStart <= 8 else { words.append(""); return }
        let word = String(decoding: bytes[wordStart..<i], as: UTF8.self).uppercased()
        let previous = words.last
        words.append(word)
        switch dialect {
        case .sqlite:
            if words.count <= 5 && word == "TRIGGER" && words.first == "CREATE" { triggerBody = true }
            guard triggerBody else { return }
            if word == "BEGIN" || word == "CASE" { blockDepth += 1 }
            if word == "END" && blockDepth > 0 { blockDepth -= 1 }
        case .postgresql:
            if word == "ATOMIC" && previous == "BEGIN" { blockDepth += 1; return }
            guard blockDepth > 0 else { return }
            if word == "CASE" { blockDepth += 1 }
            if word == "END" { blockDepth -= 1 }
        case .mysql:
            return
        }
    }

    /// At the start of a line on MySQL: `DELIMITER <token>` sets a new delimiter and consumes the line.
    mutating func delimiterCommand() -> [UInt8]? {
        var j = i
        while j < bytes.count && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
        let keyword = Array("delimiter".utf8)
        guard matches(keyword, at: j) else { return nil }
        j += keyword.count
        guard j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 else { return nil }
        while j < bytes.count && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
        let tokenStart = j
        while j < bytes.count && bytes[j] != 0x20 && bytes[j] != 0x09 && bytes[j] != 0x0A && bytes[j] != 0x0D { j += 1 }
        guard j > tokenStart else { return nil }
        let token = Array(bytes[tokenStart..<j])
        while j < bytes.count && bytes[j] != 0x0A { j += 1 }
        if j < bytes.count { j += 1; line += 1 }
        i = j
        return token
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
