import Testing

@testable import JSONRPC

@Suite struct SchemaGeneratorTests {
    enum Engine: String, Codable, CaseIterable, Sendable { case sqlite, postgres, mysql }
    enum Priority: Int, Codable, CaseIterable, Sendable { case low = 1, high = 2 }
    enum Unlisted: String, Codable, Sendable { case a, b }

    struct Limits: Codable, Sendable {
        let max_rows: Int
        let timeout_ms: Int?
    }

    struct ConnectParams: Decodable, Sendable {
        let url: String
        let engine: Engine
        let limits: Limits
        let tags: [String]
        let options: [String: Int]?
        let labels: Set<String>
        let retries: UInt8?
        let ratio: Double
        let extra: JSONValue?
        let priorities: [Priority]
        let maybe: [String?]
    }

    @Test func recordsMembersTypesAndOptionality() throws {
        let schema = SchemaGenerator().schema(for: ConnectParams.self)
        #expect(schema["type"] == "object")
        #expect(schema["properties"]?.objectValue?.keys
            == ["url", "engine", "limits", "tags", "options", "labels", "retries", "ratio", "extra", "priorities", "maybe"])
        #expect(schema["required"] == ["url", "engine", "limits", "tags", "labels", "ratio", "priorities", "maybe"])
        let properties = try #require(schema["properties"])
        #expect(properties["url"] == ["type": "string"])
        #expect(properties["engine"] == ["type": "string", "enum": ["sqlite", "postgres", "mysql"]])
        #expect(properties["limits"] == [
            "type": "object",
            "properties": ["max_rows": ["type": "integer"], "timeout_ms": ["type": "integer"]],
            "required": ["max_rows"],
        ])
        #expect(properties["tags"] == ["type": "array", "items": ["type": "string"]])
        #expect(properties["options"] == ["type": "object", "additionalProperties": ["type": "integer"]])
        #expect(properties["labels"] == ["type": "array", "items": ["type": "string"], "uniqueItems": true])
        #expect(properties["retries"] == ["type": "integer", "minimum": 0])
        #expect(properties["ratio"] == ["type": "number"])
        #expect(properties["extra"] == .emptyObject)
        #expect(properties["priorities"] == ["type": "array", "items": ["type": "integer", "enum": [1, 2]]])
        #expect(properties["maybe"] == ["type": "array", "items": ["type": ["string", "null"]]])
    }

    @Test func describesLeafAndBuiltinTypes() {
        let generator = SchemaGenerator()
        #expect(generator.schema(for: Bool.self) == ["type": "boolean"])
        #expect(generator.schema(for: EmptyParams.self) == ["type": "object"])
        #expect(generator.schema(for: EmptyResult.self) == ["type": "object", "properties": .emptyObject])
        #expect(generator.schema(for: NullResult.self) == ["type": "null"])
        #expect(generator.schema(for: Int?.self) == ["type": ["integer", "null"]])
        #expect(generator.schema(for: Engine?.self) == ["type": ["string", "null"], "enum": ["sqlite", "postgres", "mysql", .null]])
        #expect(generator.schema(for: RequestID.self) == ["type": ["string", "integer", "null"]])
        #expect(generator.warnings.isEmpty)
    }

    struct TreeNode: Codable, Sendable {
        let name: String
        let children: [TreeNode]
    }

    final class LinkedNode: Codable, Sendable {
        let value: Int
        let next: LinkedNode?
    }

    @Test func refersToRecursiveTypesThroughComponents() throws {
        let generator = SchemaGenerator()
        let tree = generator.schema(for: TreeNode.self)
        let reference = try #require(tree["$ref"]?.stringValue)
        #expect(reference.hasPrefix("#/components/schemas/"))
        let name = String(reference.dropFirst("#/components/schemas/".count))
        #expect(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })
        #expect(generator.components[name] == [
            "type": "object",
            "properties": ["name": ["type": "string"], "children": ["type": "array", "items": tree]],
            "required": ["name", "children"],
        ])

        let list = generator.schema(for: LinkedNode.self)
        let listName = String(try #require(list["$ref"]?.stringValue).dropFirst("#/components/schemas/".count))
        let definition = try #require(generator.components[listName])
        #expect(definition["required"] == ["value"])
        #expect(definition["properties"]?["next"] == list)
        #expect(generator.warnings.isEmpty)
    }

    /// A port number that refuses 0: it states its schema with an example the recorder can decode.
    struct Port: Codable, Sendable, JSONSchemaProviding {
        let value: Int
        init(from decoder: any Decoder) throws {
            value = try decoder.singleValueContainer().decode(Int.self)
            guard (1...65535).contains(value) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad port"))
            }
        }
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
        static var jsonSchema: JSONValue { ["type": "integer", "minimum": 1, "maximum": 65535, "examples": [5432]] }
    }

    struct Endpoint: Decodable, Sendable {
        let port: Port
        let host: String
    }

    @Test func usesProvidedSchemasAndTheirExamplesForValidatingTypes() {
        let generator = SchemaGenerator()
        #expect(generator.schema(for: Endpoint.self) == [
            "type": "object",
            "properties": ["port": Port.jsonSchema, "host": ["type": "string"]],
            "required": ["port", "host"],
        ])
        #expect(generator.warnings.isEmpty)
    }

    struct Strict: Decodable, Sendable {
        let name: String
        init(from decoder: any Decoder) throws {
            enum Keys: String, CodingKey { case name }
            name = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .name)
            guard !name.isEmpty else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "empty")) }
        }
    }

    struct Outer: Decodable, Sendable {
        let mode: Unlisted?
        let strict: Strict
        let after: Int
    }

    @Test func keepsWhatItRecordedWhenAnInitializerRejectsSamples() throws {
        let generator = SchemaGenerator()
        let schema = generator.schema(for: Outer.self)
        // The optional enum without samples is answered with nil, so recording goes on past it.
        #expect(schema["properties"]?["mode"] == ["type": "string"])
        // Strict's own members were recorded before its initializer rejected the empty sample.
        #expect(schema["properties"]?["strict"] == [
            "type": "object", "properties": ["name": ["type": "string"]], "required": ["name"],
        ])
        // Recording stops at the member that has no sample; the warnings say so.
        #expect(schema["properties"]?["after"] == nil)
        #expect(generator.warnings.count == 3)
        #expect(generator.warnings.contains { $0.contains("Strict") && $0.contains("rejected the sample values") })
        #expect(generator.warnings.contains { $0.contains("Outer") && $0.contains("'strict'") })
    }

    @Test func followsHandWrittenDecoders() {
        struct Custom: Decodable, Sendable {
            init(from decoder: any Decoder) throws {
                enum Keys: String, CodingKey { case window, flags, note }
                enum Window: String, CodingKey { case start, end }
                let container = try decoder.container(keyedBy: Keys.self)
                let window = try container.nestedContainer(keyedBy: Window.self, forKey: .window)
                _ = try window.decode(Int64.self, forKey: .start)
                _ = try window.decodeIfPresent(Int64.self, forKey: .end)
                var flags = try container.nestedUnkeyedContainer(forKey: .flags)
                while !flags.isAtEnd { _ = try flags.decode(Bool.self) }
                if try !container.decodeNil(forKey: .note) { _ = try container.decode(String.self, forKey: .note) }
            }
        }
        #expect(SchemaGenerator().schema(for: Custom.self) == [
            "type": "object",
            "properties": [
                "window": [
                    "type": "object", "properties": ["start": ["type": "integer"], "end": ["type": "integer"]],
                    "required": ["start"],
                ],
                "flags": ["type": "array", "items": ["type": "boolean"]],
                "note": ["type": "string"],
            ],
            "required": ["window", "flags"],
        ])
    }

    struct Described: Decodable, Sendable, JSONSchemaDescribing {
        let table: String
        static let schemaDescription: String? = "A table reference."
        static let propertyDescriptions = ["table": "Qualified table name."]
    }

    @Test func addsDescriptionsFromDescribingTypes() {
        #expect(SchemaGenerator().schema(for: Described.self) == [
            "type": "object",
            "properties": ["table": ["type": "string", "description": "Qualified table name."]],
            "required": ["table"],
            "description": "A table reference.",
        ])
    }
}
