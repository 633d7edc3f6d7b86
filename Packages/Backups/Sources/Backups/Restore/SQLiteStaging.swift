import Foundation

/// A SQLite restore into a file that does not exist yet (or is empty) is written to a hidden staging file
/// in the same directory, with no journal and no syncs, then synced once and renamed over the target: the
/// target appears complete or not at all, and a failed restore leaves nothing behind.
///
/// Not used (the restore writes in place, inside one transaction) when the target already holds data,
/// has a `-wal` or `-journal` file beside it (renaming over it could pair the new file with an old log),
/// or is not a plain path (`:memory:`, `file:` URIs).
struct SQLiteStaging: Sendable {
    let targetPath: String
    let buildPath: String

    init?(target path: String) {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return nil }
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            let size = (try? manager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? -1
            guard size == 0 else { return nil }
        }
        for suffix in ["-wal", "-journal", "-shm"] where manager.fileExists(atPath: path + suffix) { return nil }
        let url = URL(fileURLWithPath: path)
        let random = (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        targetPath = path
        buildPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).restore-\(random)").path
    }

    static let lockSuffix = ".lock"

    /// Takes the lock that marks the staging file as being built, until the returned descriptor is closed
    /// (or the process dies: that is how a killed restore's staging file is told from a running one's).
    func lock() throws(BackupError) -> Int32 {
        try WriterLock.take(buildPath + Self.lockSuffix, for: "the restore's staging file \(buildPath)")
    }

    /// Ends `lock()`: removes the lock file and releases it.
    func unlock(_ descriptor: Int32) {
        WriterLock.release(descriptor, at: buildPath + Self.lockSuffix)
    }

    /// Removes the staging files beside `targetPath` that no running restore holds: what a killed restore
    /// left behind. Returns their paths.
    @discardableResult
    static func removeAbandoned(besides targetPath: String) -> [String] {
        let url = URL(fileURLWithPath: targetPath)
        let directory = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent).restore-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var removed = [String]()
        for name in names where name.hasPrefix(prefix) && !name.contains("-journal") && !name.hasSuffix("-wal")
            && !name.hasSuffix("-shm") && !name.hasSuffix(lockSuffix) {
            let path = directory.appendingPathComponent(name).path
            // No lock file: not ours, or just being created. A held lock: a restore is building it.
            let state = WriterLock.state(of: path + lockSuffix) {
                for suffix in ["", "-journal", "-wal", "-shm", lockSuffix] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            if state == .abandoned { removed.append(path) }
        }
        return removed
    }

    /// Builds the target in the staging file: removes what killed restores left beside it, holds the lock
    /// while `body` writes `buildPath`, then syncs and renames it into place; a failed build leaves nothing.
    func build<T>(_ body: (_ buildPath: String) async throws -> T) async throws -> T {
        Self.removeAbandoned(besides: targetPath)
        let lock = try lock()
        defer { unlock(lock) }
        do {
            let result = try await body(buildPath)
            try commit()
            return result
        } catch {
            discard()
            throw error
        }
    }

    /// Syncs the staging file and renames it over the target.
    func commit() throws(BackupError) {
        let descriptor = open(buildPath, O_RDONLY)
        guard descriptor >= 0 else { throw BackupError(.storage, "cannot open the restored database file to sync it (errno \(errno))") }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard synced else { throw BackupError(.storage, "cannot sync the restored database file (errno \(errno))") }
        guard rename(buildPath, targetPath) == 0 else {
            throw BackupError(.storage, "cannot move the restored database into place (errno \(errno))")
        }
    }

    /// Removes the staging file after a failed restore.
    func discard() {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: buildPath + suffix) }
    }
}
