/// Delivers a notification from a handler to the client; the server supplies it.
/// It must not block: the server queues the message and returns.
public typealias NotificationSink = @Sendable (RPCNotification) -> Void

/// What a request handler knows about the call it serves, and how it talks back while running.
public struct RequestContext: Sendable {
    /// The request's id.
    public let id: RequestID
    /// The method name as sent.
    public let method: String
    /// Reports `$/progress` when the client passed a `work_done_token` (or LSP `workDoneToken`);
    /// does nothing otherwise.
    public let progress: ProgressReporter
    private let cancellation: CancellationState
    private let sink: NotificationSink

    /// Creates a context. The server does this for each request; tests can build one to call handlers directly.
    public init(
        id: RequestID, method: String, progressToken: JSONValue? = nil,
        cancellation: CancellationState = CancellationState(),
        notificationSink: @escaping NotificationSink = { _ in }
    ) {
        self.id = id
        self.method = method
        self.progress = ProgressReporter(token: progressToken, sink: notificationSink)
        self.cancellation = cancellation
        self.sink = notificationSink
    }

    /// `true` once the client cancelled this request (or the server is exiting). Long work should poll it
    /// at natural boundaries, or call ``checkCancellation()``; `Task.isCancelled` reports the same.
    public var isCancelled: Bool { cancellation.isCancelled || Task.isCancelled }

    /// Throws `CancellationError` when ``isCancelled``. The server answers a cancelled request with -32800
    /// whatever the handler throws.
    public func checkCancellation() throws {
        if isCancelled { throw CancellationError() }
    }

    /// Sends a notification to the client. Non-blocking.
    public func sendNotification(_ method: String, params: JSONValue? = nil) {
        sink(RPCNotification(method: method, params: params))
    }

    /// Sends a notification whose params are encoded from `params`.
    /// - Throws: what encoding `params` throws.
    public func sendNotification<Params: Encodable>(_ method: String, params: Params) throws {
        sink(RPCNotification(method: method, params: try JSONValueEncoder().encode(params)))
    }
}

/// What a notification handler knows about the notification it serves.
public struct NotificationContext: Sendable {
    /// The method name as sent.
    public let method: String
    private let sink: NotificationSink

    /// Creates a context. The server does this for each notification; tests can build one directly.
    public init(method: String, notificationSink: @escaping NotificationSink = { _ in }) {
        self.method = method
        self.sink = notificationSink
    }

    /// Sends a notification to the client. Non-blocking.
    public func sendNotification(_ method: String, params: JSONValue? = nil) {
        sink(RPCNotification(method: method, params: params))
    }
}
