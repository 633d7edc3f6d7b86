/// `$/cancelRequest`: cancels a running request, which then answers -32800. Unknown or finished ids are ignored.
public enum CancelRequestNotification: RPCNotificationMethod {
    /// Which request to cancel.
    public struct Params: Codable, Sendable, Hashable {
        /// The id of the request to cancel.
        public var id: RequestID

        /// Creates cancel params.
        public init(id: RequestID) {
            self.id = id
        }
    }

    public static let name = "$/cancelRequest"
    public static let summary = "Cancels the running request with the given id; it then answers -32800."
    public static let paramDescriptions = ["id": "The id of the request to cancel."]
    public static let tags = ["lifecycle"]
}
