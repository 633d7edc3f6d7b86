import Testing

@testable import JSONRPC

@Suite struct OpenRPCDocumentTests {
    enum Backup: RPCMethod {
        struct Params: Decodable, Sendable {
            let comment: String?
            let database: String
            let tables: [String]?
            let compression: Compression
        }
        enum Compression: String, Codable, CaseIterable, Sendable { case none, gzip, zstd }
        struct Result: Codable, Sendable {
            let backup_id: String
            let size_bytes: Int64
            let checksum: String?
        }
        static let name = "BackupManager.create_backup"
        static let summary = "Creates a backup of a database."
        static let details = "Long **markdown** text."
        static let paramDescriptions = ["database": "Name of the database.", "tables": "Only these tables."]
        static let resultDescription = "The new backup."
        static let errors = [RPCError(code: -32010, message: "Backup already running")]
    }

    enum Tables: RPCMethod {
        typealias Result = [String]
        static let name = "SchemaManager.list_tables"
        static let summary = "Lists tables."
        static let isDeprecated = true
    }

    enum Closed: RPCNotificationMethod {
        struct Params: Decodable, Sendable { let connection_id: String }
        static let name = "DatabaseManager.closed"
        static let summary = "Reports a closed connection."
    }

    private func document() -> JSONValue {
        var registry = MethodRegistry()
        registry.register(Backup.self) { _, _ in Backup.Result(backup_id: "b", size_bytes: 1, checksum: nil) }
        registry.register(Tables.self) { _, _ in [] }
        registry.registerNotification(Closed.self) { _, _ in }
        return OpenRPCDocument.generate(
            info: OpenRPCInfo(title: "dbm", version: "1.2.3", description: "Database management."),
            methods: BuiltinMethods.descriptors + registry.descriptors)
    }

    private func method(_ name: String, in document: JSONValue) throws -> JSONValue {
        try #require(document["methods"]?.arrayValue?.first { $0["name"] == .string(name) })
    }

    @Test func describesTheDocumentAndEveryMethod() {
        let document = document()
        #expect(document["openrpc"] == "1.4.0")
        #expect(document["info"] == ["title": "dbm", "version": "1.2.3", "description": "Database management."])
        #expect(document["methods"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [
            "initialize", "initialized", "shutdown", "exit", "$/cancelRequest", "rpc.discover",
            "BackupManager.create_backup", "DatabaseManager.closed", "SchemaManager.list_tables",
        ])
        #expect(document["components"] == nil)
        #expect(document["x-schema-warnings"] == nil)
    }

    @Test func listsParamsByNameWithRequiredOnesFirst() throws {
        let backup = try method("BackupManager.create_backup", in: document())
        #expect(backup["paramStructure"] == "by-name")
        #expect(backup["summary"] == "Creates a backup of a database.")
        #expect(backup["description"] == "Long **markdown** text.")
        #expect(backup["tags"] == [["name": "BackupManager"]])
        #expect(backup["params"] == [
            ["name": "database", "description": "Name of the database.", "required": true, "schema": ["type": "string"]],
            ["name": "compression", "required": true, "schema": ["type": "string", "enum": ["none", "gzip", "zstd"]]],
            ["name": "comment", "required": false, "schema": ["type": "string"]],
            ["name": "tables", "description": "Only these tables.", "required": false,
             "schema": ["type": "array", "items": ["type": "string"]]],
        ])
        #expect(backup["result"] == [
            "name": "result", "description": "The new backup.",
            "schema": [
                "type": "object",
                "properties": ["backup_id": ["type": "string"], "size_bytes": ["type": "integer"], "checksum": ["type": "string"]],
                "required": ["backup_id", "size_bytes"],
            ],
        ])
        #expect(backup["errors"] == [["code": -32010, "message": "Backup already running"]])
    }

    @Test func describesParameterlessMethodsNotificationsAndDeprecation() throws {
        let document = document()
        let tables = try method("SchemaManager.list_tables", in: document)
        #expect(tables["params"] == [])
        #expect(tables["result"]?["schema"] == ["type": "array", "items": ["type": "string"]])
        #expect(tables["deprecated"] == true)

        let closed = try method("DatabaseManager.closed", in: document)
        #expect(closed["result"] == nil)
        #expect(closed["params"] == [["name": "connection_id", "required": true, "schema": ["type": "string"]]])
    }

    @Test func describesTheBuiltinMethods() throws {
        let document = document()
        let discover = try method("rpc.discover", in: document)
        #expect(discover["params"] == [])
        #expect(discover["result"] == ["name": "OpenRPC Schema", "schema": ["$ref": "https://meta.open-rpc.org/"]])

        let initialize = try method("initialize", in: document)
        let names = initialize["params"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["processId", "clientInfo", "protocolVersion", "capabilities", "initializationOptions", "trace"])
        #expect(initialize["result"]?["schema"]?["required"] == ["serverInfo", "protocolVersion", "capabilities"])
        #expect(initialize["params"]?[1]?["schema"]?["required"] == ["name"])

        let shutdown = try method("shutdown", in: document)
        #expect(shutdown["result"]?["schema"] == ["type": "null"])

        let cancel = try method("$/cancelRequest", in: document)
        #expect(cancel["params"]?[0]?["schema"] == ["type": ["string", "integer", "null"]])
        #expect(cancel["result"] == nil)
    }

    @Test func isValidJSONThatRoundTrips() throws {
        let document = document()
        #expect(try JSONValue(parsing: document.serialized()) == document)
    }
}
