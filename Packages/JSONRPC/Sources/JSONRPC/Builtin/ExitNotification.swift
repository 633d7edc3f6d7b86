/// `exit`: ends the server process: exit code 0 after `shutdown`, 1 without.
public enum ExitNotification: RPCNotificationMethod {
    public static let name = "exit"
    public static let summary = "Ends the server; the exit code is 0 after shutdown and 1 otherwise."
    public static let tags = ["lifecycle"]
}
