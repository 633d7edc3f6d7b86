import JSONRPC
import Logging

/// The lifecycle methods the server answers itself: `initialize`, `shutdown`, `exit`, `$/cancelRequest`.
/// They run inline on the reader thread, in message order, so a request sent right after `initialize`
/// already sees the session running.
extension ConnectionLoop {
    /// `initialize`: shows the params to the application's hook, then answers server info, protocol version
    /// and capabilities.
    func initialize(_ request: RPCRequest) -> RPCResponse {
        let params: InitializeMethod.Params
        do {
            params = try MethodRegistry.decodeParams(InitializeMethod.Params.self, from: request.params)
        } catch {
            return RPCResponse(id: request.id, error: error as? RPCError ?? .invalidParams("\(error)"))
        }
        let configuration = connection.configuration
        do {
            try configuration.onInitialize(params)
        } catch {
            logger.warning("The application refused initialize", metadata: ["error": "\(error)"])
            return RPCResponse(id: request.id, error: error as? RPCError ?? configuration.errorMapper(error))
        }
        lifecycle.didInitialize()
        logger.info("Client initialized the session", metadata: [
            "client": "\(params.clientInfo?.name ?? "unknown")",
            "clientVersion": "\(params.clientInfo?.version ?? "unknown")",
            "protocolVersion": "\(params.protocolVersion ?? "unspecified")",
        ])
        let result = InitializeMethod.Result(
            serverInfo: configuration.serverInfo, protocolVersion: configuration.protocolVersion,
            capabilities: configuration.capabilities)
        do {
            return RPCResponse(id: request.id, result: try JSONValueEncoder().encode(result))
        } catch {
            return RPCResponse(id: request.id, error: .internalError("could not encode the initialize result: \(error)"))
        }
    }

    /// `shutdown`: stop admitting requests; answers `null`. Running requests continue.
    func shutdown(_ request: RPCRequest) -> RPCResponse {
        lifecycle.didShutDown()
        logger.info("Shutdown requested")
        return RPCResponse(id: request.id, result: .null)
    }

    /// `exit`: stop reading; the exit code is 0 after `shutdown`, 1 otherwise.
    func exit() {
        let code = lifecycle.exitCode
        logger.info("Exit requested", metadata: ["exitCode": "\(code)"])
        ending = .exit(code: code)
    }

    /// `$/cancelRequest {id}`: cancels the running request with that id; unknown ids are ignored.
    func cancelRequest(_ notification: RPCNotification) {
        guard let params = try? MethodRegistry.decodeParams(CancelRequestNotification.Params.self, from: notification.params) else {
            logger.debug("Ignoring $/cancelRequest without a valid id")
            return
        }
        let found = connection.inFlight.cancel(params.id)
        logger.debug("Cancel request", metadata: ["id": "\(params.id)", "running": "\(found)"])
    }
}
