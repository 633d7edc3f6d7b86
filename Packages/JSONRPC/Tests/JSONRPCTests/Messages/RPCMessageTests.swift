import Testing

@testable import JSONRPC

@Suite struct RPCMessageTests {
    private func classify(_ text: String) throws -> RPCMessage {
        try RPCMessage(validating: try JSONValue(parsing: text))
    }

    private func invalid(_ text: String) throws -> InvalidMessage? {
        let value = try JSONValue(parsing: text)
        do throws(InvalidMessage) {
            _ = try RPCMessage(validating: value)
            return nil
        } catch {
            return error
        }
    }

    @Test func classifiesRequestsNotificationsAndResponses() throws {
        #expect(try classify(#"{"jsonrpc":"2.0","id":7,"method":"m","params":{"a":1}}"#)
            == .request(RPCRequest(id: 7, method: "m", params: ["a": 1])))
        #expect(try classify(#"{"jsonrpc":"2.0","id":"x","method":"m"}"#) == .request(RPCRequest(id: "x", method: "m")))
        #expect(try classify(#"{"jsonrpc":"2.0","id":null,"method":"m"}"#) == .request(RPCRequest(id: .null, method: "m")))
        #expect(try classify(#"{"jsonrpc":"2.0","method":"n","params":[1]}"#)
            == .notification(RPCNotification(method: "n", params: [1])))
        #expect(try classify(#"{"jsonrpc":"2.0","id":1,"result":null}"#) == .response(RPCResponse(id: 1, result: .null)))
        #expect(try classify(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no"}}"#)
            == .response(RPCResponse(id: 1, error: RPCError(code: -32601, message: "no"))))
    }

    @Test(arguments: [
        (#"[1]"#, RequestID.null, "expected a JSON-RPC message object, got array"),
        (#"5"#, .null, "expected a JSON-RPC message object, got integer"),
        (#"{"id":1,"method":"m"}"#, .integer(1), #"missing "jsonrpc": "2.0""#),
        (#"{"jsonrpc":"1.0","id":"a","method":"m"}"#, .string("a"), #""jsonrpc" must be "2.0", got "1.0""#),
        (#"{"jsonrpc":"2.0","id":1,"method":5}"#, .integer(1), #""method" must be a string, got integer"#),
        (#"{"jsonrpc":"2.0","id":1,"method":"m","params":"x"}"#, .integer(1), #""params" must be an object or an array, got string"#),
        (#"{"jsonrpc":"2.0","id":true,"method":"m"}"#, .null, #""id" must be a string, an integer or null, got boolean"#),
        (#"{"jsonrpc":"2.0","id":1.5,"method":"m"}"#, .null, #""id" must be a string, an integer or null, got number"#),
        (#"{"jsonrpc":"2.0","id":2}"#, .integer(2), #"missing "method""#),
        (#"{"jsonrpc":"2.0","result":1}"#, .null, #"a response needs an "id""#),
        (#"{"jsonrpc":"2.0","id":3,"result":1,"error":{"code":1,"message":"m"}}"#, .integer(3),
         #"a response cannot have both "result" and "error""#),
        (#"{"jsonrpc":"2.0","id":3,"error":{"code":"x"}}"#, .integer(3),
         #""error" must be an object with an integer "code" and a string "message""#),
    ] as [(String, RequestID, String)])
    func rejectsInvalidMessagesWithTheBestKnownId(text: String, id: RequestID, detail: String) throws {
        let error = try #require(try invalid(text))
        #expect(error.id == id)
        #expect(error.error.code == RPCError.Code.invalidRequest)
        #expect(error.error.message == "Invalid request: \(detail)")
    }

    @Test func serializesResponsesCompactly() {
        var buffer: [UInt8] = []
        RPCResponse(id: "a\"b", result: ["x": 1]).serialize(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"{"jsonrpc":"2.0","id":"a\"b","result":{"x":1}}"#)

        buffer = []
        RPCResponse(id: .null, error: RPCError(code: -32700, message: "bad", data: ["type": "T"])).serialize(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self)
            == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad","data":{"type":"T"}}}"#)

        buffer = []
        RPCResponse.serializeBatch([RPCResponse(id: 1, result: true), RPCResponse(id: 2, result: .null)], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self)
            == #"[{"jsonrpc":"2.0","id":1,"result":true},{"jsonrpc":"2.0","id":2,"result":null}]"#)
    }

    @Test func serializedMessagesMatchTheirJSONValues() throws {
        let response = RPCResponse(id: 9_007_199_254_740_993, error: .methodNotFound("x"))
        var buffer: [UInt8] = []
        response.serialize(into: &buffer)
        #expect(try JSONValue(parsing: buffer) == response.jsonValue)

        let notification = RPCNotification(method: "$/progress", params: ["token": 1])
        buffer = []
        notification.serialize(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"{"jsonrpc":"2.0","method":"$/progress","params":{"token":1}}"#)
        #expect(try JSONValue(parsing: buffer) == notification.jsonValue)

        let request = RPCRequest(id: "r", method: "m")
        buffer = []
        request.serialize(into: &buffer)
        #expect(try RPCMessage(validating: try JSONValue(parsing: buffer)) == .request(request))
    }
}
