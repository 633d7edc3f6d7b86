import CMariaDB

/// Reads the canonical text of a temporal `DatabaseValue` into the `MYSQL_TIME` a prepared statement binds.
///
/// Accepted: `date` `YYYY-MM-DD`; `time` `[-]H…H:MM:SS[.f…]` (MySQL allows ±838 hours); `timestamp`
/// `YYYY-MM-DD[ T]HH:MM:SS[.f…]`; `timestampWithTimeZone` the same followed by `Z` or `±HH[:MM]`, which is
/// converted to UTC (the session time zone). MariaDB has no zoned time of day, so a `time` may carry only
/// a zero offset. Up to six fractional digits are kept; more are refused rather than rounded.
enum TemporalParser {
    /// Why a text could not be read; the value itself is never repeated in the message.
    struct Failure: Error {
        let reason: String
    }

    static func date(_ text: String) throws(Failure) -> MYSQL_TIME {
        var s = Scanner(text)
        var t = MYSQL_TIME()
        try s.date(into: &t)
        try s.end()
        t.time_type = MYSQL_TIMESTAMP_DATE
        return t
    }

    static func time(_ text: String) throws(Failure) -> MYSQL_TIME {
        var s = Scanner(text)
        var t = MYSQL_TIME()
        if s.take(UInt8(ascii: "-")) { t.neg = 1 }
        try s.time(into: &t, maxHourDigits: 3)
        if try s.zoneOffsetSeconds() ?? 0 != 0 {
            throw Failure(reason: "MariaDB has no time with time zone; only a zero offset is accepted")
        }
        try s.end()
        // The binary protocol carries a TIME as days plus an hour byte.
        t.day = t.hour / 24
        t.hour %= 24
        t.time_type = MYSQL_TIMESTAMP_TIME
        return t
    }

    static func timestamp(_ text: String, withZone: Bool) throws(Failure) -> MYSQL_TIME {
        var s = Scanner(text)
        var t = MYSQL_TIME()
        try s.date(into: &t)
        guard s.take(UInt8(ascii: " ")) || s.take(UInt8(ascii: "T")) || s.take(UInt8(ascii: "t")) else {
            throw Failure(reason: "expected a space or T between date and time")
        }
        try s.time(into: &t, maxHourDigits: 2)
        let offset = try s.zoneOffsetSeconds()
        try s.end()
        if let offset, offset != 0 {
            guard withZone else { throw Failure(reason: "a timestamp without time zone cannot carry an offset") }
            shift(&t, bySeconds: -offset)
        }
        t.time_type = MYSQL_TIMESTAMP_DATETIME
        return t
    }

    /// Moves a date-time by whole seconds across day, month and year boundaries.
    static func shift(_ t: inout MYSQL_TIME, bySeconds delta: Int) {
        let days = daysFromCivil(year: Int(t.year), month: Int(t.month), day: Int(t.day))
        let total = days * 86_400 + Int(t.hour) * 3600 + Int(t.minute) * 60 + Int(t.second) + delta
        let newDays = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - newDays * 86_400
        let (y, m, d) = civilFromDays(newDays)
        t.year = UInt32(max(y, 0)); t.month = UInt32(m); t.day = UInt32(d)
        t.hour = UInt32(secondOfDay / 3600); t.minute = UInt32(secondOfDay % 3600 / 60); t.second = UInt32(secondOfDay % 60)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A cursor over the UTF-8 bytes of a temporal text.
private struct Scanner {
    let bytes: [UInt8]
    var i = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func take(_ byte: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    mutating func number(minDigits: Int, maxDigits: Int, what: String) throws(TemporalParser.Failure) -> Int {
        var value = 0
        var count = 0
        while i < bytes.count, count < maxDigits, bytes[i] >= 48, bytes[i] <= 57 {
            value = value * 10 + Int(bytes[i] - 48)
            i += 1
            count += 1
        }
        guard count >= minDigits else { throw .init(reason: "expected the \(what) as digits") }
        return value
    }

    mutating func expect(_ byte: UInt8, what: String) throws(TemporalParser.Failure) {
        guard take(byte) else { throw .init(reason: "expected '\(Character(Unicode.Scalar(byte)))' \(what)") }
    }

    mutating func date(into t: inout MYSQL_TIME) throws(TemporalParser.Failure) {
        t.year = UInt32(try number(minDigits: 4, maxDigits: 4, what: "year"))
        try expect(UInt8(ascii: "-"), what: "after the year")
        t.month = UInt32(try number(minDigits: 2, maxDigits: 2, what: "month"))
        try expect(UInt8(ascii: "-"), what: "after the month")
        t.day = UInt32(try number(minDigits: 2, maxDigits: 2, what: "day"))
        guard t.month <= 12, t.day <= 31 else { throw .init(reason: "month or day out of range") }
    }

    mutating func time(into t: inout MYSQL_TIME, maxHourDigits: Int) throws(TemporalParser.Failure) {
        t.hour = UInt32(try number(minDigits: 1, maxDigits: maxHourDigits, what: "hour"))
        try expect(UInt8(ascii: ":"), what: "after the hour")
        t.minute = UInt32(try number(minDigits: 2, maxDigits: 2, what: "minute"))
        try expect(UInt8(ascii: ":"), what: "after the minute")
        t.second = UInt32(try number(minDigits: 2, maxDigits: 2, what: "second"))
        guard t.minute < 60, t.second < 60 else { throw .init(reason: "minute or second out of range") }
        if take(UInt8(ascii: ".")) {
            let start = i
            let fraction = try number(minDigits: 1, maxDigits: 6, what: "fraction")
            if i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                throw .init(reason: "more than six fractional digits")
            }
            var micros = fraction
            for _ in 0..<(6 - (i - start)) { micros *= 10 }
            t.second_part = UInt(micros)
        }
    }

    /// `Z`, `±HH`, `±HHMM` or `±HH:MM` as seconds east of UTC; nil when there is none.
    mutating func zoneOffsetSeconds() throws(TemporalParser.Failure) -> Int? {
        if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) { return 0 }
        let sign: Int
        if take(UInt8(ascii: "+")) { sign = 1 } else if take(UInt8(ascii: "-")) { sign = -1 } else { return nil }
        let hours = try number(minDigits: 2, maxDigits: 2, what: "offset hours")
        _ = take(UInt8(ascii: ":"))
        let minutes = i < bytes.count ? try number(minDigits: 2, maxDigits: 2, what: "offset minutes") : 0
        guard hours <= 15, minutes < 60 else { throw .init(reason: "time zone offset out of range") }
        return sign * (hours * 3600 + minutes * 60)
    }

    func end() throws(TemporalParser.Failure) {
        guard i == bytes.count else { throw .init(reason: "unexpected text after the value") }
    }
}
