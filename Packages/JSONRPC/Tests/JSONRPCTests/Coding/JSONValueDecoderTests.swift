import Testing

@testable import JSONRPC

@Suite struct JSONValueDecoderTests {
    enum Mode: String, Codable, Sendable { case fast, safe }

    struct Item: Codable, Equatable, Sendable {
        let name: String
        let size: Int8?
    }

    struct Params: Codable, Equatable, Sendable {
        let limit: Int
        let ratio: Double
        let tags: [String]
        let items: [Item]
        let options: [String: Bool]
        let mode: Mode
        let note: String?
        let extra: JSONValue?
    }

    private func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> T {
        try JSONValueDecoder().decode(type, from: value)
    }

    /// The rendered message of the decoding error thrown for `value`.
    private func failure<T: Decodable>(_ type: T.Type, _ value: JSONValue) -> String? {
        do {
            _ = try decode(type, value)
            return nil
        } catch let error as DecodingError {
            return error.message(root: "params")
        } catch {
            return "unexpected error \(error)"
        }
    }

    private let valid: JSONValue = [
        "limit": 10, "ratio": 2, "tags": ["a", "b"], "items": [["name": "x", "size": 3], ["name": "y"]],
        "options": ["verbose": true], "mode": "safe", "extra": ["z": 1, "a": [2.5]], "unknown": "ignored",
    ]

    @Test func decodesNestedStructuresIgnoringUnknownMembers() throws {
        let params = try decode(Params.self, valid)
        #expect(params.limit == 10)
        #expect(params.ratio == 2)
        #expect(params.tags == ["a", "b"])
        #expect(params.items == [Item(name: "x", size: 3), Item(name: "y", size: nil)])
        #expect(params.options == ["verbose": true])
        #expect(params.mode == .safe)
        #expect(params.note == nil)
        #expect(params.extra?.objectValue?.keys == ["z", "a"])
    }

    @Test func treatsNullOptionalsAsAbsent() throws {
        var object = try #require(valid.objectValue)
        object["note"] = .null
        #expect(try decode(Params.self, .object(object)).note == nil)
    }

    @Test func convertsExactNumbersBetweenIntegerAndDouble() throws {
        #expect(try decode(Int.self, .double(5)) == 5)
        #expect(try decode(Double.self, .integer(5)) == 5)
        #expect(try decode(Float.self, .double(0.5)) == 0.5)
        #expect(try decode(UInt64.self, .integer(7)) == 7)
    }

    @Test(arguments: [
        ("limit", JSONValue.string("10"), "params.limit: expected integer, got string"),
        ("limit", .double(2.5), "params.limit: expected integer, got number 2.5"),
        ("limit", .null, "params.limit: expected integer, got null"),
        ("ratio", .bool(true), "params.ratio: expected number, got boolean"),
        ("tags", .object(["a": 1]), "params.tags: expected array, got object"),
        ("tags", [1], "params.tags[0]: expected string, got integer"),
        ("items", [["name": "x"], ["name": 5]], "params.items[1].name: expected string, got integer"),
        ("items", [["name": "x", "size": 300]], "params.items[0].size: expected integer between -128 and 127, got 300"),
        ("items", [["size": 1]], "params.items[0].name: required value is missing"),
        ("options", ["verbose": "yes"], "params.options.verbose: expected boolean, got string"),
    ] as [(String, JSONValue, String)])
    func namesThePathAndTheProblem(member: String, value: JSONValue, message: String) throws {
        var object = try #require(valid.objectValue)
        object[member] = value
        #expect(failure(Params.self, .object(object)) == message)
    }

    @Test func reportsMissingRequiredMembers() throws {
        var object = try #require(valid.objectValue)
        object["limit"] = nil
        #expect(failure(Params.self, .object(object)) == "params.limit: required value is missing")
        #expect(failure(Params.self, [1, 2]) == "params: expected object, got array")
    }

    @Test func reportsInvalidEnumValues() throws {
        var object = try #require(valid.objectValue)
        object["mode"] = "reckless"
        let message = try #require(failure(Params.self, .object(object)))
        #expect(message.hasPrefix("params.mode: "))
        #expect(message.contains("reckless"))
    }

    @Test func decodesJSONValueItselfExactly() throws {
        let value: JSONValue = ["b": 1, "a": [.null, 2.5, "s"]]
        #expect(try decode(JSONValue.self, value) == value)
        #expect(try decode(JSONValue.self, value).objectValue?.keys == ["b", "a"])
    }

    @Test func supportsNestedContainersAndSuperDecoders() throws {
        struct Custom: Decodable, Equatable {
            let inner: Int
            let list: [Bool]
            let parent: String

            enum Keys: String, CodingKey { case outer, list, parent }
            enum Inner: String, CodingKey { case inner }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Keys.self)
                inner = try container.nestedContainer(keyedBy: Inner.self, forKey: .outer).decode(Int.self, forKey: .inner)
                var unkeyed = try container.nestedUnkeyedContainer(forKey: .list)
                var list: [Bool] = []
                while !unkeyed.isAtEnd {
                    if try unkeyed.decodeNil() { continue }
                    list.append(try unkeyed.decode(Bool.self))
                }
                self.list = list
                parent = try String(from: container.superDecoder(forKey: .parent))
            }
        }
        let custom = try decode(Custom.self, ["outer": ["inner": 4], "list": [true, .null, false], "parent": "p"])
        #expect(custom.inner == 4 && custom.list == [true, false] && custom.parent == "p")
    }

    @Test func rendersPathsWithoutARoot() {
        let path: [any CodingKey] = [JSONCodingKey(stringValue: "a"), JSONCodingKey.index(2), JSONCodingKey(stringValue: "b")]
        #expect(DecodingError.render("", path) == "a[2].b")
        #expect(DecodingError.render("params", path) == "params.a[2].b")
    }
}
