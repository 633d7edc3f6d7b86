/// A JSON-RPC response: the result of the request with the same ``id``, or its error.
public struct RPCResponse: Sendable, Hashable {
    /// The id of the request answered (null when it could not be read).
    public var id: RequestID
    /// The result or the error.
    public var outcome: Result<JSONValue, RPCError>

    /// Creates a response.
    public init(id: RequestID, outcome: Result<JSONValue, RPCError>) {
        self.id = id
        self.outcome = outcome
    }

    /// A successful response.
    public init(id: RequestID, result: JSONValue) {
        self.init(id: id, outcome: .success(result))
    }

    /// An error response.
    public init(id: RequestID, error: RPCError) {
        self.init(id: id, outcome: .failure(error))
    }

    /// The result, if successful.
    public var result: JSONValue? {
        if case .success(let value) = outcome { return value }
        return nil
    }

    /// The error, if failed.
    public var error: RPCError? {
        if case .failure(let error) = outcome { return error }
        return nil
    }

    /// The message as a JSON object.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["jsonrpc": "2.0", "id": id.jsonValue]
        switch outcome {
        case .success(let value): object["result"] = value
        case .failure(let error): object["error"] = error.jsonValue
        }
        return .object(object)
    }

    /// Appends the compact JSON text of the message to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        JSONSerializer.appendLiteral(#"{"jsonrpc":"2.0","id":"#, to: &buffer)
        id.serialize(into: &buffer)
        switch outcome {
        case .success(let value):
            JSONSerializer.appendLiteral(#","result":"#, to: &buffer)
            value.serialize(into: &buffer)
        case .failure(let error):
            JSONSerializer.appendLiteral(#","error":{"code":"#, to: &buffer)
            JSONSerializer.appendInteger(Int64(error.code), to: &buffer)
            JSONSerializer.appendLiteral(#","message":"#, to: &buffer)
            JSONSerializer.appendString(error.message, to: &buffer)
            if let data = error.data {
                JSONSerializer.appendLiteral(#","data":"#, to: &buffer)
                data.serialize(into: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// Appends a batch answer: the responses as one JSON array.
    public static func serializeBatch(_ responses: [RPCResponse], into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "["))
        for (index, response) in responses.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            response.serialize(into: &buffer)
        }
        buffer.append(UInt8(ascii: "]"))
    }
}
