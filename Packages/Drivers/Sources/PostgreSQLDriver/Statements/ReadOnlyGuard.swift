/// Refuses, on a read-only connection, the statements that would turn read-only mode off for the session
/// or a transaction: `SET [SESSION] default_transaction_read_only`, `SET transaction_read_only`,
/// `set_config('..._read_only', ...)`, `SET SESSION CHARACTERISTICS AS TRANSACTION ...`, and
/// `BEGIN`/`START TRANSACTION`/`SET TRANSACTION ... READ WRITE`.
///
/// Writes themselves are refused by the server (`default_transaction_read_only=on`, SQLSTATE 25006). The
/// check works on words and is deliberately conservative: a statement that merely mentions these words
/// next to `SET` is refused too.
enum ReadOnlyGuard {
    static func check(_ sql: String) throws(DatabaseError) {
        var words: [Substring] = []
        var current: Substring.Index?
        let text = Substring(sql.lowercased())
        for index in text.indices {
            let c = text[index]
            if c.isLetter || c.isNumber || c == "_" {
                if current == nil { current = index }
            } else if let start = current {
                words.append(text[start..<index])
                current = nil
            }
        }
        if let start = current { words.append(text[start...]) }

        var mentionsSet = false
        var mentionsReadOnlySetting = false
        for (i, word) in words.enumerated() {
            if word == "set" || word == "reset" || word == "set_config" { mentionsSet = true }
            if word.contains("read_only") || word == "characteristics" { mentionsReadOnlySetting = true }
            if word == "read" && i + 1 < words.count && words[i + 1] == "write" {
                throw refusal("READ WRITE transactions")
            }
        }
        if mentionsSet && mentionsReadOnlySetting {
            throw refusal("changing the session's read-only setting")
        }
    }

    private static func refusal(_ what: String) -> DatabaseError {
        DatabaseError(.permissionDenied, "the connection is read-only: \(what) is not allowed",
            engineCode: "25006", engine: PostgreSQLErrors.engine)
    }
}
