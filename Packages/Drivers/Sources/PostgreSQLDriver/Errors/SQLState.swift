/// Maps PostgreSQL's SQLSTATE codes (Appendix A of the PostgreSQL manual) onto `DatabaseError.Code`.
enum SQLState {
    /// The portable code for a five-character SQLSTATE.
    static func code(for sqlState: String) -> DatabaseError.Code {
        switch sqlState {
        case "42601": .syntaxError
        case "42P01", "42703", "42883", "42704", "3F000", "42P02", "42P10", "42P03", "42602": .undefinedObject
        case "3D000": .unknownDatabase
        case "42P04", "42P05", "42P06", "42P07", "42701", "42710", "42712", "42723", "42P16": .duplicateObject
        case "23505": .uniqueViolation
        case "23503": .foreignKeyViolation
        case "23502": .notNullViolation
        case "23514": .checkViolation
        case "57014": .cancelled
        case "57P01", "57P02", "57P03": .connectionLost
        case "40001", "40P01": .transactionConflict
        case "42501", "25006": .permissionDenied
        case "55P03", "55006": .busy
        case "42P18", "42P08", "08P01": .parameterMismatch
        case "25001", "25P01", "25P02", "25P03", "2D000", "0B000": .misuse
        case "58030", "53100": .ioError
        default: code(forClass: sqlState.prefix(2))
        }
    }

    private static func code(forClass sqlClass: Substring) -> DatabaseError.Code {
        switch sqlClass {
        case "23": .constraintViolation
        case "22": .invalidValue
        case "28": .authenticationFailed
        case "08": .connectionLost
        case "40": .transactionConflict
        case "58": .ioError
        default: .other
        }
    }

    /// True for the data-exception class, whose messages quote the offending input (`invalid input
    /// syntax for type integer: "abc"`), which may be a bound value.
    static func quotesInput(_ sqlState: String) -> Bool {
        sqlState.hasPrefix("22")
    }
}
