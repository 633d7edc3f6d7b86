import Foundation

/// The spec's `BackupError`: why a backup, restore, validation or catalog operation failed.
///
/// Match a kind with `catch let error as BackupError where error.code == .wrongKey`.
/// - Important: `description` never contains a key, a password or a row value.
public struct BackupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A parameter is missing or has a value the spec does not allow (`backup_type`, `compression`, ...).
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// No backup at the given path, or no manifest inside it.
        public static let notFound = Code(rawValue: "not_found")
        /// An incremental or differential backup found no earlier backup of the database to build on.
        public static let noBaseBackup = Code(rawValue: "no_base_backup")
        /// A chunk or the manifest does not match its recorded SHA-256, or cannot be decompressed.
        public static let corrupt = Code(rawValue: "corrupt")
        /// The backup is encrypted and no key was given (environment variable or key file).
        public static let missingKey = Code(rawValue: "missing_key")
        /// The key given is not the key the backup was encrypted with.
        public static let wrongKey = Code(rawValue: "wrong_key")
        /// Deleting would leave an incremental or differential backup without a chunk it needs.
        public static let chainDependency = Code(rawValue: "chain_dependency")
        /// Reading or writing a file failed (permissions, disk full).
        public static let storage = Code(rawValue: "storage")
        /// The database failed while being read or restored; `underlying` carries the `DatabaseError`.
        public static let database = Code(rawValue: "database")
        /// The target database already holds tables; restores go into an empty database.
        public static let targetNotEmpty = Code(rawValue: "target_not_empty")
        /// The operation was cancelled; nothing was left that looks completed.
        public static let cancelled = Code(rawValue: "cancelled")
        /// A schedule expression could not be parsed.
        public static let invalidSchedule = Code(rawValue: "invalid_schedule")
        /// A restore into a scratch database did not give back the rows the manifest records.
        public static let restoreMismatch = Code(rawValue: "restore_mismatch")
    }

    public var code: Code
    public var message: String
    /// The backup's path or id, when the failure concerns one backup.
    public var backupPath: String?
    /// The database error behind a `.database` failure.
    public var underlying: String?

    public init(_ code: Code, _ message: String, backupPath: String? = nil, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.backupPath = backupPath
        self.underlying = underlying
    }

    public var description: String { message }

    /// Wraps any error raised while talking to a database or the file system.
    static func wrap(_ error: any Error, _ context: String) -> BackupError {
        if let error = error as? BackupError { return error }
        if error is CancellationError { return BackupError(.cancelled, "\(context): cancelled") }
        if let db = error as? DatabaseError {
            if db.code == .cancelled { return BackupError(.cancelled, "\(context): cancelled") }
            return BackupError(.database, "\(context): \(db.description)", underlying: db.code.rawValue)
        }
        if let code = posixCode(of: error) { return SecureFile.storageError(code, context) }
        return BackupError(.storage, "\(context): \(error.localizedDescription)")
    }

    /// Runs `body`, whose errors are `BackupError`s (any other is wrapped as `.storage`).
    static func rethrowing<T>(_ body: () throws -> T) throws(BackupError) -> T {
        do { return try body() } catch { throw wrap(error, "reading the backup's chunks") }
    }

    /// The errno behind a Foundation file error (`FileHandle.write`, `Data.write`), when there is one.
    static func posixCode(of error: any Error) -> Int32? {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return nil
    }
}

import DatabaseDriver
