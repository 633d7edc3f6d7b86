/// `shutdown`: asks the server to stop accepting requests; answers `null`. Requests after it fail with -32600.
public enum ShutdownMethod: RPCMethod {
    public typealias Result = NullResult

    public static let name = "shutdown"
    public static let summary = "Stops accepting requests; the client should then send 'exit'."
    public static let tags = ["lifecycle"]
}
