/// `initialized`: the client acknowledges the `initialize` answer. No reply.
public enum InitializedNotification: RPCNotificationMethod {
    public static let name = "initialized"
    public static let summary = "Acknowledges the initialize answer; the session is ready."
    public static let tags = ["lifecycle"]
}
