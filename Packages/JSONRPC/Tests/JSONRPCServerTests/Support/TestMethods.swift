import JSONRPC
import Synchronization

/// The methods the server tests call.
enum TestMethods {
    /// Registers every test method; `state` is the per-test gate and notification record.
    static func registerAll(_ registry: inout MethodRegistry, state: TestState) {
        registry.register(Echo.self) { params, _ in params.value ?? .null }
        registry.register(Add.self) { params, _ in params.a + params.b }
        registry.register(Sleep.self) { params, context in
            try await Task.sleep(for: .milliseconds(params.ms))
            return "slept \(params.ms) ms for \(context.id)"
        }
        registry.register(SpinUntilCancelled.self) { _, context in
            // Polls the flag only (no Task.sleep), then returns normally: the answer must still be -32800.
            let deadline = ContinuousClock.now + .seconds(20)
            while !context.isCancelled && ContinuousClock.now < deadline {
                await Task.yield()
                try? await Task.sleep(for: .milliseconds(1))
            }
            return context.isCancelled ? "noticed cancellation" : "never cancelled"
        }
        registry.register(Fail.self) { params, _ in
            throw TestFailure(reason: params.reason)
        }
        registry.register(FailWithRPCError.self) { _, _ in
            throw RPCError(code: -32042, message: "Database is locked", data: ["type": "DatabaseLocked"])
        }
        registry.register(Progress.self) { _, context in
            context.progress.begin(title: "Copying", percentage: 0)
            context.progress.report(message: "half", percentage: 50)
            context.progress.end(message: "done")
            return true
        }
        registry.register(Notify.self) { params, context in
            context.sendNotification("test.event", params: ["text": .string(params.text)])
            return EmptyResult()
        }
        registry.register(WaitForGate.self) { _, context in
            await state.gate.wait()
            return "released \(context.id)"
        }
        registry.register(OpenGate.self) { _, _ in
            state.gate.open()
            return true
        }
        registry.registerNotification(Record.self) { params, _ in
            state.recorded.append(params.text)
        }
    }

    enum Echo: RPCMethod {
        struct Params: Decodable, Sendable { let value: JSONValue? }
        typealias Result = JSONValue
        static let name = "test.echo"
        static let summary = "Returns params.value."
    }

    enum Add: RPCMethod {
        struct Params: Decodable, Sendable { let a: Int; let b: Int }
        typealias Result = Int
        static let name = "test.add"
        static let summary = "Adds two integers."
    }

    enum Sleep: RPCMethod {
        struct Params: Decodable, Sendable { let ms: Int }
        typealias Result = String
        static let name = "test.sleep"
        static let summary = "Sleeps (cancellably)."
    }

    enum SpinUntilCancelled: RPCMethod {
        typealias Result = String
        static let name = "test.spin"
        static let summary = "Polls isCancelled until cancelled."
    }

    enum Fail: RPCMethod {
        struct Params: Decodable, Sendable { let reason: String }
        typealias Result = Bool
        static let name = "test.fail"
        static let summary = "Throws a non-RPC error."
    }

    enum FailWithRPCError: RPCMethod {
        typealias Result = Bool
        static let name = "test.rpcError"
        static let summary = "Throws an RPCError."
    }

    enum Progress: RPCMethod {
        typealias Result = Bool
        static let name = "test.progress"
        static let summary = "Reports progress."
    }

    enum Notify: RPCMethod {
        struct Params: Decodable, Sendable { let text: String }
        typealias Result = EmptyResult
        static let name = "test.notify"
        static let summary = "Sends a notification."
    }

    enum WaitForGate: RPCMethod {
        typealias Result = String
        static let name = "test.waitForGate"
        static let summary = "Waits until test.openGate is called."
    }

    enum OpenGate: RPCMethod {
        typealias Result = Bool
        static let name = "test.openGate"
        static let summary = "Releases test.waitForGate."
    }

    enum Record: RPCNotificationMethod {
        struct Params: Decodable, Sendable { let text: String }
        static let name = "test.record"
        static let summary = "Records params.text."
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { "test failure: \(reason)" }
}

/// Per-test state the test methods share with the test.
final class TestState: Sendable {
    let gate = Gate()
    let recorded = Recorded()
}

/// A one-shot barrier: `wait` suspends until `open` is called.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if isOpen { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// What the `test.record` notification handler saw.
final class Recorded: Sendable {
    private let storage = Mutex<[String]>([])

    func append(_ value: String) { storage.withLock { $0.append(value) } }
    var values: [String] { storage.withLock { $0 } }
}

/// A thread-safe counter for hooks called from the server.
final class Counter: Sendable {
    private let storage = Atomic<Int>(0)
    func increment() { storage.add(1, ordering: .relaxed) }
    var value: Int { storage.load(ordering: .relaxed) }
}
