@testable import MySQLDriver
import XCTest

final class MessageRedactionTests: XCTestCase {
    func testDuplicateEntryKeepsTheKeyButNotTheValue() {
        let message = MySQLErrorMessage.redacted("Duplicate entry 'o'brien@example.com' for key 'email'", errno: 1062)
        XCTAssertEqual(message, "Duplicate entry '***' for key 'email'")
    }

    func testIncorrectValueKeepsTheColumn() {
        let message = MySQLErrorMessage.redacted("Incorrect integer value: 'pw123' for column `db`.`t`.`v` at row 1", errno: 1366)
        XCTAssertEqual(message, "Incorrect integer value: '***' for column `db`.`t`.`v` at row 1")
    }

    func testOtherMessagesAreUnchanged() {
        XCTAssertEqual(MySQLErrorMessage.redacted("Table 'x.y' doesn't exist", errno: 1146), "Table 'x.y' doesn't exist")
    }

    func testErrnoMapping() {
        let expected: [UInt32: DatabaseError.Code] = [
            2002: .connectionRefused, 2003: .connectionRefused, 2005: .connectionRefused, 1045: .authenticationFailed,
            1049: .unknownDatabase, 2006: .connectionLost, 2013: .connectionLost, 1064: .syntaxError,
            1146: .undefinedObject, 1054: .undefinedObject, 1050: .duplicateObject, 1007: .duplicateObject,
            1062: .uniqueViolation, 1586: .uniqueViolation, 1451: .foreignKeyViolation, 1452: .foreignKeyViolation,
            1216: .foreignKeyViolation, 1217: .foreignKeyViolation, 1048: .notNullViolation, 1364: .notNullViolation,
            3819: .checkViolation, 4025: .checkViolation, 1317: .cancelled, 1213: .transactionConflict,
            1205: .transactionConflict, 1142: .permissionDenied, 1044: .permissionDenied, 1227: .permissionDenied,
            1792: .permissionDenied, 9999: .other,
        ]
        for (errno, code) in expected {
            XCTAssertEqual(MySQLErrorCode.code(for: errno), code, "errno \(errno)")
        }
        let error = DatabaseError.mysql(errno: 1062, message: "Duplicate entry 'a' for key 'k'", sql: "INSERT ...")
        XCTAssertEqual(error.engineCode, "1062")
        XCTAssertEqual(error.engine, "mysql")
        XCTAssertEqual(error.sql, "INSERT ...")
    }
}
