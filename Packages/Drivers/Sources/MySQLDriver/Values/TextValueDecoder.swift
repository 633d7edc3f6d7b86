/// Decodes values of the text protocol (`mysql_fetch_row`): every value arrives as the server's text.
///
/// Integers are parsed straight from the bytes, without making a `String` first. Doubles go through
/// Swift's locale-independent parser; their text is short enough to be a small (inline) string.
enum TextValueDecoder {
    static func decode(_ bytes: UnsafePointer<CChar>, count: Int, as decoding: ValueDecoding) -> DatabaseValue {
        let raw = UnsafeRawPointer(bytes).assumingMemoryBound(to: UInt8.self)
        let buffer = UnsafeBufferPointer(start: raw, count: count)
        switch decoding {
        case .signedInteger:
            if let v = parseSigned(buffer) { return .integer(v) }
            return .decimal(string(buffer))
        case .unsignedInteger:
            if let v = parseUnsigned(buffer) { return integerOrDecimal(v) }
            return .decimal(string(buffer))
        case .tinyIntBool:
            guard let v = parseSigned(buffer) else { return .text(string(buffer)) }
            return v == 0 ? .bool(false) : v == 1 ? .bool(true) : .integer(v)
        case .bitBool:
            return .bool(bigEndian(buffer) != 0)
        case .bitInteger:
            return integerOrDecimal(bigEndian(buffer))
        case .float, .double:
            let text = string(buffer)
            return Double(text).map(DatabaseValue.double) ?? .text(text)
        case .decimal:
            return .decimal(string(buffer))
        case .text:
            return .text(string(buffer))
        case .blob:
            return .blob(Array(buffer))
        case .json:
            return .json(string(buffer))
        case .uuid:
            return .uuid(string(buffer).lowercased())
        case .date:
            return .date(string(buffer))
        case .time:
            return .time(string(buffer))
        case .datetime:
            return .timestamp(string(buffer))
        case .timestampUTC:
            return .timestampWithTimeZone(string(buffer) + "+00:00")
        case .null:
            return .null
        }
    }

    /// `.integer` when the value fits in `Int64`, else its exact decimal text.
    static func integerOrDecimal(_ v: UInt64) -> DatabaseValue {
        v <= UInt64(Int64.max) ? .integer(Int64(v)) : .decimal(String(v))
    }

    @inline(__always)
    private static func string(_ buffer: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: buffer, as: UTF8.self)
    }

    /// Parses `[-+]digits`; nil on anything else or on overflow.
    static func parseSigned(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !b.isEmpty else { return nil }
        let negative = b[0] == UInt8(ascii: "-")
        let start = (negative || b[0] == UInt8(ascii: "+")) ? 1 : 0
        guard start < b.count else { return nil }
        var magnitude: UInt64 = 0
        for i in start..<b.count {
            let d = b[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            magnitude = s
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// Parses `digits` as an unsigned 64-bit number; nil on anything else or on overflow.
    static func parseUnsigned(_ b: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !b.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in b {
            let d = byte &- 48
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            value = s
        }
        return value
    }

    /// A BIT value's bytes (most significant first) as a number.
    static func bigEndian(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for byte in b.suffix(8) { value = value << 8 | UInt64(byte) }
        return value
    }
}
