import Testing

@testable import JSONRPC

@Suite struct JSONValueEncoderTests {
    enum Kind: String, Codable { case table, view }

    struct Column: Codable, Equatable {
        let name: String
        let nullable: Bool
        let comment: String?
    }

    struct Table: Codable, Equatable {
        let name: String
        let kind: Kind
        let rows: Int64
        let size: UInt64
        let ratio: Double
        let columns: [Column]
        let stats: [String: Int]
        let raw: JSONValue
    }

    private let table = Table(
        name: "users", kind: .table, rows: 42, size: .max, ratio: 0.5,
        columns: [Column(name: "id", nullable: false, comment: nil), Column(name: "email", nullable: true, comment: "login")],
        stats: ["reads": 3], raw: ["keep": [1, "order"]])

    @Test func encodesMembersInDeclarationOrderAndOmitsNilOptionals() throws {
        let value = try JSONValueEncoder().encode(table)
        #expect(value.objectValue?.keys == ["name", "kind", "rows", "size", "ratio", "columns", "stats", "raw"])
        #expect(value["kind"] == "table")
        #expect(value["rows"] == .integer(42))
        #expect(value["size"] == .double(Double(UInt64.max)))
        #expect(value["columns"]?[0]?.objectValue?.keys == ["name", "nullable"])
        #expect(value["columns"]?[1]?["comment"] == "login")
        #expect(value["stats"] == ["reads": 3])
        #expect(value["raw"] == ["keep": [1, "order"]])
    }

    @Test func roundTripsThroughTheDecoder() throws {
        var exact = table
        exact = Table(
            name: exact.name, kind: .view, rows: -1, size: 9, ratio: 1e-9, columns: exact.columns, stats: [:],
            raw: .null)
        let value = try JSONValueEncoder().encode(exact)
        #expect(try JSONValueDecoder().decode(Table.self, from: value) == exact)
    }

    @Test func encodesLeafValuesDirectly() throws {
        let encoder = JSONValueEncoder()
        #expect(try encoder.encode("s") == "s")
        #expect(try encoder.encode(7) == 7)
        #expect(try encoder.encode(true) == true)
        #expect(try encoder.encode([1, 2]) == [1, 2])
        #expect(try encoder.encode(Optional<Int>.none) == .null)
        #expect(try encoder.encode(EmptyResult()) == .emptyObject)
        #expect(try encoder.encode(NullResult()) == .null)
    }

    @Test func supportsNestedAndSuperEncoders() throws {
        struct Custom: Encodable {
            enum Keys: String, CodingKey { case outer, list, parent }
            enum Inner: String, CodingKey { case inner }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var outer = container.nestedContainer(keyedBy: Inner.self, forKey: .outer)
                try outer.encode(1, forKey: .inner)
                var list = container.nestedUnkeyedContainer(forKey: .list)
                try list.encode("a")
                try list.encodeNil()
                var nested = list.nestedContainer(keyedBy: Inner.self)
                try nested.encode(2, forKey: .inner)
                let parent = container.superEncoder(forKey: .parent)
                var single = parent.singleValueContainer()
                try single.encode("p")
            }
        }
        let value = try JSONValueEncoder().encode(Custom())
        #expect(value == ["outer": ["inner": 1], "list": ["a", .null, ["inner": 2]], "parent": "p"])
        #expect(value.description == #"{"outer":{"inner":1},"list":["a",null,{"inner":2}],"parent":"p"}"#)
    }
}
