import Testing

@testable import JSONRPC

@Suite struct JSONObjectTests {
    @Test func keepsInsertionOrderAndReplacesInPlace() {
        var object = JSONObject()
        object["b"] = 1
        object["a"] = 2
        object["b"] = 3
        #expect(object.keys == ["b", "a"])
        #expect(object.values == [3, 2])
        #expect(object.removeValue(forKey: "b") == 3)
        #expect(object.keys == ["a"])
        object["a"] = nil
        #expect(object.isEmpty)
    }

    @Test func looksUpKeysInLargeObjects() {
        var object = JSONObject()
        for index in 0..<100 { object["key\(index)"] = .integer(Int64(index)) }
        #expect(object.count == 100)
        #expect(object["key73"] == .integer(73))
        object["key50"] = "replaced"
        object.removeValue(forKey: "key10")
        #expect(object["key50"] == "replaced")
        #expect(object["key10"] == nil)
        #expect(object["key99"] == .integer(99))
        #expect(object.keys.first == "key0" && object.keys.count == 99)
    }

    @Test func equalityAndHashingIgnoreKeyOrder() {
        let first: JSONObject = ["a": 1, "b": [2]]
        let second: JSONObject = ["b": [2], "a": 1]
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(first != ["a": 1, "b": [3]])
        #expect(first != ["a": 1])
        #expect(JSONValue.integer(1) != JSONValue.double(1))
    }

    @Test func iteratesMembersInOrder() {
        let object: JSONObject = ["x": 1, "y": 2]
        #expect(object.map(\.key) == ["x", "y"])
        #expect(object.map(\.value) == [1, 2])
    }
}
