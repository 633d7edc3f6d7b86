/// The `DatabaseError.Code` for a MariaDB/MySQL error number (`mysql_errno`, `mysql_stmt_errno`).
///
/// Server errors are in the 1000–4999 range (`mysqld_error.h`), client library errors in 2000–2999
/// (`errmsg.h`). Numbers not listed here become `.other`; the number itself is always kept in
/// `DatabaseError.engineCode`.
enum MySQLErrorCode {
    static func code(for errno: UInt32) -> DatabaseError.Code {
        switch errno {
        // Client library: reaching the server.
        case 2002, 2003, 2005, 2026, 1040: .connectionRefused
        case 2006, 2013, 2055: .connectionLost
        case 2014: .misuse
        // Server: access.
        case 1045, 1698: .authenticationFailed
        case 1049, 1008: .unknownDatabase
        case 1142, 1143, 1044, 1227, 1792, 1290: .permissionDenied
        // Server: statement text and objects.
        case 1064, 1149: .syntaxError
        case 1146, 1054, 1091, 1305, 1356, 1360, 1449: .undefinedObject
        case 1050, 1007, 1060, 1061, 1304, 1359: .duplicateObject
        // Server: integrity.
        case 1062, 1586, 1022, 1557, 1169: .uniqueViolation
        case 1451, 1452, 1216, 1217: .foreignKeyViolation
        case 1048, 1364, 1263: .notNullViolation
        case 3819, 4025: .checkViolation
        // Server: values that do not fit.
        case 1264, 1265, 1292, 1366, 1367, 1406, 1411, 1690, 3140, 4038: .invalidValue
        case 1210: .parameterMismatch
        // Server: execution.
        case 1317, 3024, 1969: .cancelled
        case 1213, 1205: .transactionConflict
        default: .other
        }
    }
}
