import JSONRPC

/// The LSP-style phases of a session and what each admits:
/// awaiting `initialize` → running → shut down (after `shutdown`) → `exit`.
struct SessionLifecycle {
    enum Phase: Equatable {
        /// Only `initialize` is answered; other requests get -32002; notifications other than `exit` are dropped.
        case awaitingInitialize
        /// Everything is served.
        case running
        /// After `shutdown`: requests get -32600; notifications other than `exit` and `$/cancelRequest` are dropped.
        case shutDown
    }

    private(set) var phase: Phase
    /// Whether `initialize` was answered (it is accepted once, even when not required).
    private(set) var isInitialized = false

    init(requiresInitialize: Bool) {
        phase = requiresInitialize ? .awaitingInitialize : .running
    }

    /// The error for a request that this phase does not admit, or `nil` when it may run.
    func rejection(forRequest method: String) -> RPCError? {
        switch phase {
        case .awaitingInitialize:
            return method == InitializeMethod.name ? nil : .serverNotInitialized
        case .shutDown:
            return .invalidRequest("the server is shutting down; only 'exit' is accepted")
        case .running:
            if method == InitializeMethod.name && isInitialized {
                return .invalidRequest("'initialize' may only be sent once")
            }
            return nil
        }
    }

    /// Whether a notification is processed in this phase.
    func admits(notification method: String) -> Bool {
        switch method {
        case ExitNotification.name: return true
        case CancelRequestNotification.name: return phase != .awaitingInitialize
        default: return phase == .running
        }
    }

    /// The exit code for `exit`: 0 after `shutdown`, 1 otherwise.
    var exitCode: Int32 { phase == .shutDown ? 0 : 1 }

    mutating func didInitialize() {
        isInitialized = true
        if phase == .awaitingInitialize { phase = .running }
    }

    mutating func didShutDown() {
        phase = .shutDown
    }
}
