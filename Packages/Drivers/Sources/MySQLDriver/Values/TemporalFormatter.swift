import CMariaDB

/// Writes a binary-protocol `MYSQL_TIME` as the canonical text `DatabaseValue` documents, exactly as the
/// text protocol spells the same value (so both paths return equal values).
enum TemporalFormatter {
    /// The value of a DATE, TIME, DATETIME or TIMESTAMP column.
    ///
    /// - Parameter fractionDigits: the column's declared fractional digits; nil when the server did not
    ///   fix them (expressions), in which case six digits are written when the fraction is not zero.
    static func value(_ t: MYSQL_TIME, as decoding: ValueDecoding, fractionDigits: Int?) -> DatabaseValue {
        var out = [UInt8]()
        out.reserveCapacity(32)
        switch decoding {
        case .date:
            appendDate(t, to: &out)
            return .date(String(decoding: out, as: UTF8.self))
        case .time:
            if t.neg != 0 { out.append(UInt8(ascii: "-")) }
            appendTime(hours: UInt(t.day) * 24 + UInt(t.hour), t, fractionDigits: fractionDigits, to: &out)
            return .time(String(decoding: out, as: UTF8.self))
        case .timestampUTC:
            appendDate(t, to: &out)
            out.append(UInt8(ascii: " "))
            appendTime(hours: UInt(t.hour), t, fractionDigits: fractionDigits, to: &out)
            out.append(contentsOf: "+00:00".utf8)
            return .timestampWithTimeZone(String(decoding: out, as: UTF8.self))
        default:
            appendDate(t, to: &out)
            out.append(UInt8(ascii: " "))
            appendTime(hours: UInt(t.hour), t, fractionDigits: fractionDigits, to: &out)
            return .timestamp(String(decoding: out, as: UTF8.self))
        }
    }

    private static func appendDate(_ t: MYSQL_TIME, to out: inout [UInt8]) {
        appendDigits(UInt(t.year), width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(UInt(t.month), width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(UInt(t.day), width: 2, to: &out)
    }

    private static func appendTime(hours: UInt, _ t: MYSQL_TIME, fractionDigits: Int?, to out: inout [UInt8]) {
        appendDigits(hours, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(UInt(t.minute), width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(UInt(t.second), width: 2, to: &out)
        let micros = UInt(t.second_part) % 1_000_000
        let digits = fractionDigits ?? (micros == 0 ? 0 : 6)
        guard digits > 0 else { return }
        out.append(UInt8(ascii: "."))
        var divisor: UInt = 1
        for _ in 0..<(6 - digits) { divisor *= 10 }
        appendDigits(micros / divisor, width: digits, to: &out)
    }

    /// Appends `value` in decimal, left-padded with zeros to `width` digits (values here are < 10^7).
    private static func appendDigits(_ value: UInt, width: Int, to out: inout [UInt8]) {
        var count = 1
        var divisor: UInt = 1
        while value / divisor >= 10 { divisor *= 10; count += 1 }
        for _ in 0..<max(0, width - count) { out.append(UInt8(ascii: "0")) }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
