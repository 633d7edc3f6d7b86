import Backups
import Foundation
import XCTest

final class CronExpressionTests: XCTestCase {
    private func time(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }

    func testNextRunOfFiveFieldExpressionsAndMacros() throws {
        let start = try time("2026-11-21T06:00:00Z")  // a Saturday
        let cases: [(String, String)] = [
            ("30 2 * * *", "2026-11-22T02:30:00Z"),
            ("@hourly", "2026-11-21T07:00:00Z"),
            ("@daily", "2026-11-22T00:00:00Z"),
            ("@weekly", "2026-11-22T00:00:00Z"),
            ("*/15 9-17 * * 1-5", "2026-11-23T09:00:00Z"),
            ("0 0 1 1 *", "2027-01-01T00:00:00Z"),
            ("5,35 6 * * *", "2026-11-21T06:05:00Z"),
            ("0 12 31 * *", "2026-12-31T12:00:00Z"),
            ("0 0 29 2 *", "2028-02-29T00:00:00Z"),
            // Both day fields restricted: either matches (the 1st, or a Sunday).
            ("0 0 1 * 0", "2026-11-22T00:00:00Z"),
            ("0 0 * * 7", "2026-11-22T00:00:00Z"),
        ]
        for (expression, expected) in cases {
            let next = try CronExpression(expression).next(after: start)
            XCTAssertEqual(next, try time(expected), expression)
        }
        // Strictly after: a time that matches gives the following match.
        XCTAssertEqual(try CronExpression("0 * * * *").next(after: time("2026-11-21T07:00:00Z")), try time("2026-11-21T08:00:00Z"))
    }

    func testInvalidExpressionsAreRefusedWithTheField() {
        for expression in ["61 * * * *", "* * *", "a b c d e", "* 24 * * *", "* * 0 * *", "* * * 13 *", "*/0 * * * *", "5-1 * * * *", "@often"] {
            XCTAssertThrowsError(try CronExpression(expression), expression) { error in
                XCTAssertEqual((error as? BackupError)?.code, .invalidSchedule, expression)
            }
        }
    }
}
