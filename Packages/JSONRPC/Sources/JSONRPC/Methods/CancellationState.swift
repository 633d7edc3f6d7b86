import Synchronization

/// A thread-safe "cancelled" flag shared between the server (which sets it on `$/cancelRequest`) and the
/// handler (which polls it through ``RequestContext/isCancelled``).
public final class CancellationState: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A flag that is not cancelled yet.
    public init() {}

    /// Marks the request cancelled. Idempotent.
    public func cancel() { flag.store(true, ordering: .releasing) }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .acquiring) }
}
