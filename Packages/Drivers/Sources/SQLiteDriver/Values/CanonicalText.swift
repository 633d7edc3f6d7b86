/// Recognises and produces the canonical text forms of `DatabaseValue` (dates, times, timestamps,
/// decimals, UUIDs), working on UTF-8 bytes so a column read does not build a `String` just to check it.
enum CanonicalText {
    /// The temporal kinds a text can have.
    enum Temporal {
        case date, time, timestamp, timestampWithTimeZone
    }

    /// The canonical temporal form `bytes` has, or `nil`:
    /// `YYYY-MM-DD`, `HH:MM:SS[.f{1,6}][±HH[:MM]]`, `YYYY-MM-DD HH:MM:SS[.f{1,6}]` with an optional offset.
    static func temporal<C: Collection>(_ bytes: C) -> Temporal? where C.Element == UInt8, C.Index == Int {
        let n = bytes.count
        let s = bytes.startIndex
        if n >= 10, isDate(bytes, s) {
            if n == 10 { return .date }
            guard bytes[s + 10] == UInt8(ascii: " ") else { return nil }
            guard let (end, zoned) = timeEnd(bytes, s + 11), end == bytes.endIndex else { return nil }
            return zoned ? .timestampWithTimeZone : .timestamp
        }
        if let (end, _) = timeEnd(bytes, s), end == bytes.endIndex { return .time }
        return nil
    }

    private static func digit(_ c: UInt8) -> Int? {
        c >= 0x30 && c <= 0x39 ? Int(c - 0x30) : nil
    }

    private static func twoDigits<C: Collection>(_ b: C, _ i: Int) -> Int? where C.Element == UInt8, C.Index == Int {
        guard i + 1 < b.endIndex, let h = digit(b[i]), let l = digit(b[i + 1]) else { return nil }
        return h * 10 + l
    }

    private static func isDate<C: Collection>(_ b: C, _ s: Int) -> Bool where C.Element == UInt8, C.Index == Int {
        guard twoDigits(b, s) != nil, twoDigits(b, s + 2) != nil,
              b[s + 4] == UInt8(ascii: "-"), let month = twoDigits(b, s + 5),
              b[s + 7] == UInt8(ascii: "-"), let day = twoDigits(b, s + 8) else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// Parses `HH:MM:SS[.f{1,6}][±HH[:MM]]` from `i`; returns where it ended and whether it had an offset.
    private static func timeEnd<C: Collection>(_ b: C, _ start: Int) -> (Int, Bool)? where C.Element == UInt8, C.Index == Int {
        var i = start
        guard let hour = twoDigits(b, i), hour <= 24, i + 2 < b.endIndex, b[i + 2] == UInt8(ascii: ":"),
              let minute = twoDigits(b, i + 3), minute <= 59, i + 5 < b.endIndex, b[i + 5] == UInt8(ascii: ":"),
              let second = twoDigits(b, i + 6), second <= 60 else { return nil }
        i += 8
        if i < b.endIndex, b[i] == UInt8(ascii: ".") {
            var digits = 0
            i += 1
            while i < b.endIndex, digit(b[i]) != nil { i += 1; digits += 1 }
            guard (1...6).contains(digits) else { return nil }
        }
        guard i < b.endIndex else { return (i, false) }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), let offsetHours = twoDigits(b, i + 1), offsetHours <= 15 else {
            return nil
        }
        i += 3
        if i < b.endIndex {
            guard b[i] == UInt8(ascii: ":"), let offsetMinutes = twoDigits(b, i + 1), offsetMinutes <= 59 else { return nil }
            i += 3
        }
        return (i, true)
    }

    /// True for `[+-]digits[.digits][e[+-]digits]` (or `.digits`): the decimal text SQLite and dbm accept.
    static func isDecimal<C: Collection>(_ b: C) -> Bool where C.Element == UInt8, C.Index == Int {
        var i = b.startIndex
        if i < b.endIndex, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        var mantissaDigits = 0
        while i < b.endIndex, digit(b[i]) != nil { i += 1; mantissaDigits += 1 }
        if i < b.endIndex, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.endIndex, digit(b[i]) != nil { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        if i < b.endIndex, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.endIndex, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            var exponentDigits = 0
            while i < b.endIndex, digit(b[i]) != nil { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return false }
        }
        return i == b.endIndex
    }

    /// True for a UUID in 8-4-4-4-12 hexadecimal form, either case.
    static func isUUID<C: Collection>(_ b: C) -> Bool where C.Element == UInt8, C.Index == Int {
        guard b.count == 36 else { return false }
        for (offset, c) in b.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard c == UInt8(ascii: "-") else { return false }
            } else {
                let isHex = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
                guard isHex else { return false }
            }
        }
        return true
    }

    /// An integral `Double` as the exact integer it holds (`2^63` → `9223372036854775808`), where shortest
    /// digits would print trailing zeros instead (`9223372036854776000`). Beyond 2^64 it falls back to
    /// `plainDecimal`.
    static func exactInteger(_ value: Double) -> String {
        let magnitude = value.magnitude
        guard magnitude < 18_446_744_073_709_551_616.0 else { return plainDecimal(value) }
        return (value < 0 ? "-" : "") + String(UInt64(magnitude))
    }

    /// A finite `Double` in plain decimal notation (no exponent), exact: the digits are the shortest that
    /// read back as the same `Double` (`1.98`, `100000000000000000000`, `0.00001`).
    static func plainDecimal(_ value: Double) -> String {
        var shortest = value.description  // the shortest round-tripping digits: 1.98, 100.0, 1e-05, 1e+16
        let utf8 = shortest.utf8
        if !utf8.contains(UInt8(ascii: "e")) {
            // Fast path, the common case: already plain; only a trailing ".0" is dropped.
            if utf8.count >= 2, utf8[utf8.index(utf8.endIndex, offsetBy: -2)] == UInt8(ascii: "."),
               utf8.last == UInt8(ascii: "0") {
                shortest.removeLast(2)
            }
            return shortest == "-0" ? "0" : shortest
        }
        return expandExponent(shortest)
    }

    /// Rewrites Swift's exponent notation (`-1.2345e-05`) as plain digits (`-0.000012345`).
    private static func expandExponent(_ shortest: String) -> String {
        var utf8 = Substring(shortest).utf8[...]
        var negative = false
        if utf8.first == UInt8(ascii: "-") { negative = true; utf8 = utf8.dropFirst() }
        var exponent = 0
        if let e = utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            exponent = Int(String(decoding: utf8[utf8.index(after: e)...], as: UTF8.self)) ?? 0
            utf8 = utf8[..<e]
        }
        var digits = [UInt8]()
        var pointPosition = 0
        var seenPoint = false
        for c in utf8 {
            if c == UInt8(ascii: ".") { seenPoint = true; continue }
            digits.append(c)
            if !seenPoint { pointPosition += 1 }
        }
        pointPosition += exponent
        while digits.first == UInt8(ascii: "0") { digits.removeFirst(); pointPosition -= 1 }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return "0" }
        var out = [UInt8]()
        if negative { out.append(UInt8(ascii: "-")) }
        if pointPosition <= 0 {
            out.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")])
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -pointPosition))
            out.append(contentsOf: digits)
        } else if pointPosition >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: pointPosition - digits.count))
        } else {
            out.append(contentsOf: digits[..<pointPosition])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[pointPosition...])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
