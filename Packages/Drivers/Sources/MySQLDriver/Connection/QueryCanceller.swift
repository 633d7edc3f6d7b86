import CMariaDB
import Dispatch
import Synchronization

/// Cancels the statement a connection is running, from any thread.
///
/// MariaDB has no out-of-band cancel request: a second, short-lived connection with the same
/// configuration sends `KILL QUERY <thread id>`. That runs on a global dispatch queue, never on the
/// connection's queue (which is busy running the statement) nor on Swift's cooperative pool.
///
/// The connection brackets each statement with `begin()`/`end()`; `cancel()` only acts between them and
/// records that it did, so a statement the server finished anyway (a killed `SLEEP` returns normally)
/// still reports `.cancelled`. `end()` waits for kills still in flight, so a late `KILL QUERY` can never
/// hit the connection's next statement (on an idle connection MariaDB ignores it).
final class QueryCanceller: Sendable {
    private struct State {
        var threadID: UInt?
        var running = false
        var cancelRequested = false
    }

    private let configuration: ConnectionConfiguration
    private let state = Mutex(State())
    /// Entered for every `KILL QUERY` sent and left when it is done.
    private let pendingKills = DispatchGroup()
    /// How long `end()` waits for a kill in flight (the kill's connect can hang on a dead server).
    private static let killWait: DispatchTimeInterval = .seconds(30)

    init(configuration: ConnectionConfiguration) {
        self.configuration = configuration
    }

    /// Records the server thread of the connection once it is open; `nil` after close.
    func setThreadID(_ id: UInt?) {
        state.withLock { $0.threadID = id }
    }

    /// Marks the start of a statement.
    func begin() {
        state.withLock { $0.running = true; $0.cancelRequested = false }
    }

    /// Marks the end of a statement; returns true when `cancel()` was called while it ran, after the
    /// kill it sent has finished.
    func end() -> Bool {
        let cancelled = state.withLock { s in
            s.running = false
            defer { s.cancelRequested = false }
            return s.cancelRequested
        }
        if cancelled { _ = pendingKills.wait(timeout: .now() + Self.killWait) }
        return cancelled
    }

    /// True when `cancel()` was called since `begin()`.
    var isCancelRequested: Bool { state.withLock { $0.cancelRequested } }

    /// Asks the server to stop the running statement, if any. Returns at once; the kill happens on a
    /// background thread and its own failures are ignored (the statement then simply completes).
    func cancel() {
        let pendingKills = pendingKills
        let target: UInt? = state.withLock { s in
            guard s.running, let id = s.threadID else { return nil }
            s.cancelRequested = true
            pendingKills.enter()
            return id
        }
        guard let target else { return }
        let configuration = configuration
        DispatchQueue.global(qos: .userInitiated).async {
            Self.killQuery(thread: target, configuration: configuration)
            pendingKills.leave()
        }
    }

    private static func killQuery(thread: UInt, configuration: ConnectionConfiguration) {
        var killer = configuration
        killer.readOnly = false
        killer.applicationName = "dbm-cancel"
        guard let handle = try? MySQLHandle.connect(killer, selectDatabase: false) else { return }
        try? handle.run("KILL QUERY \(thread)")
    }
}
