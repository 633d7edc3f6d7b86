import CSQLite
import DatabaseDriver

/// Turns SQLite result codes into `DatabaseError`s.
///
/// The engine code is the extended result code as decimal text (`"2067"` for `SQLITE_CONSTRAINT_UNIQUE`).
/// SQLite reports syntax errors and missing objects alike as `SQLITE_ERROR` (1); those are told apart by
/// the engine's message, which names only identifiers, never bound values.
enum SQLiteErrorMapping {
    /// The error for `resultCode` on `db`, with the engine's current message.
    ///
    /// - Important: call it right after the failing C call, on the connection's queue, before any other
    ///   call on `db` replaces the message.
    static func error(_ resultCode: Int32, db: OpaquePointer?, sql: String? = nil) -> DatabaseError {
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(resultCode))
        return error(resultCode, message: message, sql: sql)
    }

    /// The error for `resultCode` with a given message.
    static func error(_ resultCode: Int32, message: String, sql: String? = nil) -> DatabaseError {
        DatabaseError(code(for: resultCode, message: message), message,
                      engineCode: String(resultCode), sql: sql, engine: "sqlite")
    }

    /// A driver-side error (not from a C call) tagged with the engine name.
    static func driver(_ code: DatabaseError.Code, _ message: String, sql: String? = nil) -> DatabaseError {
        DatabaseError(code, message, sql: sql, engine: "sqlite")
    }

    /// The portable code for an extended result code.
    static func code(for resultCode: Int32, message: String) -> DatabaseError.Code {
        switch resultCode {
        case ExtendedResultCode.constraintUnique, ExtendedResultCode.constraintPrimaryKey,
             ExtendedResultCode.constraintRowID: return .uniqueViolation
        case ExtendedResultCode.constraintForeignKey: return .foreignKeyViolation
        case ExtendedResultCode.constraintNotNull: return .notNullViolation
        case ExtendedResultCode.constraintCheck: return .checkViolation
        case ExtendedResultCode.constraintDataType: return .invalidValue
        case ExtendedResultCode.busySnapshot: return .transactionConflict
        default: break
        }
        switch resultCode & 0xff {
        case SQLITE_ERROR: return classifyGenericError(message)
        case SQLITE_PERM, SQLITE_READONLY, SQLITE_AUTH: return .permissionDenied
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        case SQLITE_INTERRUPT: return .cancelled
        case SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOLFS: return .ioError
        case SQLITE_CANTOPEN, SQLITE_NOTADB: return .unknownDatabase
        case SQLITE_CONSTRAINT: return .constraintViolation
        case SQLITE_MISMATCH, SQLITE_TOOBIG: return .invalidValue
        case SQLITE_RANGE: return .parameterMismatch
        case SQLITE_MISUSE: return .misuse
        default: return .other
        }
    }

    /// `SQLITE_ERROR` covers parse errors, missing objects, duplicates and transaction misuse.
    private static func classifyGenericError(_ message: String) -> DatabaseError.Code {
        if message.contains("syntax error") || message.hasPrefix("incomplete input")
            || message.hasPrefix("unrecognized token") {
            return .syntaxError
        }
        if message.hasPrefix("no such ") { return .undefinedObject }
        if message.contains("already exists") { return .duplicateObject }
        if message.hasPrefix("cannot start a transaction within a transaction")
            || message.hasPrefix("cannot commit - no transaction is active")
            || message.hasPrefix("cannot rollback - no transaction is active") {
            return .misuse
        }
        return .other
    }
}
