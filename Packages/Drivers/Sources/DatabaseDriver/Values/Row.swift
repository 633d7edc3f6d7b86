/// The portable type family of a result column, decided from the engine's native type.
public enum ColumnType: String, Sendable, Codable, CaseIterable {
    case integer, double, decimal, text, blob, bool, date, time, timestamp
    case timestampWithTimeZone = "timestamptz"
    case json, uuid, array
    /// The engine did not say (SQLite expressions) or the type has no better mapping; values come as read.
    case unknown
}

/// A result column: its name, the engine's own type name, and the portable type it maps to.
public struct Column: Sendable, Hashable, Codable {
    public var name: String
    /// The engine's type name as the engine spells it (`int4`, `VARCHAR`, `NUMERIC(10,2)`, `MEDIUMINT UNSIGNED`).
    public var nativeType: String
    public var type: ColumnType

    public init(name: String, nativeType: String, type: ColumnType) {
        self.name = name
        self.nativeType = nativeType
        self.type = type
    }
}

/// One result row. Rows of one result share their `columns` array.
public struct Row: Sendable, Hashable {
    public let columns: [Column]
    public var values: [DatabaseValue]

    public init(columns: [Column], values: [DatabaseValue]) {
        self.columns = columns
        self.values = values
    }

    public var count: Int { values.count }

    public subscript(index: Int) -> DatabaseValue { values[index] }

    /// The value of the first column named `name`, or `nil` when there is no such column.
    public subscript(name: String) -> DatabaseValue? {
        guard let i = columns.firstIndex(where: { $0.name == name }) else { return nil }
        return values[i]
    }
}

/// What a statement that returns no rows reports.
public struct ExecutionResult: Sendable, Hashable, Codable {
    /// Rows inserted, updated or deleted, as the engine counts them.
    public var rowsAffected: Int64
    /// The generated key of the last insert where the engine reports one (SQLite rowid, MySQL AUTO_INCREMENT).
    public var lastInsertID: Int64?

    public init(rowsAffected: Int64, lastInsertID: Int64? = nil) {
        self.rowsAffected = rowsAffected
        self.lastInsertID = lastInsertID
    }
}
