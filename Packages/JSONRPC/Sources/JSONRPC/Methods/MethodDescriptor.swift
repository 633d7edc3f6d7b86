/// Everything the OpenRPC document says about one method or notification, taken from its Swift type.
public struct MethodDescriptor: Sendable {
    public let name: String
    public let summary: String
    public let details: String
    public let paramDescriptions: [String: String]
    public let resultName: String
    public let resultDescription: String
    public let errors: [RPCError]
    public let tags: [String]
    public let isDeprecated: Bool
    /// `true` for notifications: the OpenRPC method has no `result`.
    public let isNotification: Bool
    /// Records the params type's schema (opened generically, since the type is only known here).
    let paramsSchema: @Sendable (SchemaGenerator) -> JSONValue
    /// Records the result type's schema; `nil` for notifications.
    let resultSchema: (@Sendable (SchemaGenerator) -> JSONValue)?

    /// Describes a request method.
    public init<Method: RPCMethod>(_ method: Method.Type) {
        name = Method.name
        summary = Method.summary
        details = Method.details
        paramDescriptions = Method.paramDescriptions
        resultName = Method.resultName
        resultDescription = Method.resultDescription
        errors = Method.errors
        tags = Method.tags
        isDeprecated = Method.isDeprecated
        isNotification = false
        paramsSchema = { $0.schema(for: Method.Params.self) }
        resultSchema = { $0.schema(for: Method.Result.self) }
    }

    /// Describes a notification.
    public init<Notification: RPCNotificationMethod>(notification: Notification.Type) {
        name = Notification.name
        summary = Notification.summary
        details = Notification.details
        paramDescriptions = Notification.paramDescriptions
        resultName = ""
        resultDescription = ""
        errors = []
        tags = Notification.tags
        isDeprecated = false
        isNotification = true
        paramsSchema = { $0.schema(for: Notification.Params.self) }
        resultSchema = nil
    }

    /// The prefix of `name` before its last dot, as a one-element list; empty when there is no dot.
    public static func defaultTags(for name: String) -> [String] {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return [] }
        return [String(name[..<dot])]
    }
}
