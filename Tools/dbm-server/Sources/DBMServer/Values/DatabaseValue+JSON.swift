import Drivers
import Foundation
import JSONRPC

/// How database values travel in JSON.
///
/// Reading (results): integers and doubles as numbers (non-finite doubles as the strings `"NaN"`,
/// `"Infinity"`, `"-Infinity"`), decimals as strings (exact), booleans, text, dates and times as strings
/// in their canonical form, UUIDs as strings, JSON documents embedded as JSON, blobs as base64 strings,
/// arrays as arrays.
///
/// Binding (params): JSON null, booleans, integers, numbers, strings and arrays bind as themselves; an
/// object binds as a JSON document, unless it is a typed value `{"$type": KIND, "value": ...}` with KIND one
/// of `integer`, `double`, `decimal`, `text`, `blob` (base64), `bool`, `date`, `time`, `timestamp`,
/// `timestamptz`, `json`, `uuid`: `{"$type": "decimal", "value": "12.30"}` keeps the decimal exact.
enum ValueCoding {
    static func json(_ value: DatabaseValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .integer(let v): return .integer(v)
        case .double(let v): return v.isFinite ? .double(v) : .string(DatabaseValue.format(double: v))
        case .decimal(let s), .text(let s), .date(let s), .time(let s), .timestamp(let s),
             .timestampWithTimeZone(let s), .uuid(let s):
            return .string(s)
        case .bool(let b): return .bool(b)
        case .blob(let bytes): return .string(Data(bytes).base64EncodedString())
        case .json(let text): return (try? JSONValue(parsing: text)) ?? .string(text)
        case .array(let elements): return .array(elements.map(json))
        }
    }

    /// The value to bind for a JSON parameter.
    /// - Throws: `RPCError.invalidParams` for a malformed typed value.
    static func databaseValue(_ json: JSONValue, path: String) throws -> DatabaseValue {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .double(let d): return .double(d)
        case .string(let s): return .text(s)
        case .array(let elements):
            return .array(try elements.enumerated().map { try databaseValue($1, path: "\(path)[\($0)]") })
        case .object(let object):
            guard let kindValue = object["$type"] else {
                return .json(String(decoding: json.serialized(), as: UTF8.self))
            }
            guard let kindName = kindValue.stringValue, let kind = DatabaseValueKind(rawValue: kindName) else {
                throw RPCError(code: RPCError.Code.invalidParams,
                    message: "\(path).$type must be one of \(DatabaseValueKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let raw = object["value"] ?? .null
            func text() throws -> String {
                if let s = raw.stringValue { return s }
                if case .integer(let i) = raw { return String(i) }
                if case .double(let d) = raw { return DatabaseValue.format(double: d) }
                throw RPCError(code: RPCError.Code.invalidParams, message: "\(path).value must be a string for $type \(kindName)")
            }
            switch kind {
            case .null: return .null
            case .integer:
                guard let i = raw.integerValue ?? raw.stringValue.flatMap({ Int64($0) }) else {
                    throw RPCError(code: RPCError.Code.invalidParams, message: "\(path).value is not a 64-bit integer")
                }
                return .integer(i)
            case .double:
                guard let d = raw.doubleValue ?? raw.stringValue.flatMap({ Double($0) }) else {
                    throw RPCError(code: RPCError.Code.invalidParams, message: "\(path).value is not a number")
                }
                return .double(d)
            case .bool:
                guard let b = raw.boolValue else {
                    throw RPCError(code: RPCError.Code.invalidParams, message: "\(path).value must be true or false")
                }
                return .bool(b)
            case .blob:
                guard let data = Data(base64Encoded: try text()) else {
                    throw RPCError(code: RPCError.Code.invalidParams, message: "\(path).value is not valid base64")
                }
                return .blob([UInt8](data))
            case .json:
                if let s = raw.stringValue { return .json(s) }
                return .json(String(decoding: raw.serialized(), as: UTF8.self))
            case .array:
                guard case .array = raw else {
                    throw RPCError(code: RPCError.Code.invalidParams, message: "\(path).value must be an array")
                }
                return try databaseValue(raw, path: path)
            case .decimal: return .decimal(try text())
            case .text: return .text(try text())
            case .date: return .date(try text())
            case .time: return .time(try text())
            case .timestamp: return .timestamp(try text())
            case .timestampWithTimeZone: return .timestampWithTimeZone(try text())
            case .uuid: return .uuid(try text().lowercased())
            }
        }
    }

    /// Statement arguments from the `params` member: an object binds `:name` placeholders, an array
    /// binds `?` / `$n` in order, absent or null binds nothing.
    static func arguments(_ params: JSONValue?) throws -> StatementArguments {
        switch params {
        case nil, .null?: return .none
        case .array(let list)?:
            return .positional(try list.enumerated().map { try databaseValue($1, path: "params[\($0)]") })
        case .object(let object)?:
            var named: [String: DatabaseValue] = [:]
            for (key, value) in object { named[key] = try databaseValue(value, path: "params.\(key)") }
            return .named(named)
        case let other?:
            throw RPCError(code: RPCError.Code.invalidParams,
                message: "params must be an object (named :placeholders) or an array (positional ? or $n), not \(other.typeName)")
        }
    }
}
