@testable import PostgreSQLDriver
import XCTest

final class ArrayLiteralParserTests: XCTestCase {
    private func parse(_ text: String, _ element: CellDecoder = .scalar(.text), delimiter: Character = ",") -> [DatabaseValue]? {
        var bytes = Array(text.utf8)
        let count = bytes.count
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buffer in
            var parser = ArrayLiteralParser(bytes: UnsafeBufferPointer(start: buffer.baseAddress, count: count),
                                            delimiter: delimiter.asciiValue!)
            return parser.parse(element)
        }
    }

    func testQuotedUnquotedAndNullElements() {
        XCTAssertEqual(parse(#"{a,"b c",NULL,"NULL",null,"x\"y\\z",""}"#),
            [.text("a"), .text("b c"), .null, .text("NULL"), .null, .text(#"x"y\z"#), .text("")])
    }

    func testWhitespaceAroundUnquotedElementsIsIgnored() {
        XCTAssertEqual(parse("{ a , b\\  ,  c}"), [.text("a"), .text("b "), .text("c")])
    }

    func testNestedArraysAndTypedElements() {
        XCTAssertEqual(parse("{{1,2},{3,NULL}}", .scalar(.integer)),
            [.array([.integer(1), .integer(2)]), .array([.integer(3), .null])])
        XCTAssertEqual(parse("{}", .scalar(.integer)), [])
        XCTAssertEqual(parse(#"{"\\x00ff"}"#, .scalar(.bytea)), [.blob([0, 255])])
    }

    func testCustomDelimiter() {
        XCTAssertEqual(parse("{(1,1),(0,0);(2,2),(1,1)}", delimiter: ";"), [.text("(1,1),(0,0)"), .text("(2,2),(1,1)")])
    }

    func testExplicitBoundsAndMalformedTextAreRefused() {
        XCTAssertNil(parse("[0:1]={1,2}"))
        XCTAssertNil(parse("{1,2"))
        XCTAssertNil(parse(#"{"unterminated}"#))
        XCTAssertNil(parse("{1,2}x"))
    }
}
