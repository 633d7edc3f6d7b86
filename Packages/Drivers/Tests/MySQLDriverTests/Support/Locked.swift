import Synchronization

/// A value shared between a test and a cursor body running on the connection's queue.
final class Locked<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    func get() -> Value { storage.withLock { $0 } }
    func set(_ newValue: Value) { storage.withLock { $0 = newValue } }
}
