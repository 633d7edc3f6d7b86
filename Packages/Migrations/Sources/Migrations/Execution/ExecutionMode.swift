import DatabaseDriver

/// How one migration's SQL is sent to the engine.
enum ExecutionMode: Sendable, Hashable {
    /// In one transaction, as one script: PostgreSQL and SQLite, unless the file opts out. A failure rolls
    /// everything back and leaves no trace.
    case transactional
    /// Statement by statement, progress recorded after each: MySQL/MariaDB (DDL commits implicitly), files
    /// with `-- dbm:no-transaction` or dbmate's `transaction:false`, and files that issue their own
    /// `BEGIN`/`COMMIT`. A failure leaves the migration dirty at the failing statement.
    case statementByStatement

    static func choose(statements: [SQLStatement], transactional: Bool, dialect: Dialect) -> ExecutionMode {
        guard dialect != .mysql, transactional else { return .statementByStatement }
        if statements.contains(where: { controlsTransaction($0.text) }) { return .statementByStatement }
        return .transactional
    }

    /// True for `BEGIN`, `START TRANSACTION`, `COMMIT`, `END`, `ROLLBACK` (not `BEGIN ATOMIC` bodies,
    /// not `ROLLBACK TO SAVEPOINT`).
    static func controlsTransaction(_ statement: String) -> Bool {
        let words = leadingWords(statement, count: 2)
        guard let first = words.first else { return false }
        switch first {
        case "BEGIN": return words.count < 2 || ["TRANSACTION", "WORK", "DEFERRED", "IMMEDIATE", "EXCLUSIVE", "ISOLATION", "READ"].contains(words[1])
        case "START": return words.count > 1 && words[1] == "TRANSACTION"
        case "COMMIT", "END": return true
        case "ROLLBACK": return words.count < 2 || words[1] != "TO"
        default: return false
        }
    }

    /// The first `count` words of a statement, upper-cased, skipping comments.
    static func leadingWords(_ statement: String, count: Int) -> [String] {
        var words: [String] = []
        var text = Substring(statement)
        while words.count < count {
            text = text.drop(while: { $0.isWhitespace })
            if text.hasPrefix("--") || text.hasPrefix("#") {
                text = text.drop(while: { $0 != "\n" })
                continue
            }
            if text.hasPrefix("/*") {
                guard let end = text.range(of: "*/") else { return words }
                text = text[end.upperBound...]
                continue
            }
            let word = text.prefix(while: { $0.isLetter || $0 == "_" })
            guard !word.isEmpty else { return words }
            words.append(word.uppercased())
            text = text.dropFirst(word.count)
        }
        return words
    }
}
