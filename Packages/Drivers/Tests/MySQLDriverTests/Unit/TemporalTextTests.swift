import CMariaDB
@testable import MySQLDriver
import XCTest

/// Reading canonical temporal text into `MYSQL_TIME` and writing it back (no server needed).
final class TemporalTextTests: XCTestCase {
    func testTimestampWithZoneIsConvertedToUTCAcrossDayMonthAndYear() throws {
        let t = try TemporalParser.timestamp("2024-01-01 01:30:00.25+02:00", withZone: true)
        XCTAssertEqual([t.year, t.month, t.day, t.hour, t.minute, t.second], [2023, 12, 31, 23, 30, 0])
        XCTAssertEqual(t.second_part, 250_000)
        let west = try TemporalParser.timestamp("2024-02-28T22:00:00-05", withZone: true)
        XCTAssertEqual([west.year, west.month, west.day, west.hour], [2024, 2, 29, 3], "2024 is a leap year")
        let zulu = try TemporalParser.timestamp("2024-06-30 12:00:00Z", withZone: true)
        XCTAssertEqual([zulu.day, zulu.hour], [30, 12])
    }

    func testTimeAllowsMySQLRangeAndSplitsDays() throws {
        let t = try TemporalParser.time("-838:59:59.5")
        XCTAssertEqual(t.neg, 1)
        XCTAssertEqual([t.day, t.hour, t.minute, t.second], [34, 22, 59, 59])
        XCTAssertEqual(t.second_part, 500_000)
        XCTAssertEqual(TemporalFormatter.value(t, as: .time, fractionDigits: 2), .time("-838:59:59.50"))
    }

    func testMalformedTextIsRefused() {
        for text in ["2024-13-01", "2024-1-01", "24-01-01", "2024-01-01 ", "2024-01-01x"] {
            XCTAssertThrowsError(try TemporalParser.date(text), text)
        }
        XCTAssertThrowsError(try TemporalParser.time("10:00"))
        XCTAssertThrowsError(try TemporalParser.time("10:61:00"))
        XCTAssertThrowsError(try TemporalParser.time("10:00:00+01:00"))
        XCTAssertNoThrow(try TemporalParser.time("10:00:00+00:00"))
        XCTAssertThrowsError(try TemporalParser.timestamp("2024-01-01 00:00:00+01:00", withZone: false))
        XCTAssertThrowsError(try TemporalParser.timestamp("2024-01-01 00:00:00.1234567", withZone: false))
    }

    func testFormatterWritesDeclaredFractionDigits() throws {
        let t = try TemporalParser.timestamp("2001-02-03 04:05:06.789", withZone: false)
        XCTAssertEqual(TemporalFormatter.value(t, as: .datetime, fractionDigits: 0), .timestamp("2001-02-03 04:05:06"))
        XCTAssertEqual(TemporalFormatter.value(t, as: .datetime, fractionDigits: 3), .timestamp("2001-02-03 04:05:06.789"))
        XCTAssertEqual(TemporalFormatter.value(t, as: .datetime, fractionDigits: 6), .timestamp("2001-02-03 04:05:06.789000"))
        XCTAssertEqual(TemporalFormatter.value(t, as: .datetime, fractionDigits: nil), .timestamp("2001-02-03 04:05:06.789000"))
        XCTAssertEqual(TemporalFormatter.value(t, as: .timestampUTC, fractionDigits: 1), .timestampWithTimeZone("2001-02-03 04:05:06.7+00:00"))
        XCTAssertEqual(TemporalFormatter.value(t, as: .date, fractionDigits: nil), .date("2001-02-03"))
    }

    func testDayCountsMatchTheCalendar() {
        XCTAssertEqual(TemporalParser.daysFromCivil(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(TemporalParser.daysFromCivil(year: 2000, month: 3, day: 1), 11_017)
        for days in [-1, 0, 59, 11_016, 2_932_896] {
            let (y, m, d) = TemporalParser.civilFromDays(days)
            XCTAssertEqual(TemporalParser.daysFromCivil(year: y, month: m, day: d), days)
        }
    }
}
