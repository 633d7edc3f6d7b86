import CSQLite
import DatabaseDriver
import Foundation

/// Compiles SQL text into `PreparedStatement`s: exactly one for `execute`/`withCursor`, or each in turn
/// for a script.
enum StatementCompiler {
    /// Compiles the single statement in `sql`; `nil` when the text holds only whitespace and comments.
    ///
    /// - Throws: the engine's error (syntax, unknown table, ...), or `.misuse` when anything but comments
    ///   follows the first statement (a second statement is never silently dropped).
    static func single(_ sql: String, db: OpaquePointer) throws(DatabaseError) -> PreparedStatement? {
        let text = try cString(sql)
        let first = compile(text, from: 0, db: db)
        guard first.resultCode == SQLITE_OK else { throw SQLiteErrorMapping.error(first.resultCode, db: db, sql: sql) }
        let statement = first.handle.map { PreparedStatement(handle: $0, sql: sql) }
        if hasText(text, from: first.tail) {
            // Whatever follows must compile to nothing (comments); anything else is a second statement.
            let rest = compile(text, from: first.tail, db: db)
            if rest.resultCode != SQLITE_OK || rest.handle != nil {
                if let extra = rest.handle { sqlite3_finalize(extra) }
                statement?.finalize()
                throw SQLiteErrorMapping.driver(.misuse,
                    "the SQL text holds more than one statement; run several statements with executeScript", sql: sql)
            }
        }
        return statement
    }

    /// Compiles and hands over each statement of `sql` in order; a statement is finalized when `body`
    /// returns. Compiling statement n+1 happens after statement n ran, so DDL earlier in a script is seen.
    static func forEach(
        in sql: String, db: OpaquePointer, _ body: (PreparedStatement) throws(DatabaseError) -> Void
    ) throws(DatabaseError) {
        let text = try cString(sql)
        var offset = 0
        while hasText(text, from: offset) {
            let next = compile(text, from: offset, db: db)
            guard next.resultCode == SQLITE_OK else {
                throw SQLiteErrorMapping.error(next.resultCode, db: db, sql: statementText(text, from: offset))
            }
            offset = next.tail
            guard let handle = next.handle else { continue }
            let statement = PreparedStatement(handle: handle, sql: sqlite3_sql(handle).map { String(cString: $0) } ?? sql)
            defer { statement.finalize() }
            try body(statement)
        }
    }

    /// The text of the statement starting at `offset`: up to the first `;` that completes it (as
    /// `sqlite3_complete` judges, so semicolons in literals, comments and triggers do not count), or the
    /// rest of the script. Used only to report which statement of a script failed to compile.
    private static func statementText(_ text: ContiguousArray<CChar>, from offset: Int) -> String {
        var bytes = [CChar]()
        var index = offset
        while index < text.count - 1 {
            bytes.append(text[index])
            if text[index] == CChar(UInt8(ascii: ";")), sqlite3_complete(bytes + [0]) != 0 { break }
            index += 1
        }
        let statement = String(decoding: bytes.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return statement.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func cString(_ sql: String) throws(DatabaseError) -> ContiguousArray<CChar> {
        let text = sql.utf8CString
        // SQLite stops reading at a NUL byte; refuse rather than silently ignore what follows it.
        guard !text.dropLast().contains(0) else {
            throw SQLiteErrorMapping.driver(.invalidValue, "the SQL text contains a NUL byte")
        }
        return text
    }

    /// True when anything but whitespace follows `offset` (the final NUL excluded).
    private static func hasText(_ text: ContiguousArray<CChar>, from offset: Int) -> Bool {
        var i = offset
        while i < text.count - 1 {
            switch UInt8(bitPattern: text[i]) {
            case 0x20, 0x09, 0x0a, 0x0d, 0x0c: i += 1
            default: return true
            }
        }
        return false
    }

    private static func compile(
        _ text: ContiguousArray<CChar>, from offset: Int, db: OpaquePointer
    ) -> (resultCode: Int32, handle: OpaquePointer?, tail: Int) {
        text.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return (SQLITE_OK, nil, 0) }
            var handle: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let length = Int32(clamping: buffer.count - offset)
            let rc = sqlite3_prepare_v3(db, base + offset, length, 0, &handle, &tail)
            let tailOffset = tail.map { $0 - base } ?? buffer.count - 1
            return (rc, handle, tailOffset)
        }
    }
}
