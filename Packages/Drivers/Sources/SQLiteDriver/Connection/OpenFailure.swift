import CSQLite
import DatabaseDriver
import Foundation

/// Opening steps that can fail, and what their failures mean for a local file.
enum OpenFailure {
    /// The error for a failed `sqlite3_open_v2`. SQLite says only "unable to open database file"; the file
    /// system tells apart a missing file, a directory and a file the process may not open.
    static func error(_ resultCode: Int32, db: OpaquePointer?, settings: OpenSettings) -> DatabaseError {
        var error = SQLiteErrorMapping.error(resultCode, db: db)
        guard resultCode & 0xff == SQLITE_CANTOPEN, !settings.path.hasPrefix("file:") else { return error }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: settings.path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue {
            error.code = .connectionRefused
            error.message = "unable to open database file: the path is a directory"
        } else if !exists {
            error.code = .unknownDatabase
            let parent = (settings.path as NSString).deletingLastPathComponent
            error.message = settings.mustExist || parent.isEmpty || FileManager.default.fileExists(atPath: parent)
                ? "unable to open database file: it does not exist"
                : "unable to open database file: its directory does not exist"
        } else {
            error.code = .permissionDenied
            error.message = "unable to open database file: the file cannot be opened with the requested access"
        }
        return error
    }

    /// Settings applied right after opening: extended result codes, the busy timeout, a first read of the
    /// schema (so a file that is not a database fails here, not at the first query), foreign keys and the
    /// journal mode.
    static func configure(_ db: OpaquePointer, _ settings: OpenSettings) throws(DatabaseError) {
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, settings.connectTimeoutMilliseconds)
        try exec(db, "SELECT count(*) FROM sqlite_schema")
        sqlite3_busy_timeout(db, settings.busyTimeoutMilliseconds)
        try exec(db, settings.foreignKeys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF")
        if let mode = settings.journalMode {
            // `mode` is one of a fixed list of words (checked by OpenSettings), never caller text.
            try exec(db, "PRAGMA journal_mode = \(mode)")
        }
    }

    private static func exec(_ db: OpaquePointer, _ sql: String) throws(DatabaseError) {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw SQLiteErrorMapping.error(rc, db: db, sql: sql) }
    }
}
