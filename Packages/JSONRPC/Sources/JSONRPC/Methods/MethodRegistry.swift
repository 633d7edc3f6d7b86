/// The methods and notifications an application serves, each bound to its handler.
///
/// Build it once at start-up, then hand it to the server; it is an immutable value from then on.
///
/// ```swift
/// var registry = MethodRegistry()
/// registry.register(Connect.self) { params, context in
///     Connect.Result(connection_id: try await pool.open(params.url))
/// }
/// ```
public struct MethodRegistry: Sendable {
    private var methods: [String: RegisteredMethod] = [:]
    private var notifications: [String: RegisteredNotification] = [:]

    /// Names the server answers itself; registering them is a programming error.
    public static let reservedNames: Set<String> = [
        "initialize", "initialized", "shutdown", "exit", "$/cancelRequest", "$/progress", "rpc.discover",
    ]

    /// An empty registry.
    public init() {}

    /// Registers the handler for `method`.
    ///
    /// The handler runs in its own task, concurrently with other requests; it receives decoded params
    /// (a decoding failure answers -32602 without calling it) and returns the result to encode. Errors it
    /// throws are answered as they are when they are ``RPCError``s, through the server's error mapper otherwise.
    ///
    /// - Precondition: the name is not registered yet and is not reserved (``reservedNames``, `rpc.*`).
    public mutating func register<Method: RPCMethod>(
        _ method: Method.Type,
        handler: @escaping @Sendable (Method.Params, RequestContext) async throws -> Method.Result
    ) {
        Self.checkName(Method.name, taken: methods[Method.name] != nil || notifications[Method.name] != nil)
        methods[Method.name] = RegisteredMethod(descriptor: MethodDescriptor(method)) { params, context in
            let decoded = try Self.decodeParams(Method.Params.self, from: params)
            let result = try await handler(decoded, context)
            do {
                return try JSONValueEncoder().encode(result)
            } catch {
                throw RPCError.internalError("could not encode the result of \(Method.name): \(error)")
            }
        }
    }

    /// Registers the handler for a notification the client may send. Errors it throws are logged, never sent.
    ///
    /// - Precondition: the name is not registered yet and is not reserved.
    public mutating func registerNotification<Notification: RPCNotificationMethod>(
        _ notification: Notification.Type,
        handler: @escaping @Sendable (Notification.Params, NotificationContext) async throws -> Void
    ) {
        let name = Notification.name
        Self.checkName(name, taken: methods[name] != nil || notifications[name] != nil)
        notifications[name] = RegisteredNotification(descriptor: MethodDescriptor(notification: notification)) {
            params, context in
            try await handler(try Self.decodeParams(Notification.Params.self, from: params), context)
        }
    }

    /// The request method named `name`, if registered.
    public func method(named name: String) -> RegisteredMethod? { methods[name] }

    /// The notification named `name`, if registered.
    public func notification(named name: String) -> RegisteredNotification? { notifications[name] }

    /// Descriptions of every registered method and notification, sorted by name.
    public var descriptors: [MethodDescriptor] {
        (methods.values.map(\.descriptor) + notifications.values.map(\.descriptor)).sorted { $0.name < $1.name }
    }

    /// Decodes params, treating absent or null params as `{}`.
    /// - Throws: ``RPCError`` -32602 naming the offending path, e.g. "params.limit: expected integer, got string".
    public static func decodeParams<Params: Decodable>(_ type: Params.Type, from params: JSONValue?) throws -> Params {
        let value: JSONValue
        switch params {
        case nil, .null?: value = .emptyObject
        case let params?: value = params
        }
        do {
            return try JSONValueDecoder().decode(type, from: value)
        } catch let error as DecodingError {
            throw RPCError.invalidParams(error.message(root: "params"))
        }
    }

    private static func checkName(_ name: String, taken: Bool) {
        precondition(!name.isEmpty, "JSON-RPC method names must not be empty")
        precondition(
            !reservedNames.contains(name) && !name.hasPrefix("rpc."),
            "'\(name)' is reserved: the JSON-RPC server implements it")
        precondition(!taken, "JSON-RPC method '\(name)' is registered twice")
    }
}

/// A registered request method: its description and its type-erased handler.
public struct RegisteredMethod: Sendable {
    /// What OpenRPC says about the method.
    public let descriptor: MethodDescriptor
    private let handler: @Sendable (JSONValue?, RequestContext) async throws -> JSONValue

    init(descriptor: MethodDescriptor, handler: @escaping @Sendable (JSONValue?, RequestContext) async throws -> JSONValue) {
        self.descriptor = descriptor
        self.handler = handler
    }

    /// Decodes `params`, runs the handler and encodes its result.
    /// - Throws: ``RPCError`` -32602 for undecodable params; otherwise whatever the handler throws.
    public func invoke(params: JSONValue?, context: RequestContext) async throws -> JSONValue {
        try await handler(params, context)
    }
}

/// A registered notification: its description and its type-erased handler.
public struct RegisteredNotification: Sendable {
    /// What OpenRPC says about the notification.
    public let descriptor: MethodDescriptor
    private let handler: @Sendable (JSONValue?, NotificationContext) async throws -> Void

    init(descriptor: MethodDescriptor, handler: @escaping @Sendable (JSONValue?, NotificationContext) async throws -> Void) {
        self.descriptor = descriptor
        self.handler = handler
    }

    /// Decodes `params` and runs the handler.
    public func invoke(params: JSONValue?, context: NotificationContext) async throws {
        try await handler(params, context)
    }
}
