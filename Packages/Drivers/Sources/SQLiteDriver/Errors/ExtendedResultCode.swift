import CSQLite

/// The extended result codes dbm tells apart. They are C macros built with `|` and `<<`, which Swift
/// does not import, so they are spelled out here from sqlite3.h.
enum ExtendedResultCode {
    static let busySnapshot = SQLITE_BUSY | (2 << 8)                // 517
    static let constraintCheck = SQLITE_CONSTRAINT | (1 << 8)       // 275
    static let constraintForeignKey = SQLITE_CONSTRAINT | (3 << 8)  // 787
    static let constraintNotNull = SQLITE_CONSTRAINT | (5 << 8)     // 1299
    static let constraintPrimaryKey = SQLITE_CONSTRAINT | (6 << 8)  // 1555
    static let constraintUnique = SQLITE_CONSTRAINT | (8 << 8)      // 2067
    static let constraintRowID = SQLITE_CONSTRAINT | (10 << 8)      // 2579
    static let constraintDataType = SQLITE_CONSTRAINT | (12 << 8)   // 3091
}
