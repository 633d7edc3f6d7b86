import CLibPQ
import Foundation

/// Owns one libpq connection (`PGconn *`) and frees it exactly once, on `finish()` or at deinit.
///
/// - Important: not thread-safe; only the owning `PostgreSQLConnection` uses it, on its executor.
final class ConnectionHandle {
    private(set) var pointer: OpaquePointer?

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { finish() }

    /// Closes the connection and frees it; later calls do nothing.
    func finish() {
        if let pointer { PQfinish(pointer) }
        pointer = nil
    }
}

/// Numbers connections for their executor labels (`dbm.postgresql.<n>`).
///
/// `@unchecked Sendable`: `value` is only touched under `lock`.
final class ConnectionCounter: @unchecked Sendable {
    static let shared = ConnectionCounter()
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
