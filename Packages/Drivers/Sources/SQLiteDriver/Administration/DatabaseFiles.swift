import CSQLite
import DatabaseDriver
import Foundation

/// SQLite databases as files: listing, creating and deleting them in one directory.
///
/// The directory is that of the configuration's database file (resolved against the working directory
/// when relative), or the working directory for an in-memory database. A name is a path: relative names
/// resolve against that directory, absolute ones are used as they are. Names are only ever used as file
/// paths through the file system and the C API, never inside SQL text.
struct DatabaseFiles {
    static let extensions: Set<String> = ["db", "sqlite", "sqlite3"]
    /// The files SQLite keeps beside a database while it is in use.
    static let siblingSuffixes = ["-wal", "-shm", "-journal"]

    let directory: URL

    init(_ configuration: ConnectionConfiguration) {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        if configuration.isInMemory {
            directory = cwd
        } else {
            var path = configuration.database
            if path.hasPrefix("file:") {
                path = String(path.dropFirst(5).prefix { $0 != "?" })
            }
            directory = URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL.deletingLastPathComponent()
        }
    }

    /// The file a database name stands for.
    func path(of name: String) throws(DatabaseError) -> String {
        try Dialect.sqlite.validateIdentifier(name, role: "database name")
        if name.hasPrefix("/") { return name }
        return directory.appendingPathComponent(name).path
    }

    /// Database files in the directory, sorted by name.
    func list() throws(DatabaseError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw SQLiteErrorMapping.driver(.ioError, "cannot list the directory \(directory.path): \(error.localizedDescription)")
        }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            let full = directory.appendingPathComponent(name).path
            return Self.extensions.contains((name as NSString).pathExtension.lowercased())
                && FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    /// Creates an empty database file with the requested text encoding.
    func create(_ name: String, options: CreateDatabaseOptions) throws(DatabaseError) {
        let path = try path(of: name)
        if options.collation != nil || options.template != nil || options.owner != nil {
            throw SQLiteErrorMapping.driver(.invalidValue,
                "SQLite databases have no collation, template or owner; only the encoding option applies")
        }
        let encoding = try options.encoding.map { (e: String) throws(DatabaseError) -> String in try Self.encodingName(e) }

        // O_EXCL: an existing file is never reused or truncated, even if it appears meanwhile.
        let fd = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        if fd < 0 {
            let code = errno
            if code == EEXIST {
                if options.ifNotExists { return }
                throw SQLiteErrorMapping.driver(.duplicateObject, "database file \(name) already exists")
            }
            throw Self.fileError(code, "cannot create database file \(name)")
        }
        Foundation.close(fd)
        do {
            try writeHeader(path, encoding: encoding)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Deletes a database file and its journal files.
    func drop(_ name: String, ifExists: Bool) throws(DatabaseError) {
        let path = try path(of: name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if ifExists { return }
            throw SQLiteErrorMapping.driver(.unknownDatabase, "database file \(name) does not exist")
        }
        guard !isDirectory.boolValue, Self.isDatabaseFile(path) else {
            throw SQLiteErrorMapping.driver(.invalidValue, "\(name) is not a SQLite database file; it was left in place")
        }
        for file in [path] + Self.siblingSuffixes.map({ path + $0 }) {
            if unlink(file) != 0 && errno != ENOENT {
                throw Self.fileError(errno, "cannot delete \(file)")
            }
        }
    }

    /// True for an empty file or one that starts with SQLite's header.
    static func isDatabaseFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header.isEmpty || header == Data("SQLite format 3\0".utf8)
    }

    private static func encodingName(_ requested: String) throws(DatabaseError) -> String {
        switch requested.uppercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "") {
        case "UTF8": return "UTF-8"
        case "UTF16": return "UTF-16"
        case "UTF16LE": return "UTF-16le"
        case "UTF16BE": return "UTF-16be"
        default:
            throw SQLiteErrorMapping.driver(.invalidValue, "SQLite encodings are UTF-8, UTF-16, UTF-16le and UTF-16be")
        }
    }

    /// Opens the new file and writes its first page, so the encoding is fixed and the file is recognisably
    /// a SQLite database.
    private func writeHeader(_ path: String, encoding: String?) throws(DatabaseError) {
        var db: OpaquePointer?
        var rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        defer { sqlite3_close_v2(db) }
        guard rc == SQLITE_OK, let db else { throw SQLiteErrorMapping.error(rc, db: db) }
        // The encoding is one of four fixed words (checked above), never caller text.
        // Creating a table is what makes SQLite write page 1 with the chosen encoding; VACUUM then leaves
        // a one-page file with an empty schema.
        let sql = (encoding.map { "PRAGMA encoding = '\($0)'; " } ?? "")
            + "CREATE TABLE dbm_create_database(x); DROP TABLE dbm_create_database; VACUUM;"
        rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw SQLiteErrorMapping.error(rc, db: db, sql: sql) }
    }

    private static func fileError(_ code: Int32, _ what: String) -> DatabaseError {
        let reason = String(cString: strerror(code))
        switch code {
        case EACCES, EPERM, EROFS: return SQLiteErrorMapping.driver(.permissionDenied, "\(what): \(reason)")
        case ENOENT, ENOTDIR: return SQLiteErrorMapping.driver(.unknownDatabase, "\(what): \(reason)")
        default: return SQLiteErrorMapping.driver(.ioError, "\(what): \(reason)")
        }
    }
}
