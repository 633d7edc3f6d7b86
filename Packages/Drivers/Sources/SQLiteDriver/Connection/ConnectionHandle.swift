import CSQLite
import Foundation

/// Owns a connection's `sqlite3` handle: closes it exactly once, by `close()` or on release, and lets
/// any thread interrupt it.
///
/// `sqlite3_interrupt` is safe from any thread, but not while the handle is being closed; the lock makes
/// "interrupt" and "close" mutually exclusive.
///
/// `@unchecked Sendable`: `pointer` is only written under `lock` (by `attach` and `close`, called from the
/// owning connection actor). The actor reads it without the lock, which is safe because the actor is
/// the only writer; other threads only reach it through `interrupt()`, under the lock.
final class ConnectionHandle: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var pointer: OpaquePointer?

    init() {}

    deinit {
        // No other reference exists any more, so nothing can be running on the handle.
        if let pointer { sqlite3_close_v2(pointer) }
    }

    /// Takes ownership of a freshly opened handle.
    func attach(_ db: OpaquePointer) {
        lock.lock()
        defer { lock.unlock() }
        pointer = db
    }

    /// Interrupts the statements running on the connection now; does nothing once it is closed.
    func interrupt() {
        lock.lock()
        defer { lock.unlock() }
        if let pointer { sqlite3_interrupt(pointer) }
    }

    /// Closes the handle; later calls do nothing. An open transaction is rolled back.
    func close() {
        lock.lock()
        let db = pointer
        pointer = nil
        lock.unlock()
        if let db { sqlite3_close_v2(db) }
    }
}
