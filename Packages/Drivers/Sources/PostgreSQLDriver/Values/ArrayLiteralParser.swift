/// Reads PostgreSQL's array output (`{1,2,NULL}`, `{{"a b","c\"d"},{e,f}}`) into values.
///
/// Elements are decoded with the element type's `CellDecoder`; an unquoted `NULL` is SQL null, a quoted
/// `"NULL"` is the text. Multi-dimensional arrays become nested `.array` values.
struct ArrayLiteralParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let delimiter: UInt8
    private var position = 0
    /// One element's unescaped text, reused across elements.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
    }

    /// The elements, or `nil` when the text is not a plain `{...}` literal (explicit bounds such as
    /// `[0:1]={1,2}`, or malformed text).
    mutating func parse(_ element: CellDecoder) -> [DatabaseValue]? {
        position = 0
        guard let values = parseArray(element), position == bytes.count else { return nil }
        return values
    }

    private mutating func parseArray(_ element: CellDecoder) -> [DatabaseValue]? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { return nil }
        position += 1
        var values: [DatabaseValue] = []
        skipSpaces()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            return values
        }
        while position < bytes.count {
            skipSpaces()
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                guard let nested = parseArray(element) else { return nil }
                values.append(.array(nested))
            case UInt8(ascii: "\""):
                guard readQuoted() else { return nil }
                values.append(decodeScratch(element))
            default:
                guard let isNull = readUnquoted() else { return nil }
                values.append(isNull ? .null : decodeScratch(element))
            }
            skipSpaces()
            guard position < bytes.count else { return nil }
            let c = bytes[position]
            position += 1
            if c == UInt8(ascii: "}") { return values }
            guard c == delimiter else { return nil }
        }
        return nil
    }

    private mutating func skipSpaces() {
        while position < bytes.count && Self.isSpace(bytes[position]) { position += 1 }
    }

    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0b || c == 0x0c
    }

    /// Reads `"..."` into `scratch`, undoing backslash escapes.
    private mutating func readQuoted() -> Bool {
        scratch.removeAll(keepingCapacity: true)
        position += 1
        while position < bytes.count {
            let c = bytes[position]
            position += 1
            if c == UInt8(ascii: "\\") {
                guard position < bytes.count else { return false }
                scratch.append(bytes[position])
                position += 1
            } else if c == UInt8(ascii: "\"") {
                return true
            } else {
                scratch.append(c)
            }
        }
        return false
    }

    /// Reads an unquoted element into `scratch`; returns whether it was the null marker, or `nil` when
    /// the text ends early.
    private mutating func readUnquoted() -> Bool? {
        scratch.removeAll(keepingCapacity: true)
        var escaped = false
        var trailingSpaces = 0
        while position < bytes.count {
            let c = bytes[position]
            if c == delimiter || c == UInt8(ascii: "}") { break }
            position += 1
            if c == UInt8(ascii: "\\") {
                guard position < bytes.count else { return nil }
                scratch.append(bytes[position])
                position += 1
                escaped = true
                trailingSpaces = 0
            } else {
                scratch.append(c)
                trailingSpaces = Self.isSpace(c) ? trailingSpaces + 1 : 0
            }
        }
        guard position < bytes.count else { return nil }
        scratch.removeLast(trailingSpaces)
        return !escaped && scratch.count == 4 && Self.isNullMarker(scratch)
    }

    private static func isNullMarker(_ s: [UInt8]) -> Bool {
        (s[0] | 0x20) == UInt8(ascii: "n") && (s[1] | 0x20) == UInt8(ascii: "u")
            && (s[2] | 0x20) == UInt8(ascii: "l") && (s[3] | 0x20) == UInt8(ascii: "l")
    }

    private mutating func decodeScratch(_ element: CellDecoder) -> DatabaseValue {
        let count = scratch.count
        scratch.append(0)
        defer { scratch.removeLast() }
        return scratch.withUnsafeBufferPointer { element.decode($0.baseAddress!, count: count) }
    }
}
