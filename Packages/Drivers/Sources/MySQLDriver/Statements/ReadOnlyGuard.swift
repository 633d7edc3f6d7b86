/// Decides, before a statement is sent, whether a read-only connection may run it.
///
/// The session's `READ ONLY` transactions already make the server refuse data changes (errno 1792), but
/// MariaDB still runs DDL and `SET` in them. So a read-only connection only sends statements whose first
/// keyword (after comments and opening parentheses) is `SELECT`, `SHOW`, `DESCRIBE`/`DESC`, `EXPLAIN`,
/// `WITH`, `VALUES` or `TABLE`, and refuses `SELECT … INTO OUTFILE/DUMPFILE`. Executable comments
/// (`/*! … */`, `/*M! … */`) are read as the code they are.
enum ReadOnlyGuard {
    private static let allowed: Set<String> = ["SELECT", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "WITH", "VALUES", "TABLE"]
    private static let forbiddenWords: Set<String> = ["OUTFILE", "DUMPFILE"]

    /// Throws `.permissionDenied` unless every statement in `sql` only reads.
    static func check(_ sql: String) throws(DatabaseError) {
        let statements = SQLScanner.statements(in: sql)
        for statement in statements {
            guard let keyword = statement.words.first, allowed.contains(keyword) else {
                let what = statement.words.first.map { "a \($0) statement" } ?? "this statement"
                throw .mysqlDriver(.permissionDenied, "the connection is read-only: \(what) is refused", sql: sql)
            }
            if let word = statement.words.first(where: forbiddenWords.contains) {
                throw .mysqlDriver(.permissionDenied, "the connection is read-only: SELECT … INTO \(word) is refused", sql: sql)
            }
        }
    }
}

/// A minimal lexer for MariaDB SQL text: splits statements at `;` and lists each statement's words
/// (upper-cased), skipping string literals, quoted identifiers and comments.
enum SQLScanner {
    struct Statement {
        /// The bare words of the statement, upper-cased, in order.
        var words: [String] = []
    }

    /// The non-empty statements of `sql`.
    static func statements(in sql: String) -> [Statement] {
        let b = Array(sql.utf8)
        var statements: [Statement] = []
        var current = Statement()
        var hasContent = false
        var i = 0
        func flush() {
            if hasContent { statements.append(current) }
            current = Statement()
            hasContent = false
        }
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                i = skipQuoted(b, from: i, backslashEscapes: c != UInt8(ascii: "`"))
                hasContent = true
            case UInt8(ascii: "#"):
                i = skipLine(b, from: i)
            case UInt8(ascii: "-") where i + 1 < b.count && b[i + 1] == UInt8(ascii: "-")
                && (i + 2 == b.count || isSpace(b[i + 2])):
                i = skipLine(b, from: i)
            case UInt8(ascii: "/") where i + 1 < b.count && b[i + 1] == UInt8(ascii: "*"):
                if let body = executableCommentBody(b, at: i) {
                    i = body // read the body as code; its closing */ is skipped below
                } else {
                    i = skipBlockComment(b, from: i)
                }
            case UInt8(ascii: "*") where i + 1 < b.count && b[i + 1] == UInt8(ascii: "/"):
                i += 2
            case UInt8(ascii: ";"):
                flush()
                i += 1
            default:
                if isWordStart(c) {
                    let start = i
                    while i < b.count && isWord(b[i]) { i += 1 }
                    current.words.append(String(decoding: b[start..<i], as: UTF8.self).uppercased())
                    hasContent = true
                } else {
                    if !isSpace(c) { hasContent = true }
                    i += 1
                }
            }
        }
        flush()
        return statements
    }

    /// For `/*!` or `/*M!` followed by optional version digits, the index where the code starts.
    private static func executableCommentBody(_ b: [UInt8], at i: Int) -> Int? {
        var j = i + 2
        if j < b.count && b[j] == UInt8(ascii: "M") { j += 1 }
        guard j < b.count, b[j] == UInt8(ascii: "!") else { return nil }
        j += 1
        while j < b.count, b[j] >= 48, b[j] <= 57 { j += 1 }
        return j
    }

    private static func skipQuoted(_ b: [UInt8], from start: Int, backslashEscapes: Bool) -> Int {
        let quote = b[start]
        var i = start + 1
        while i < b.count {
            if backslashEscapes && b[i] == UInt8(ascii: "\\") { i += 2; continue }
            if b[i] == quote {
                if i + 1 < b.count && b[i + 1] == quote { i += 2; continue }
                return i + 1
            }
            i += 1
        }
        return b.count
    }

    private static func skipLine(_ b: [UInt8], from start: Int) -> Int {
        var i = start
        while i < b.count && b[i] != UInt8(ascii: "\n") { i += 1 }
        return i
    }

    private static func skipBlockComment(_ b: [UInt8], from start: Int) -> Int {
        var i = start + 2
        while i + 1 < b.count {
            if b[i] == UInt8(ascii: "*") && b[i + 1] == UInt8(ascii: "/") { return i + 2 }
            i += 1
        }
        return b.count
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
    private static func isWordStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 36 || c >= 0x80 || (c >= 48 && c <= 57)
    }
    private static func isWord(_ c: UInt8) -> Bool { isWordStart(c) }
}
