import JSONRPC
import Synchronization

/// The requests currently running, by id, so `$/cancelRequest` can reach them; and a count of every task the
/// connection started, so the server can wait for all of them before it returns.
final class InFlightRequests: Sendable {
    private struct Entry {
        let token: UInt64
        let cancellation: CancellationState
        var task: Task<RPCResponse, Never>?
    }

    private struct State {
        var entries: [RequestID: [Entry]] = [:]
        var nextToken: UInt64 = 0
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    /// Tasks started and not yet ended; atomic so the hot path can read it without the lock.
    private let activeTasks = Atomic<Int>(0)

    /// Registers a request about to start; returns the token that identifies this registration.
    func register(_ id: RequestID, cancellation: CancellationState) -> UInt64 {
        state.withLock { state in
            state.nextToken += 1
            state.entries[id, default: []].append(Entry(token: state.nextToken, cancellation: cancellation))
            return state.nextToken
        }
    }

    /// Attaches the task running a registered request (ignored if it already finished).
    func attach(_ task: Task<RPCResponse, Never>, to id: RequestID, token: UInt64) {
        state.withLock { state in
            guard let index = state.entries[id]?.firstIndex(where: { $0.token == token }) else { return }
            state.entries[id]![index].task = task
        }
    }

    /// Removes a request that finished.
    func finish(_ id: RequestID, token: UInt64) {
        state.withLock { state in
            state.entries[id]?.removeAll { $0.token == token }
            if state.entries[id]?.isEmpty == true { state.entries[id] = nil }
        }
    }

    /// Cancels every running request with `id`; returns whether there was one.
    @discardableResult
    func cancel(_ id: RequestID) -> Bool {
        let entries = state.withLock { $0.entries[id] ?? [] }
        for entry in entries {
            entry.cancellation.cancel()
            entry.task?.cancel()
        }
        return !entries.isEmpty
    }

    /// Cancels every running request.
    func cancelAll() {
        let entries = state.withLock { $0.entries.values.flatMap { $0 } }
        for entry in entries {
            entry.cancellation.cancel()
            entry.task?.cancel()
        }
    }

    /// Counts a task the connection is starting. Pair with ``leave()`` when it ends.
    func enter() {
        activeTasks.add(1, ordering: .relaxed)
    }

    /// Marks a counted task as ended, waking ``waitUntilIdle()`` when none remain.
    func leave() {
        guard activeTasks.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            defer { state.idleWaiters = [] }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The number of counted tasks still running (a snapshot).
    var activeTaskCount: Int { activeTasks.load(ordering: .relaxed) }

    /// Returns once every counted task has ended.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if activeTasks.load(ordering: .acquiring) == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
