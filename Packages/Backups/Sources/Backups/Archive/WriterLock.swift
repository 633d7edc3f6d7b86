import Foundation

/// An exclusive `flock` on a lock file that marks something as being written (a backup's partial
/// directory, a restore's staging file). The kernel drops it when the writer's process dies, which is how
/// what a killed writer left behind is told from what a running one is still writing.
enum WriterLock {
    /// Creates the lock file and takes the lock; hold the descriptor until the work is done.
    static func take(_ lockPath: String, for what: String) throws(BackupError) -> Int32 {
        let descriptor = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            if descriptor >= 0 { close(descriptor) }
            throw BackupError(.storage, "cannot lock \(what)")
        }
        return descriptor
    }

    /// Removes the lock file and releases the lock.
    static func release(_ descriptor: Int32, at lockPath: String) {
        unlink(lockPath)
        close(descriptor)
    }

    /// What a lock file says about its writer: none yet (no lock file), still working, or gone.
    enum State { case noLockFile, held, abandoned }

    /// The state of the lock at `lockPath`; when its writer is gone, runs `clean` while holding the lock.
    static func state(of lockPath: String, cleaningIfAbandoned clean: () -> Void) -> State {
        let descriptor = open(lockPath, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return .noLockFile }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return .held }
        clean()
        return .abandoned
    }
}
