import Synchronization
import Testing

@testable import JSONRPC

@Suite struct MethodRegistryTests {
    enum Connect: RPCMethod {
        struct Params: Decodable, Sendable {
            let url: String
            let timeout_ms: Int?
        }
        struct Result: Codable, Sendable, Equatable {
            let connection_id: String
            let timeout_ms: Int
        }
        static let name = "DatabaseManager.connect"
        static let summary = "Opens a connection."
    }

    enum Ping: RPCMethod {
        typealias Result = Bool
        static let name = "ping"
        static let summary = "Answers true."
    }

    enum Closed: RPCNotificationMethod {
        struct Params: Decodable, Sendable { let id: String }
        static let name = "DatabaseManager.closed"
        static let summary = "A connection closed."
    }

    private func makeRegistry() -> MethodRegistry {
        var registry = MethodRegistry()
        registry.register(Connect.self) { params, context in
            Connect.Result(connection_id: "\(params.url)#\(context.id)", timeout_ms: params.timeout_ms ?? 1000)
        }
        registry.register(Ping.self) { _, _ in true }
        return registry
    }

    @Test func invokesTypedHandlersWithDecodedParams() async throws {
        let method = try #require(makeRegistry().method(named: "DatabaseManager.connect"))
        let result = try await method.invoke(
            params: ["url": "sqlite::memory:", "timeout_ms": 5, "spec_v2_extra": true],
            context: RequestContext(id: 3, method: "DatabaseManager.connect"))
        #expect(result == ["connection_id": "sqlite::memory:#3", "timeout_ms": 5])
    }

    @Test func treatsAbsentAndNullParamsAsAnEmptyObject() async throws {
        let ping = try #require(makeRegistry().method(named: "ping"))
        #expect(try await ping.invoke(params: nil, context: RequestContext(id: 1, method: "ping")) == true)
        #expect(try await ping.invoke(params: .null, context: RequestContext(id: 1, method: "ping")) == true)
        #expect(try await ping.invoke(params: ["anything": 1], context: RequestContext(id: 1, method: "ping")) == true)
    }

    @Test func reportsUndecodableParamsAsInvalidParams() async throws {
        let method = try #require(makeRegistry().method(named: "DatabaseManager.connect"))
        await #expect(throws: RPCError.invalidParams("params.url: required value is missing")) {
            _ = try await method.invoke(params: nil, context: RequestContext(id: 1, method: "m"))
        }
        await #expect(throws: RPCError.invalidParams("params.timeout_ms: expected integer, got string")) {
            _ = try await method.invoke(params: ["url": "u", "timeout_ms": "5"], context: RequestContext(id: 1, method: "m"))
        }
    }

    @Test func runsNotificationHandlers() async throws {
        var registry = MethodRegistry()
        let seen = Mutex<[String]>([])
        registry.registerNotification(Closed.self) { params, context in
            seen.withLock { $0.append("\(context.method):\(params.id)") }
        }
        let notification = try #require(registry.notification(named: "DatabaseManager.closed"))
        try await notification.invoke(params: ["id": "c1"], context: NotificationContext(method: "DatabaseManager.closed"))
        #expect(seen.withLock { $0 } == ["DatabaseManager.closed:c1"])
        #expect(registry.method(named: "DatabaseManager.closed") == nil)
    }

    @Test func listsDescriptorsByName() {
        var registry = makeRegistry()
        registry.registerNotification(Closed.self) { _, _ in }
        #expect(registry.descriptors.map(\.name) == ["DatabaseManager.closed", "DatabaseManager.connect", "ping"])
        #expect(registry.descriptors.map(\.isNotification) == [true, false, false])
        #expect(registry.descriptors[1].tags == ["DatabaseManager"])
        #expect(registry.descriptors[2].tags == [])
    }

    @Test func refusesDuplicateNames() async {
        await #expect(processExitsWith: .failure) {
            var registry = MethodRegistry()
            registry.register(Ping.self) { _, _ in true }
            registry.register(Ping.self) { _, _ in false }
        }
    }

    @Test func refusesReservedNames() async {
        enum Sneaky: RPCMethod {
            typealias Result = Bool
            static let name = "rpc.custom"
            static let summary = "Uses the reserved prefix."
        }
        await #expect(processExitsWith: .failure) {
            var registry = MethodRegistry()
            registry.register(Sneaky.self) { _, _ in true }
        }
    }
}
