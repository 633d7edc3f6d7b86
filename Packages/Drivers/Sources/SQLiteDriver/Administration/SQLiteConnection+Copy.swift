import CSQLite
import DatabaseDriver
import Foundation

extension SQLiteConnection {
    /// Copies this connection's `main` database page by page into a new database file at `path`, with
    /// SQLite's online backup API, as `sqlite3 .backup` does. Call it inside a transaction that has read
    /// the database (`begin()` then any query): every step then reads the same snapshot, and the copy is
    /// consistent. Between steps of 4,096 pages the task's cancellation is checked.
    ///
    /// The file is created with mode 0600; a file already at `path` is refused.
    /// - Throws: `DatabaseError` with SQLite's result code when the copy fails (a full disk, a busy source).
    public func copyDatabase(to path: String) async throws {
        let source = try openHandle()
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SQLiteErrorMapping.driver(.permissionDenied, "cannot create the database copy \(path) (errno \(errno))")
        }
        Foundation.close(descriptor)
        do {
            try Self.copy(from: source, toFile: path)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Replaces this connection's `main` database with the database file at `path`, with the online backup
    /// API: used to restore a database image into a target that cannot simply be replaced on disk (a URI,
    /// a file with a journal beside it, an open in-memory database).
    public func replaceDatabase(from path: String) async throws {
        let destination = try openHandle()
        var source: OpaquePointer?
        let rc = sqlite3_open_v2(path, &source, SQLITE_OPEN_READONLY, nil)
        defer { sqlite3_close_v2(source) }
        guard rc == SQLITE_OK, let source else { throw SQLiteErrorMapping.error(rc, db: source) }
        try Self.step(from: source, to: destination)
    }

    private static func copy(from source: OpaquePointer, toFile path: String) throws(DatabaseError) {
        var destination: OpaquePointer?
        let rc = sqlite3_open_v2(path, &destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        defer { sqlite3_close_v2(destination) }
        guard rc == SQLITE_OK, let destination else { throw SQLiteErrorMapping.error(rc, db: destination) }
        // The copy is a scratch file read once: no journal, no syncs.
        sqlite3_exec(destination, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", nil, nil, nil)
        try step(from: source, to: destination)
    }

    /// Runs one backup from `source`'s main database over `destination`'s, 4,096 pages at a time.
    private static func step(from source: OpaquePointer, to destination: OpaquePointer) throws(DatabaseError) {
        guard let backup = sqlite3_backup_init(destination, "main", source, "main") else {
            throw SQLiteErrorMapping.error(sqlite3_errcode(destination), db: destination)
        }
        var stepped = SQLITE_OK
        while stepped == SQLITE_OK {
            if Task.isCancelled {
                sqlite3_backup_finish(backup)
                throw SQLiteErrorMapping.driver(.cancelled, "database copy cancelled")
            }
            stepped = sqlite3_backup_step(backup, 4096)
        }
        let finished = sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE else {
            // The operating system's reason for an I/O error (a full disk, a file size limit) says what to do.
            let system = sqlite3_system_errno(destination)
            let reason = system != 0 && stepped & 0xFF == SQLITE_IOERR ? " (\(String(cString: strerror(system))))" : ""
            throw SQLiteErrorMapping.error(stepped, message: "database copy failed: \(String(cString: sqlite3_errstr(stepped)))\(reason)")
        }
        guard finished == SQLITE_OK else { throw SQLiteErrorMapping.error(finished, db: destination) }
    }
}
