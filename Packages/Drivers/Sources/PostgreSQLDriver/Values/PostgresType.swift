/// What the driver knows about one PostgreSQL type: its name and how its text output becomes a
/// `DatabaseValue`.
struct PostgresType: Sendable, Hashable {
    /// The type's name in `pg_type` (`int4`, `_text`, `mpaa_rating`).
    var name: String
    var representation: Representation

    /// How values of the type are represented.
    enum Representation: Sendable, Hashable {
        case scalar(ScalarFormat)
        /// An array type; elements are decoded as `elementOID` says, separated by `delimiter`.
        case array(elementOID: UInt32, delimiter: UInt8)
        /// A type the driver has no mapping for: values come back as their text output.
        case unknown
    }

    init(_ name: String, _ format: ScalarFormat) {
        self.name = name
        self.representation = .scalar(format)
    }

    init(_ name: String, arrayOf elementOID: UInt32, delimiter: Character = ",") {
        self.name = name
        self.representation = .array(elementOID: elementOID, delimiter: delimiter.asciiValue ?? UInt8(ascii: ","))
    }

    init(name: String, representation: Representation) {
        self.name = name
        self.representation = representation
    }
}

/// The text output forms the driver decodes, one per `DatabaseValue` case it produces.
enum ScalarFormat: Sendable, Hashable {
    case integer, double, decimal, text, bool, bytea, date, time, timestamp, timestampWithTimeZone, json, uuid

    /// The portable column type for values of this form.
    var columnType: ColumnType {
        switch self {
        case .integer: .integer
        case .double: .double
        case .decimal: .decimal
        case .text: .text
        case .bool: .bool
        case .bytea: .blob
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .timestampWithTimeZone: .timestampWithTimeZone
        case .json: .json
        case .uuid: .uuid
        }
    }
}
