import JSONRPC
import Logging

/// What the reader thread and the request tasks of one connection share.
final class Connection: Sendable {
    let registry: MethodRegistry
    let configuration: ServerConfiguration
    let writer: OutputWriter
    let inFlight = InFlightRequests()
    /// Builds (once per server) the document `rpc.discover` answers.
    let discoveryDocument: @Sendable () -> JSONValue

    var logger: Logger { configuration.logger }

    init(
        registry: MethodRegistry, configuration: ServerConfiguration, writer: OutputWriter,
        discoveryDocument: @escaping @Sendable () -> JSONValue
    ) {
        self.registry = registry
        self.configuration = configuration
        self.writer = writer
        self.discoveryDocument = discoveryDocument
    }
}
