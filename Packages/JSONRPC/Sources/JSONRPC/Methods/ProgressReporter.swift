/// Sends LSP-style work-done progress for one request:
/// `$/progress {"token": T, "value": {"kind": "begin"|"report"|"end", "title", "message", "percentage"}}`.
///
/// Enabled only when the request's params carried a progress token (`work_done_token`, or LSP's
/// `workDoneToken`); otherwise every call is a no-op, so handlers can report unconditionally.
public struct ProgressReporter: Sendable {
    /// The client's token, or `nil` when progress was not requested.
    public let token: JSONValue?
    private let sink: NotificationSink

    /// The notification method used for progress.
    public static let method = "$/progress"

    /// A reporter for `token` (no-op when `nil`) that sends through `sink`.
    public init(token: JSONValue?, sink: @escaping NotificationSink) {
        self.token = token
        self.sink = sink
    }

    /// Whether the client asked for progress.
    public var isEnabled: Bool { token != nil }

    /// Starts the progress; `percentage` is clamped to 0…100.
    public func begin(title: String, message: String? = nil, percentage: Int? = nil, cancellable: Bool? = nil) {
        var value: JSONObject = ["kind": "begin", "title": .string(title)]
        if let cancellable { value["cancellable"] = .bool(cancellable) }
        send(value, message: message, percentage: percentage)
    }

    /// Reports intermediate progress.
    public func report(message: String? = nil, percentage: Int? = nil) {
        send(["kind": "report"], message: message, percentage: percentage)
    }

    /// Ends the progress.
    public func end(message: String? = nil) {
        send(["kind": "end"], message: message, percentage: nil)
    }

    private func send(_ value: JSONObject, message: String?, percentage: Int?) {
        guard let token else { return }
        var value = value
        if let message { value["message"] = .string(message) }
        if let percentage { value["percentage"] = .integer(Int64(min(max(percentage, 0), 100))) }
        sink(RPCNotification(method: Self.method, params: ["token": token, "value": .object(value)]))
    }

    /// The progress token in a request's params: `work_done_token` or `workDoneToken`, when it is a string
    /// or an integer.
    public static func token(in params: JSONValue?) -> JSONValue? {
        guard case .object(let object)? = params else { return nil }
        for key in ["work_done_token", "workDoneToken"] {
            switch object[key] {
            case let token? where token.stringValue != nil || token.integerValue != nil: return token
            default: continue
            }
        }
        return nil
    }
}
