import Synchronization
import Testing

@testable import JSONRPC

@Suite struct RequestContextTests {
    /// Collects what a context sends.
    final class Outbox: Sendable {
        private let storage = Mutex<[RPCNotification]>([])
        var sink: NotificationSink { { notification in self.storage.withLock { $0.append(notification) } } }
        var sent: [RPCNotification] { storage.withLock { $0 } }
    }

    @Test func findsProgressTokensUnderBothSpellings() {
        #expect(ProgressReporter.token(in: ["work_done_token": "t1"]) == "t1")
        #expect(ProgressReporter.token(in: ["workDoneToken": 7]) == 7)
        #expect(ProgressReporter.token(in: ["workDoneToken": ["not": "a token"]]) == nil)
        #expect(ProgressReporter.token(in: ["other": 1]) == nil)
        #expect(ProgressReporter.token(in: nil) == nil)
        #expect(ProgressReporter.token(in: [1, 2]) == nil)
    }

    @Test func sendsProgressNotificationsWhenATokenWasGiven() {
        let outbox = Outbox()
        let context = RequestContext(id: 1, method: "m", progressToken: "tok", notificationSink: outbox.sink)
        #expect(context.progress.isEnabled)
        context.progress.begin(title: "Backup", message: "starting", percentage: -5, cancellable: true)
        context.progress.report(message: "half", percentage: 50)
        context.progress.report(percentage: 250)
        context.progress.end(message: "done")
        #expect(outbox.sent.map(\.method) == ["$/progress", "$/progress", "$/progress", "$/progress"])
        #expect(outbox.sent.map(\.params) == [
            ["token": "tok", "value": ["kind": "begin", "title": "Backup", "cancellable": true, "message": "starting", "percentage": 0]],
            ["token": "tok", "value": ["kind": "report", "message": "half", "percentage": 50]],
            ["token": "tok", "value": ["kind": "report", "percentage": 100]],
            ["token": "tok", "value": ["kind": "end", "message": "done"]],
        ])
    }

    @Test func progressIsSilentWithoutAToken() {
        let outbox = Outbox()
        let context = RequestContext(id: 1, method: "m", notificationSink: outbox.sink)
        #expect(!context.progress.isEnabled)
        context.progress.begin(title: "x")
        context.progress.end()
        #expect(outbox.sent.isEmpty)
    }

    @Test func sendsArbitraryNotifications() throws {
        struct Event: Encodable { let table: String }
        let outbox = Outbox()
        let context = RequestContext(id: "r", method: "m", notificationSink: outbox.sink)
        context.sendNotification("plain")
        try context.sendNotification("typed", params: Event(table: "users"))
        #expect(outbox.sent == [RPCNotification(method: "plain"), RPCNotification(method: "typed", params: ["table": "users"])])
    }

    @Test func reportsCancellationFromTheSharedState() {
        let cancellation = CancellationState()
        let context = RequestContext(id: 1, method: "m", cancellation: cancellation)
        #expect(!context.isCancelled)
        #expect(throws: Never.self) { try context.checkCancellation() }
        cancellation.cancel()
        #expect(context.isCancelled)
        #expect(throws: CancellationError.self) { try context.checkCancellation() }
    }

    @Test func reportsCancellationOfTheRunningTask() async {
        let task = Task {
            while !Task.isCancelled { await Task.yield() }
            return RequestContext(id: 1, method: "m").isCancelled
        }
        task.cancel()
        #expect(await task.value)
    }
}
