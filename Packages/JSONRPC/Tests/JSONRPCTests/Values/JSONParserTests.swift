import Testing

@testable import JSONRPC

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

    private func parseError(_ bytes: [UInt8], maxDepth: Int = JSONValue.defaultMaxDepth) -> JSONParseError? {
        do {
            _ = try JSONValue(parsing: bytes, maxDepth: maxDepth)
            return nil
        } catch {
            return error
        }
    }

    private func parseError(_ text: String) -> JSONParseError? { parseError(Array(text.utf8)) }

    @Test func parsesLiteralsAndSurroundingWhitespace() throws {
        #expect(try parse(" \t\r\n null \n") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
    }

    @Test func keepsIntegersExactAndSeparateFromDoubles() throws {
        #expect(try parse("0") == .integer(0))
        #expect(try parse("-17") == .integer(-17))
        #expect(try parse("9223372036854775807") == .integer(.max))
        #expect(try parse("-9223372036854775808") == .integer(.min))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parse("1.0") == .double(1))
        #expect(try parse("2.5e3") == .double(2500))
        #expect(try parse("1E-2") == .double(0.01))
        #expect(try parse("-0.125") == .double(-0.125))
        let negativeZero = try parse("-0")
        #expect(negativeZero.doubleValue == 0 && negativeZero.doubleValue?.sign == .minus)
    }

    @Test func decodesEveryEscape() throws {
        #expect(try parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#) == .string("a\"b\\c/d\u{08}e\u{0C}f\ng\rh\ti"))
        #expect(try parse(#""caf\u00e9 \u00E9""#) == .string("café é"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""x\ud83dy""#) == .string("x\u{FFFD}y"))
        #expect(try parse(#""\ude00""#) == .string("\u{FFFD}"))
        #expect(try parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
    }

    @Test func acceptsRawMultibyteUTF8() throws {
        #expect(try parse("\"héllo wörld — 日本語 😀\"") == .string("héllo wörld — 日本語 😀"))
    }

    @Test func preservesObjectKeyOrderAndKeepsLastDuplicate() throws {
        let value = try parse(#"{"z": 1, "a": 2, "m": {"y": [], "b": {}}, "a": 3}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == .integer(3))
        #expect(value["m"]?.objectValue?.keys == ["y", "b"])
    }

    @Test func parsesNestedStructures() throws {
        let value = try parse(#"[1, [2, [3, {"k": [true, null]}]], "s"]"#)
        #expect(value == [1, [2, [3, ["k": [true, .null]]]], "s"])
    }

    @Test func parsesNonContiguousCollections() throws {
        let bytes = Array(#"{"a":[1,2]}"#.utf8)
        let lazy = bytes.lazy.map { $0 }
        #expect(try JSONValue(parsing: lazy) == ["a": [1, 2]])
        #expect(try JSONValue(parsing: bytes[0...]) == ["a": [1, 2]])
    }

    @Test func reportsEmptyInput() {
        #expect(parseError("   ")?.kind == .emptyInput)
        #expect(parseError("")?.offset == 0)
    }

    @Test func reportsTrailingCharactersWithOffset() {
        let error = parseError(#"{"a":1} x"#)
        #expect(error?.kind == .trailingCharacters)
        #expect(error?.offset == 8)
        #expect(error?.description == "Unexpected 'x' after the JSON value at byte offset 8")
    }

    @Test(arguments: [
        ([0x22, 0xC3, 0x28, 0x22], 1),  // bad continuation byte
        ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong encoding of '/'
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // UTF-16 surrogate encoded in UTF-8
        ([0x22, 0x61, 0xF4, 0x90, 0x80, 0x80, 0x22], 2),  // above U+10FFFF
        ([0x22, 0xFF, 0x22], 1),  // never valid
        ([0x22, 0x5C, 0x6E, 0x80, 0x22], 3),  // lone continuation byte after an escape
    ] as [([UInt8], Int)])
    func rejectsInvalidUTF8WithOffset(bytes: [UInt8], offset: Int) {
        let error = parseError(bytes)
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.offset == offset)
    }

    @Test func reportsTruncatedMultibyteSequenceAsEndOfInput() {
        #expect(parseError([0x22, 0xE6, 0x97])?.kind == .unexpectedEndOfInput)
        #expect(parseError([0x22, 0xE6, 0x41])?.kind == .invalidUTF8)
    }

    @Test(arguments: [
        ("\"a\u{01}b\"", JSONParseError.Kind.controlCharacterInString, 2),
        ("\"tab\there\"", .controlCharacterInString, 4),
        (#""\x""#, .invalidEscape, 1),
        (#""\u12G4""#, .invalidEscape, 1),
        ("01", .invalidNumber, 0),
        ("-", .unexpectedEndOfInput, 1),
        ("-a", .invalidNumber, 1),
        ("1.", .unexpectedEndOfInput, 2),
        ("1.e5", .invalidNumber, 2),
        ("1e+", .unexpectedEndOfInput, 3),
        (#""open"#, .unexpectedEndOfInput, 5),
        ("[1, 2", .unexpectedEndOfInput, 5),
        ("[1 2]", .unexpectedCharacter, 3),
        (#"{"a" 1}"#, .unexpectedCharacter, 5),
        ("{1: 2}", .unexpectedCharacter, 1),
        (#"{"a": 1,}"#, .unexpectedCharacter, 8),
        ("[1,]", .unexpectedCharacter, 3),
        ("tru", .unexpectedEndOfInput, 3),
        ("trUe", .unexpectedCharacter, 2),
        ("+1", .unexpectedCharacter, 0),
        ("NaN", .unexpectedCharacter, 0),
    ] as [(String, JSONParseError.Kind, Int)])
    func reportsSyntaxErrors(text: String, kind: JSONParseError.Kind, offset: Int) {
        let error = parseError(text)
        #expect(error?.kind == kind, "\(text): \(String(describing: error))")
        #expect(error?.offset == offset, "\(text): \(String(describing: error))")
    }

    @Test func enforcesTheNestingLimit() throws {
        let atLimit = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try parse(atLimit).arrayValue != nil)
        let overLimit = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(parseError(overLimit)?.kind == .tooDeeplyNested)
        let objects = String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)
        #expect(parseError(objects)?.kind == .tooDeeplyNested)
        #expect(parseError(Array("[[[1]]]".utf8), maxDepth: 2)?.kind == .tooDeeplyNested)
    }

    @Test func rejectsHostileNestingWithoutExhaustingTheStack() {
        let hostile = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        let error = parseError(hostile)
        #expect(error?.kind == .tooDeeplyNested)
        #expect(error?.offset == 512)
    }
}
