import Foundation

/// Wall-clock helpers shared by the collectors, the history and the reports.
enum Clock {
    /// Seconds since 1970, with sub-millisecond precision.
    static func now() -> Double { Date().timeIntervalSince1970 }

    /// An ISO 8601 timestamp in UTC with milliseconds (`2026-11-21T05:42:24.123Z`).
    static func iso8601(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    /// Parses a timestamp written by `iso8601(_:)` (or without fractional seconds).
    static func parse(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }

    /// Elapsed milliseconds of `body`, measured on the monotonic clock.
    static func measure<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let value = try await body()
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return (value, ms)
    }
}
