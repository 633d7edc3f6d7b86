import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CellDecoder {
    /// Decodes one value from PostgreSQL's text output.
    ///
    /// - Parameters:
    ///   - bytes: the text, followed by a NUL byte (libpq guarantees it; array elements are copied with one).
    ///   - count: the length of the text without the NUL.
    /// Integers are read straight from the bytes; an integer that does not fit `Int64` (an `xid8` past
    /// 2^63) becomes `.decimal` text, so nothing is lost.
    func decode(_ bytes: UnsafePointer<UInt8>, count: Int) -> DatabaseValue {
        switch self {
        case .scalar(let format):
            switch format {
            case .integer:
                if let value = Self.parseInt64(bytes, count) { return .integer(value) }
                return .decimal(Self.string(bytes, count))
            case .double:
                // strtod reads `NaN`, `Infinity` and `-Infinity` as PostgreSQL prints them.
                return .double(bytes.withMemoryRebound(to: CChar.self, capacity: count + 1) { strtod($0, nil) })
            case .bool:
                return .bool(count > 0 && bytes[0] == UInt8(ascii: "t"))
            case .bytea:
                return .blob(Self.bytea(bytes, count))
            case .decimal: return .decimal(Self.string(bytes, count))
            case .text: return .text(Self.string(bytes, count))
            case .date: return .date(Self.string(bytes, count))
            case .time: return .time(Self.string(bytes, count))
            case .timestamp: return .timestamp(Self.string(bytes, count))
            case .timestampWithTimeZone: return .timestampWithTimeZone(Self.string(bytes, count))
            case .json: return .json(Self.string(bytes, count))
            case .uuid: return .uuid(Self.string(bytes, count))
            }
        case .array(let element, let delimiter):
            var parser = ArrayLiteralParser(bytes: UnsafeBufferPointer(start: bytes, count: count), delimiter: delimiter)
            // Arrays with explicit bounds (`[0:1]={1,2}`) cannot be represented as a plain list without
            // losing the bounds: they stay text.
            guard let elements = parser.parse(element) else { return .text(Self.string(bytes, count)) }
            return .array(elements)
        }
    }

    @inline(__always)
    static func string(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// A decimal integer, or `nil` when the text is not one or does not fit `Int64`.
    @inline(__always)
    static func parseInt64(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        var i = 0
        var negative = false
        if count > 0 && p[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        guard i < count, count - i <= 19 else { return parseLongInt64(p, count) }
        var magnitude: UInt64 = 0
        while i < count {
            let digit = p[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            magnitude = magnitude &* 10 &+ UInt64(digit)
            i += 1
        }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// The slow path of `parseInt64` for text with more than 19 digits (leading zeros, or too large).
    private static func parseLongInt64(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        guard count > 0 else { return nil }
        return Int64(string(p, count))
    }

    /// `bytea` output: hex (`\x0aff`, the default) or the old escape format.
    static func bytea(_ p: UnsafePointer<UInt8>, _ count: Int) -> [UInt8] {
        if count >= 2 && p[0] == UInt8(ascii: "\\") && p[1] == UInt8(ascii: "x") {
            let n = (count - 2) / 2
            return [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
                for k in 0..<n {
                    buffer[k] = hexValue(p[2 + 2 * k]) << 4 | hexValue(p[3 + 2 * k])
                }
                initialized = n
            }
        }
        var length = 0
        guard let raw = PQunescapeBytea(p, &length) else { return [] }
        defer { PQfreemem(raw) }
        return Array(UnsafeBufferPointer(start: raw, count: length))
    }

    @inline(__always)
    private static func hexValue(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: 0
        }
    }
}
