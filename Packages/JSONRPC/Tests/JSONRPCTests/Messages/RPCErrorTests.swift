import Testing

@testable import JSONRPC

@Suite struct RPCErrorTests {
    @Test func standardErrorsCarryTheSpecCodes() {
        #expect(RPCError.parseError("x").code == -32700)
        #expect(RPCError.invalidRequest("x").code == -32600)
        #expect(RPCError.methodNotFound("m").code == -32601)
        #expect(RPCError.methodNotFound("m").message == "Method not found: m")
        #expect(RPCError.invalidParams("params.a: bad").code == -32602)
        #expect(RPCError.internalError("x").code == -32603)
        #expect(RPCError.serverNotInitialized.code == -32002)
        #expect(RPCError.requestCancelled.code == -32800)
    }

    @Test func convertsToAndFromErrorObjects() {
        let error = RPCError(code: -32001, message: "Locked", data: ["type": "DatabaseLocked"])
        #expect(error.jsonValue == ["code": -32001, "message": "Locked", "data": ["type": "DatabaseLocked"]])
        #expect(RPCError(jsonValue: error.jsonValue) == error)
        #expect(RPCError(jsonValue: ["code": "x", "message": "m"]) == nil)
        #expect(RPCError(code: 1, message: "m").jsonValue.objectValue?.keys == ["code", "message"])
    }

    @Test func matchesByCodeInCatchClauses() {
        func classify(_ error: any Error) -> String {
            do {
                throw error
            } catch RPCError.requestCancelled {
                return "cancelled"
            } catch RPCError.serverNotInitialized {
                return "not initialized"
            } catch {
                return "other"
            }
        }
        #expect(classify(RPCError(code: -32800, message: "custom text")) == "cancelled")
        #expect(classify(RPCError.serverNotInitialized) == "not initialized")
        #expect(classify(CancellationError()) == "other")
    }
}
