import Foundation

/// Hands out the numbers in connection queue labels (`dbm.sqlite.1`, `dbm.sqlite.2`, ...).
///
/// `@unchecked Sendable`: `next` is only read and written under `lock`.
final class ConnectionNumbering: @unchecked Sendable {
    static let shared = ConnectionNumbering()

    private let lock = NSLock()
    private var next = 0

    /// The next number, starting at 1.
    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next
    }
}
