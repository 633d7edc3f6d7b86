import Foundation

/// A cron schedule: five fields (`minute hour day-of-month month day-of-week`) or one of `@hourly`,
/// `@daily` (`@midnight`), `@weekly`, `@monthly`, `@yearly` (`@annually`). Times are UTC.
///
/// Each field takes `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, and lists `a,b-c`; day of week
/// is 0–7 (0 and 7 are Sunday). As in cron, when both day fields are restricted a day matching either runs.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let description: String
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let days: Set<Int>
    private let months: Set<Int>
    private let weekdays: Set<Int>
    private let daysRestricted: Bool
    private let weekdaysRestricted: Bool

    /// Parses an expression. Throws `.invalidSchedule` saying which field is wrong.
    public init(_ text: String) throws(BackupError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded: String = switch trimmed.lowercased() {
        case "@hourly": "0 * * * *"
        case "@daily", "@midnight": "0 0 * * *"
        case "@weekly": "0 0 * * 0"
        case "@monthly": "0 0 1 * *"
        case "@yearly", "@annually": "0 0 1 1 *"
        default: trimmed
        }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw BackupError(.invalidSchedule, "a schedule has five fields (minute hour day month weekday) or is @hourly, @daily or @weekly, not \"\(text)\"")
        }
        minutes = try Self.field(fields[0], "minute", 0...59)
        hours = try Self.field(fields[1], "hour", 0...23)
        days = try Self.field(fields[2], "day of month", 1...31)
        months = try Self.field(fields[3], "month", 1...12)
        weekdays = Set(try Self.field(fields[4], "day of week", 0...7).map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
        description = trimmed
    }

    /// The first minute strictly after `date` that the schedule matches (searched up to five years ahead).
    public func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.dateInterval(of: .minute, for: date)!.start.addingTimeInterval(60)
        var parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start)
        let limit = (parts.year ?? 2000) + 5
        while let year = parts.year, year <= limit {
            guard let candidate = calendar.date(from: parts) else { return nil }
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: candidate)
            if !months.contains(c.month!) {
                parts = DateComponents(year: c.year! + (c.month! == 12 ? 1 : 0), month: c.month! % 12 + 1, day: 1, hour: 0, minute: 0)
                continue
            }
            if !dayMatches(day: c.day!, weekday: c.weekday! - 1) {
                let nextDay = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: candidate))!
                parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: nextDay)
                continue
            }
            if !hours.contains(c.hour!) {
                let nextHour = calendar.date(byAdding: .hour, value: 1, to: calendar.dateInterval(of: .hour, for: candidate)!.start)!
                parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: nextHour)
                continue
            }
            if !minutes.contains(c.minute!) {
                parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: candidate.addingTimeInterval(60))
                continue
            }
            return candidate
        }
        return nil
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): days.contains(day) || weekdays.contains(weekday)
        case (true, false): days.contains(day)
        case (false, true): weekdays.contains(weekday)
        case (false, false): true
        }
    }

    private static func field(_ text: String, _ name: String, _ range: ClosedRange<Int>) throws(BackupError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let base = pieces.first, !base.isEmpty else { throw invalid(name, text) }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else { throw invalid(name, text) }
                step = s
            }
            var bounds: ClosedRange<Int>
            if base == "*" {
                bounds = range
            } else if let dash = base.firstIndex(of: "-") {
                guard let low = Int(base[..<dash]), let high = Int(base[base.index(after: dash)...]), low <= high else { throw invalid(name, text) }
                bounds = low...high
            } else {
                guard let value = Int(base) else { throw invalid(name, text) }
                bounds = value...(pieces.count == 2 ? range.upperBound : value)
            }
            guard range.contains(bounds.lowerBound), range.contains(bounds.upperBound) else { throw invalid(name, text) }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }

    private static func invalid(_ name: String, _ text: String) -> BackupError {
        BackupError(.invalidSchedule, "the \(name) field \"\(text)\" is not a valid cron field")
    }
}
