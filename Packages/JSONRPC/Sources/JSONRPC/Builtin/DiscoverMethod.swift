/// `rpc.discover`: returns the server's OpenRPC document (OpenRPC service discovery).
public enum DiscoverMethod: RPCMethod {
    public typealias Params = EmptyParams
    public typealias Result = OpenRPCDocumentValue

    public static let name = "rpc.discover"
    public static let summary = "Returns the OpenRPC document describing every method of this server."
    public static let resultName = "OpenRPC Schema"
    public static let tags: [String] = ["rpc"]
}

/// An OpenRPC document as a method result; its schema is the OpenRPC meta-schema.
public struct OpenRPCDocumentValue: Codable, Sendable, Hashable, JSONSchemaProviding {
    /// The document.
    public var document: JSONValue

    /// Wraps a document.
    public init(document: JSONValue) {
        self.document = document
    }

    public init(from decoder: any Decoder) throws {
        document = try JSONValue(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder)
    }

    public static var jsonSchema: JSONValue { ["$ref": "https://meta.open-rpc.org/"] }
}
