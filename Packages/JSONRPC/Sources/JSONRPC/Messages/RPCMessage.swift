/// One JSON-RPC 2.0 message, classified and validated.
public enum RPCMessage: Sendable, Hashable {
    case request(RPCRequest)
    case notification(RPCNotification)
    case response(RPCResponse)
}

/// Why a JSON value is not a valid JSON-RPC message, with the id to answer with
/// (the message's own id when it could be read, null otherwise).
public struct InvalidMessage: Error, Sendable, Hashable {
    /// The id to answer with.
    public let id: RequestID
    /// The -32600 error describing the problem.
    public let error: RPCError

    /// Creates the description of an invalid message.
    public init(id: RequestID, error: RPCError) {
        self.id = id
        self.error = error
    }

    /// The error response to send back.
    public var response: RPCResponse { RPCResponse(id: id, error: error) }
}

extension RPCMessage {
    /// Classifies one message object (not a batch) following JSON-RPC 2.0:
    /// `"jsonrpc": "2.0"` is required; a `method` with an `id` member is a request (even `"id": null`),
    /// without one a notification; `result`/`error` with an `id` is a response. `params`, when present, must
    /// be an object, an array or null.
    ///
    /// - Throws: ``InvalidMessage`` carrying a -32600 error.
    public init(validating value: JSONValue) throws(InvalidMessage) {
        guard case .object(let object) = value else {
            throw InvalidMessage(
                id: .null, error: .invalidRequest("expected a JSON-RPC message object, got \(value.typeName)"))
        }
        var id: RequestID?
        if let rawID = object["id"] {
            guard let parsed = RequestID(jsonValue: rawID) else {
                throw InvalidMessage(
                    id: .null, error: .invalidRequest("\"id\" must be a string, an integer or null, got \(rawID.typeName)"))
            }
            id = parsed
        }
        func invalid(_ detail: String) -> InvalidMessage {
            InvalidMessage(id: id ?? .null, error: .invalidRequest(detail))
        }
        switch object["jsonrpc"] {
        case .string("2.0"): break
        case nil: throw invalid(#"missing "jsonrpc": "2.0""#)
        case let other?: throw invalid(#""jsonrpc" must be "2.0", got "# + other.description)
        }
        if let rawMethod = object["method"] {
            guard case .string(let method) = rawMethod else {
                throw invalid("\"method\" must be a string, got \(rawMethod.typeName)")
            }
            let params = object["params"]
            switch params {
            case nil, .object?, .array?, .null?: break
            case let other?: throw invalid("\"params\" must be an object or an array, got \(other.typeName)")
            }
            if let id {
                self = .request(RPCRequest(id: id, method: method, params: params))
            } else {
                self = .notification(RPCNotification(method: method, params: params))
            }
            return
        }
        let result = object["result"]
        let errorValue = object["error"]
        guard result != nil || errorValue != nil else { throw invalid("missing \"method\"") }
        guard let id else { throw invalid("a response needs an \"id\"") }
        guard result == nil || errorValue == nil else { throw invalid("a response cannot have both \"result\" and \"error\"") }
        if let errorValue {
            guard let error = RPCError(jsonValue: errorValue) else {
                throw invalid("\"error\" must be an object with an integer \"code\" and a string \"message\"")
            }
            self = .response(RPCResponse(id: id, error: error))
        } else {
            self = .response(RPCResponse(id: id, result: result ?? .null))
        }
    }
}
