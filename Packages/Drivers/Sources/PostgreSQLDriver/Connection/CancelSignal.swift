import CLibPQ
import Foundation

/// Cancels the statement running on one connection, from any thread.
///
/// Holds libpq's `PGcancel` object, which `PQcancel` only reads, so it may be used while another thread
/// drives the connection. A cancel request is sent only while a statement is in flight, so a late
/// request cannot hit the connection's next statement.
///
/// `@unchecked Sendable`: every stored property is read and written under `lock`.
final class CancelSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var handle: OpaquePointer?
    private var statementRunning = false
    private var requested = false

    /// Takes ownership of a cancel object (`PQgetCancel`); `nil` until the connection is open.
    init(_ handle: OpaquePointer?) {
        self.handle = handle
    }

    /// Takes ownership of the open connection's cancel object, freeing any previous one.
    func install(_ newHandle: OpaquePointer?) {
        lock.withLock {
            if let handle { PQfreeCancel(handle) }
            handle = newHandle
        }
    }

    deinit {
        if let handle { PQfreeCancel(handle) }
    }

    /// Marks a statement as in flight; `cancel()` sends requests until `statementEnded()`.
    func statementStarted() {
        lock.withLock {
            statementRunning = true
            requested = false
        }
    }

    func statementEnded() {
        lock.withLock {
            statementRunning = false
            requested = false
        }
    }

    /// True once `cancel()` was called during the current statement.
    var wasRequested: Bool { lock.withLock { requested } }

    /// Asks the server to cancel the running statement. Does nothing when no statement is in flight.
    /// Blocks for one round trip to the server (a separate connection to the postmaster).
    func cancel() {
        lock.withLock {
            guard statementRunning, let handle else { return }
            requested = true
            var buffer = [CChar](repeating: 0, count: 256)
            _ = PQcancel(handle, &buffer, Int32(buffer.count))
        }
    }

    /// Frees the cancel object; later `cancel()` calls do nothing. Called when the connection closes.
    func invalidate() {
        lock.withLock {
            if let handle { PQfreeCancel(handle) }
            handle = nil
            statementRunning = false
        }
    }
}
