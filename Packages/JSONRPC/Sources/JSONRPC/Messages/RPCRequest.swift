/// A JSON-RPC request: a call that expects a response carrying the same ``id``.
public struct RPCRequest: Sendable, Hashable {
    /// The id the response will carry.
    public var id: RequestID
    /// The method name.
    public var method: String
    /// The `params` member as sent (`nil` when absent). Methods decode absent or null params as `{}`.
    public var params: JSONValue?

    /// Creates a request.
    public init(id: RequestID, method: String, params: JSONValue? = nil) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// The message as a JSON object.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["jsonrpc": "2.0", "id": id.jsonValue, "method": .string(method)]
        if let params { object["params"] = params }
        return .object(object)
    }

    /// Appends the compact JSON text of the message to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        jsonValue.serialize(into: &buffer)
    }
}

/// A JSON-RPC notification: a call without an id, which is never answered.
public struct RPCNotification: Sendable, Hashable {
    /// The method name.
    public var method: String
    /// The `params` member as sent (`nil` when absent).
    public var params: JSONValue?

    /// Creates a notification.
    public init(method: String, params: JSONValue? = nil) {
        self.method = method
        self.params = params
    }

    /// The message as a JSON object.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { object["params"] = params }
        return .object(object)
    }

    /// Appends the compact JSON text of the message to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        JSONSerializer.appendLiteral(#"{"jsonrpc":"2.0","method":"#, to: &buffer)
        JSONSerializer.appendString(method, to: &buffer)
        if let params {
            JSONSerializer.appendLiteral(#","params":"#, to: &buffer)
            params.serialize(into: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }
}
