import Testing

@testable import JSONRPC

@Suite struct JSONSerializerTests {
    private func text(_ value: JSONValue) -> String { String(decoding: value.serialized(), as: UTF8.self) }

    @Test func writesCompactJSONInKeyOrder() {
        let value: JSONValue = ["b": 1, "a": [true, false, .null], "c": ["x": "y"]]
        #expect(text(value) == #"{"b":1,"a":[true,false,null],"c":{"x":"y"}}"#)
        #expect(value.description == text(value))
    }

    @Test func escapesQuotesBackslashesAndEveryControlCharacter() throws {
        var scalars = ""
        for code in 0..<0x20 { scalars.unicodeScalars.append(Unicode.Scalar(UInt8(code))) }
        let value = JSONValue.string("q\"b\\s/" + scalars + "é😀")
        let written = text(value)
        #expect(!written.contains("\n") && !written.contains("\r"))
        #expect(written.hasPrefix(#""q\"b\\s/\u0000\u0001"#))
        #expect(written.contains(#"\b\t\n\u000b\f\r"#))
        #expect(written.hasSuffix(#"\u001fé😀""#))
        #expect(try JSONValue(parsing: written) == value)
    }

    @Test func writesIntegersExactly() {
        #expect(text(.integer(.min)) == "-9223372036854775808")
        #expect(text(.integer(.max)) == "9223372036854775807")
        #expect(text(.integer(0)) == "0")
        #expect(text(.integer(-7)) == "-7")
        #expect(text(.integer(10)) == "10")
    }

    @Test func writesDoublesThatRoundTrip() throws {
        for double in [0.1, 1.0, -2.5, 1e-5, 1.5e300, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, 123456.789] {
            let written = text(.double(double))
            #expect(try JSONValue(parsing: written) == .double(double), "\(written)")
        }
    }

    @Test func writesNonFiniteDoublesAsNull() {
        #expect(text([.double(.nan), .double(.infinity), .double(-.infinity)]) == "[null,null,null]")
    }

    @Test func roundTripsThroughParsing() throws {
        let original = #"{"jsonrpc":"2.0","id":"a\"b","params":{"list":[1,-2,3.5,"x",{"deep":[[],{}]}],"none":null,"ok":true}}"#
        #expect(text(try JSONValue(parsing: original)) == original)
        let value: JSONValue = ["k": [1, 2.5, "s", ["n": .null]], "e": [], "o": .emptyObject]
        #expect(try JSONValue(parsing: value.serialized()) == value)
    }

    @Test func appendsToAnExistingBuffer() {
        var buffer = Array("prefix:".utf8)
        JSONValue.integer(42).serialize(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "prefix:42")
    }
}
