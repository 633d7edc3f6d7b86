/// Parses the header section of an LSP base-protocol message.
enum ContentLengthHeader {
    /// Longest header section accepted before giving up on finding its end.
    static let maximumSize = 8192

    enum ParseResult: Equatable {
        case length(Int)
        case invalid(String)
    }

    /// Reads `Content-Length` from the header lines (without the blank line that ends them).
    /// Header names are case-insensitive; `Content-Type` and unknown headers are ignored.
    static func parse(_ lines: [ArraySlice<UInt8>]) -> ParseResult {
        var length: Int?
        for line in lines {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                return .invalid("malformed header line '\(printable(line))' (expected 'Name: value')")
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            guard name.lowercased() == "content-length" else { continue }
            let value = trimmed(line[(colon + 1)...])
            guard !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                return .invalid("Content-Length must be a non-negative integer, got '\(printable(value))'")
            }
            // Anything longer than 18 digits cannot be a real size; report it as huge rather than overflow.
            length = value.count > 18 ? Int.max : Int(String(decoding: value, as: UTF8.self))!
        }
        guard let length else { return .invalid("missing Content-Length header") }
        return .length(length)
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { slice.removeFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: "\r") {
            slice.removeLast()
        }
        return slice
    }

    /// The header text for log messages: at most 80 characters, non-printables as `?`.
    static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        String(bytes.prefix(80).map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "?" })
    }
}
