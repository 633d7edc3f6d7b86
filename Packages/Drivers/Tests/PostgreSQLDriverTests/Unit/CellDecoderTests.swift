@testable import PostgreSQLDriver
import XCTest

final class CellDecoderTests: XCTestCase {
    private func decode(_ text: String, _ format: ScalarFormat) -> DatabaseValue {
        var bytes = Array(text.utf8)
        let count = bytes.count
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { CellDecoder.scalar(format).decode($0.baseAddress!, count: count) }
    }

    func testIntegersAreExactAndOverflowBecomesDecimalText() {
        XCTAssertEqual(decode("0", .integer), .integer(0))
        XCTAssertEqual(decode("-9223372036854775808", .integer), .integer(.min))
        XCTAssertEqual(decode("9223372036854775807", .integer), .integer(.max))
        XCTAssertEqual(decode("9223372036854775808", .integer), .decimal("9223372036854775808"))
        XCTAssertEqual(decode("18446744073709551615", .integer), .decimal("18446744073709551615"))
        XCTAssertEqual(decode("00000000000000000000042", .integer), .integer(42))
    }

    func testFloatsIncludingSpecials() {
        XCTAssertEqual(decode("1.5e-300", .double), .double(1.5e-300))
        XCTAssertEqual(decode("Infinity", .double), .double(.infinity))
        XCTAssertEqual(decode("-Infinity", .double), .double(-.infinity))
        guard case .double(let nan) = decode("NaN", .double) else { return XCTFail("not a double") }
        XCTAssertTrue(nan.isNaN)
    }

    func testByteaHexAndEscapeFormats() {
        XCTAssertEqual(decode("\\x00ff7F", .bytea), .blob([0, 255, 127]))
        XCTAssertEqual(decode("\\x", .bytea), .blob([]))
        XCTAssertEqual(decode("a\\000\\\\b", .bytea), .blob([0x61, 0, 0x5c, 0x62]))
    }

    func testBooleansAndText() {
        XCTAssertEqual(decode("t", .bool), .bool(true))
        XCTAssertEqual(decode("f", .bool), .bool(false))
        XCTAssertEqual(decode("héllo", .text), .text("héllo"))
        XCTAssertEqual(decode("2024-01-01 00:00:00+00", .timestampWithTimeZone), .timestampWithTimeZone("2024-01-01 00:00:00+00"))
    }
}
