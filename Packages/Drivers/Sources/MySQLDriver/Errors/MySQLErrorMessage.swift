import Foundation

/// Removes data values that MariaDB echoes into some error messages, so a `DatabaseError` never carries a
/// bound value (`Duplicate entry 'alice@example.com' for key 'email'` → `Duplicate entry '***' for key 'email'`).
enum MySQLErrorMessage {
    /// Error numbers whose message quotes the offending value, and the text that precedes the quote.
    private static let valueMarkers: [UInt32: String] = [
        1062: "entry '", 1586: "entry '",
        1292: "value: '", 1366: "value: '", 1367: "value: '", 1411: "value: '", 4038: "value: '",
        1690: "in '",
    ]

    /// The engine's message with any echoed value replaced by `***`.
    static func redacted(_ message: String, errno: UInt32) -> String {
        guard let marker = valueMarkers[errno], let start = message.range(of: marker) else { return message }
        // The value ends at the last quote before " for " / " at " / the end; values may contain quotes.
        let rest = message[start.upperBound...]
        let end = rest.range(of: "' for ", options: .backwards)?.lowerBound
            ?? rest.range(of: "' at ", options: .backwards)?.lowerBound
            ?? rest.lastIndex(of: "'")
        guard let end else { return String(message[..<start.upperBound]) + "***'" }
        return String(message[..<start.upperBound]) + "***" + String(message[end...])
    }
}
