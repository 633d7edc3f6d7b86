/// One JSON-RPC method: its name, its parameters and result as Swift types, and its documentation.
///
/// Conform a caseless enum (or struct) per method and register a handler for it in a ``MethodRegistry``.
/// The OpenRPC document is generated from these same types (see ``OpenRPCDocument``), so keep the
/// documentation here rather than anywhere else.
///
/// ```swift
/// enum Connect: RPCMethod {
///     struct Params: Decodable, Sendable { let url: String; let timeout_ms: Int? }
///     struct Result: Codable, Sendable { let connection_id: String }
///     static let name = "DatabaseManager.connect"
///     static let summary = "Opens a connection and returns its id."
///     static let paramDescriptions = ["url": "Connection URL, e.g. postgres://host/db"]
/// }
/// ```
public protocol RPCMethod: Sendable {
    /// The params object. Absent or null params decode as `{}`; unknown members are ignored.
    associatedtype Params: Decodable & Sendable = EmptyParams
    /// The result. Use ``EmptyResult`` for `{}`, `Bool` for `true`/`false`, ``JSONValue`` for free-form.
    associatedtype Result: Codable & Sendable

    /// The wire name, e.g. "DatabaseManager.connect".
    static var name: String { get }
    /// One sentence for the OpenRPC `summary`.
    static var summary: String { get }
    /// A longer explanation (Markdown) for the OpenRPC `description`; empty by default.
    static var details: String { get }
    /// Descriptions of the top-level params members, by member name; empty by default.
    static var paramDescriptions: [String: String] { get }
    /// The OpenRPC name of the result content descriptor; "result" by default.
    static var resultName: String { get }
    /// A description of the result; empty by default.
    static var resultDescription: String { get }
    /// Application errors this method may answer with (listed in OpenRPC); empty by default.
    static var errors: [RPCError] { get }
    /// OpenRPC tags; by default the name's prefix before the last dot ("DatabaseManager").
    static var tags: [String] { get }
    /// Marks the method deprecated in OpenRPC; `false` by default.
    static var isDeprecated: Bool { get }
}

extension RPCMethod {
    public static var details: String { "" }
    public static var paramDescriptions: [String: String] { [:] }
    public static var resultName: String { "result" }
    public static var resultDescription: String { "" }
    public static var errors: [RPCError] { [] }
    public static var tags: [String] { MethodDescriptor.defaultTags(for: name) }
    public static var isDeprecated: Bool { false }
}

/// One JSON-RPC notification the server accepts: a method without a response.
public protocol RPCNotificationMethod: Sendable {
    /// The params object. Absent or null params decode as `{}`; unknown members are ignored.
    associatedtype Params: Decodable & Sendable = EmptyParams

    /// The wire name.
    static var name: String { get }
    /// One sentence for the OpenRPC `summary`.
    static var summary: String { get }
    /// A longer explanation; empty by default.
    static var details: String { get }
    /// Descriptions of the top-level params members; empty by default.
    static var paramDescriptions: [String: String] { get }
    /// OpenRPC tags; by default the name's prefix before the last dot.
    static var tags: [String] { get }
}

extension RPCNotificationMethod {
    public static var details: String { "" }
    public static var paramDescriptions: [String: String] { [:] }
    public static var tags: [String] { MethodDescriptor.defaultTags(for: name) }
}
