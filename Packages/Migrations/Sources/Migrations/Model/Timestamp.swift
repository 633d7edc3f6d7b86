import Foundation

/// Timestamps as the toolkit writes them in history tables and JSON: ISO 8601 in UTC with milliseconds
/// (`2025-03-01T12:00:00.123Z`), whatever date strategy the caller's JSON coder uses.
enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let plainStyle = Date.ISO8601FormatStyle()

    static func string(_ date: Date) -> String { style.format(date) }

    static func date(_ string: String) -> Date? {
        (try? style.parse(string)) ?? (try? plainStyle.parse(string))
    }
}

extension KeyedDecodingContainer {
    /// A date written as an ISO 8601 string (or in the coder's own date strategy).
    func decodeTimestampIfPresent(forKey key: Key) throws -> Date? {
        if let text = try? decodeIfPresent(String.self, forKey: key) {
            guard let date = Timestamp.date(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected an ISO 8601 timestamp")
            }
            return date
        }
        return try decodeIfPresent(Date.self, forKey: key)
    }
}

extension KeyedEncodingContainer {
    /// Writes a date as an ISO 8601 string, or null.
    mutating func encodeTimestamp(_ date: Date?, forKey key: Key) throws {
        try encode(date.map(Timestamp.string), forKey: key)
    }
}
