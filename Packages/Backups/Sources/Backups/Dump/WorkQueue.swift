import Synchronization

/// Items handed out to parallel workers, one at a time, in order.
final class WorkQueue<Item: Sendable>: Sendable {
    private let items: Mutex<[Item]>

    init(_ items: [Item]) { self.items = Mutex(items.reversed()) }

    /// The next item, or `nil` when all have been taken.
    func next() -> Item? { items.withLock { $0.popLast() } }
}
