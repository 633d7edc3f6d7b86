/// The cheap cancellation check a cursor makes while rows stream: every 1024 rows it looks at
/// `Task.isCancelled` and at `cancel()` requests, and stops the statement on the server when either is set.
final class CancellationCheck {
    private let canceller: QueryCanceller
    private var rows: UInt = 0

    init(canceller: QueryCanceller) {
        self.canceller = canceller
    }

    /// Throws `.cancelled` when the task was cancelled or `cancel()` was called; asks the server to stop
    /// the statement first, so freeing the rest of the result ends quickly.
    @inline(__always)
    func check(sql: String) throws(DatabaseError) {
        rows &+= 1
        guard rows & 1023 == 0 else { return }
        if Task.isCancelled || canceller.isCancelRequested {
            canceller.cancel()
            throw .mysqlCancelled(sql: sql)
        }
    }
}
