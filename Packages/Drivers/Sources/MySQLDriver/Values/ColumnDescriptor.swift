import CMariaDB

/// A result column as the driver needs it: the public `Column` plus how to decode its values.
struct ColumnDescriptor {
    let column: Column
    let decoding: ValueDecoding
    /// Fractional-second digits for temporal columns (0…6), or nil when the server did not fix them.
    let fractionDigits: Int?
    /// The protocol type, for choosing a prepared-statement result buffer.
    let fieldType: enum_field_types
    /// The declared maximum length in bytes (for sizing buffers).
    let length: UInt

    /// The charset number MariaDB uses for binary strings (`BINARY`, `VARBINARY`, `BLOB`).
    private static let binaryCharset: UInt32 = 63

    /// Describes every field of a result.
    static func describe(_ result: UnsafeMutablePointer<MYSQL_RES>) -> [ColumnDescriptor] {
        let count = Int(mysql_num_fields(result))
        guard count > 0, let fields = mysql_fetch_fields(result) else { return [] }
        return (0..<count).map { ColumnDescriptor(field: fields + $0) }
    }

    init(field pointer: UnsafeMutablePointer<MYSQL_FIELD>) {
        let field = pointer.pointee
        let name = field.name.map { String(cString: $0) } ?? ""
        let flags = field.flags
        let unsigned = flags & UInt32(UNSIGNED_FLAG) != 0
        let binary = field.charsetnr == Self.binaryCharset
        let dataTypeName = Self.attribute(pointer, MARIADB_FIELD_ATTR_DATA_TYPE_NAME)?.lowercased()
        let formatName = Self.attribute(pointer, MARIADB_FIELD_ATTR_FORMAT_NAME)?.lowercased()
        let decimals = Int(field.decimals)
        let fraction = (1...6).contains(decimals) ? decimals : (decimals == 0 ? 0 : nil)
        let suffix = unsigned ? " UNSIGNED" : ""

        fieldType = field.type
        length = field.length
        fractionDigits = fraction
        let fractionSuffix = (fraction ?? 0) > 0 ? "(\(fraction!))" : ""

        let native: String
        let type: ColumnType
        let decoding: ValueDecoding
        switch field.type {
        case MYSQL_TYPE_TINY where field.length == 1:
            (native, type, decoding) = ("TINYINT(1)" + suffix, .bool, .tinyIntBool)
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_INT24, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG:
            let names: [UInt32: String] = [MYSQL_TYPE_TINY.rawValue: "TINYINT", MYSQL_TYPE_SHORT.rawValue: "SMALLINT",
                                           MYSQL_TYPE_INT24.rawValue: "MEDIUMINT", MYSQL_TYPE_LONG.rawValue: "INT"]
            native = (names[field.type.rawValue] ?? "BIGINT") + suffix
            (type, decoding) = (.integer, unsigned ? .unsignedInteger : .signedInteger)
        case MYSQL_TYPE_YEAR:
            (native, type, decoding) = ("YEAR", .integer, .signedInteger)
        case MYSQL_TYPE_BIT:
            native = "BIT(\(field.length))"
            (type, decoding) = field.length == 1 ? (.bool, .bitBool) : (.integer, .bitInteger)
        case MYSQL_TYPE_FLOAT:
            (native, type, decoding) = ("FLOAT" + suffix, .double, .float)
        case MYSQL_TYPE_DOUBLE:
            (native, type, decoding) = ("DOUBLE" + suffix, .double, .double)
        case MYSQL_TYPE_DECIMAL, MYSQL_TYPE_NEWDECIMAL:
            let precision = Int(field.length) - (decimals > 0 ? 1 : 0) - (unsigned ? 0 : 1)
            (native, type, decoding) = ("DECIMAL(\(max(precision, 1)),\(decimals))" + suffix, .decimal, .decimal)
        case MYSQL_TYPE_DATE, MYSQL_TYPE_NEWDATE:
            (native, type, decoding) = ("DATE", .date, .date)
        case MYSQL_TYPE_TIME, MYSQL_TYPE_TIME2:
            (native, type, decoding) = ("TIME" + fractionSuffix, .time, .time)
        case MYSQL_TYPE_DATETIME, MYSQL_TYPE_DATETIME2:
            (native, type, decoding) = ("DATETIME" + fractionSuffix, .timestamp, .datetime)
        case MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_TIMESTAMP2:
            (native, type, decoding) = ("TIMESTAMP" + fractionSuffix, .timestampWithTimeZone, .timestampUTC)
        case MYSQL_TYPE_NULL:
            (native, type, decoding) = ("NULL", .unknown, .null)
        case MYSQL_TYPE_GEOMETRY:
            (native, type, decoding) = ((dataTypeName ?? "geometry").uppercased(), .blob, .blob)
        case MYSQL_TYPE_JSON:
            (native, type, decoding) = ("JSON", .json, .json)
        default:
            (native, type, decoding) = Self.stringFamily(field, binary: binary, dataTypeName: dataTypeName, formatName: formatName)
        }
        column = Column(name: name, nativeType: native, type: type)
        self.decoding = decoding
    }

    /// CHAR/VARCHAR/TEXT/BLOB/ENUM/SET and the types MariaDB sends as strings (JSON, UUID, INET6).
    private static func stringFamily(
        _ field: MYSQL_FIELD, binary: Bool, dataTypeName: String?, formatName: String?
    ) -> (String, ColumnType, ValueDecoding) {
        if formatName == "json" { return ("JSON", .json, .json) }
        if let dataTypeName, dataTypeName == "uuid" { return ("UUID", .uuid, .uuid) }
        if let dataTypeName, !dataTypeName.isEmpty { return (dataTypeName.uppercased(), binary ? .blob : .text, binary ? .blob : .text) }
        if field.flags & UInt32(ENUM_FLAG) != 0 { return ("ENUM", .text, .text) }
        if field.flags & UInt32(SET_FLAG) != 0 { return ("SET", .text, .text) }
        let name: String
        switch field.type {
        case MYSQL_TYPE_STRING: name = binary ? "BINARY" : "CHAR"
        case MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_VARCHAR: name = binary ? "VARBINARY" : "VARCHAR"
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB:
            // The length is in bytes: characters times the charset's longest character.
            let perCharacter = UInt(max(mariadb_get_charset_by_nr(field.charsetnr)?.pointee.char_maxlen ?? 1, 1))
            let characters = field.length / perCharacter
            let size = characters <= 255 ? "TINY" : characters <= 65_535 ? "" : characters <= 16_777_215 ? "MEDIUM" : "LONG"
            name = size + (binary ? "BLOB" : "TEXT")
        default: name = binary ? "VARBINARY" : "VARCHAR"
        }
        return (name, binary ? .blob : .text, binary ? .blob : .text)
    }

    /// An extended-metadata attribute (MariaDB 10.5+: data type name `uuid`, format name `json`).
    private static func attribute(_ field: UnsafeMutablePointer<MYSQL_FIELD>, _ kind: mariadb_field_attr_t) -> String? {
        var value = MARIADB_CONST_STRING(str: nil, length: 0)
        guard mariadb_field_attr(&value, field, kind) == 0, let str = value.str, value.length > 0 else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: str, count: value.length), as: UTF8.self)
    }
}
