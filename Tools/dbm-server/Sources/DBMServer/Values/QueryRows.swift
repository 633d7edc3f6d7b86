import Drivers
import Foundation
import JSONRPC

/// The rows of a query as JSON text, written straight from the cursor: `[{"col": value, ...}, ...]`.
///
/// A 100,000-row answer is built without a `JSONValue` per cell; values are encoded as
/// `ValueCoding.json` describes. Codable only so the method's result schema and in-process callers work.
struct QueryRows: SelfSerializingResult, Codable, JSONSchemaProviding {
    let json: [UInt8]
    /// How many rows the JSON holds.
    let rowCount: Int

    /// Reads every row of the cursor into JSON text.
    init(cursor: any RowCursor) throws {
        // Each key is escaped once: `"name":`.
        let keys: [[UInt8]] = cursor.columns.map { column in
            var key: [UInt8] = []
            JSONSerializer.appendString(column.name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(64 * 1024)
        var first = true
        var count = 0
        while let row = try cursor.next() {
            count += 1
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "{"))
            for index in row.values.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: keys[index])
                Self.append(row.values[index], to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        json = out
        rowCount = count
    }

    /// One value, as `ValueCoding.json` would produce it, without the intermediate `JSONValue` for scalars.
    static func append(_ value: DatabaseValue, to out: inout [UInt8]) {
        switch value {
        case .null: JSONSerializer.appendLiteral("null", to: &out)
        case .integer(let v): JSONSerializer.appendInteger(v, to: &out)
        case .double(let v):
            if v.isFinite { JSONSerializer.appendDouble(v, to: &out) } else { JSONSerializer.appendString(DatabaseValue.format(double: v), to: &out) }
        case .decimal(let s), .text(let s), .date(let s), .time(let s), .timestamp(let s), .timestampWithTimeZone(let s), .uuid(let s):
            JSONSerializer.appendString(s, to: &out)
        case .bool(let b): JSONSerializer.appendLiteral(b ? "true" : "false", to: &out)
        case .blob, .json, .array: ValueCoding.json(value).serialize(into: &out)
        }
    }

    func serializeJSON(into buffer: inout [UInt8]) { buffer.append(contentsOf: json) }

    init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        json = value.serialized()
        rowCount = value.arrayValue?.count ?? 0
    }

    func encode(to encoder: any Encoder) throws {
        try JSONValue(parsing: json).encode(to: encoder)
    }

    static var jsonSchema: JSONValue {
        ["type": "array", "description": "one object per row, keyed by column name", "items": ["type": "object"]]
    }
}
