import Dispatch

/// A serial executor backed by one dispatch queue: a connection actor runs its blocking C calls there,
/// so a long query never occupies a thread of Swift's cooperative pool (two threads on a two-core machine).
///
/// `@unchecked Sendable`: the only stored property is a `DispatchQueue`, which is thread-safe.
public final class QueueExecutor: SerialExecutor, @unchecked Sendable {
    public let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedSerialExecutor()) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
