/// How one result column's values become `DatabaseValue`s, decided once per result from its metadata.
///
/// See TYPE_MAPPING.md for the table this implements.
enum ValueDecoding: Sendable, Equatable {
    /// TINYINT…BIGINT, YEAR: `.integer`.
    case signedInteger
    /// Unsigned integers: `.integer`, or `.decimal` text above `Int64.max` (BIGINT UNSIGNED).
    case unsignedInteger
    /// TINYINT(1) (`BOOLEAN`): `.bool` for 0 and 1, `.integer` for any other stored value.
    case tinyIntBool
    /// BIT(1): `.bool`.
    case bitBool
    /// BIT(2…64): the big-endian bits as `.integer` (`.decimal` above `Int64.max`).
    case bitInteger
    /// FLOAT: `.double`, the shortest decimal that reads back as the same `Float`.
    case float
    /// DOUBLE: `.double`.
    case double
    /// DECIMAL: `.decimal`, exact text.
    case decimal
    /// CHAR, VARCHAR, TEXT, ENUM, SET, INET6: `.text`.
    case text
    /// BINARY, VARBINARY, BLOB, GEOMETRY: `.blob`.
    case blob
    /// JSON: `.json`.
    case json
    /// UUID (MariaDB 10.7+): `.uuid`, lower case.
    case uuid
    /// DATE: `.date`.
    case date
    /// TIME: `.time` (may be negative or above 24 hours: `-838:59:59`).
    case time
    /// DATETIME: `.timestamp`.
    case datetime
    /// TIMESTAMP: `.timestampWithTimeZone` with `+00:00` (the session time zone is UTC).
    case timestampUTC
    /// The `NULL` literal's type: always `.null`.
    case null
}
