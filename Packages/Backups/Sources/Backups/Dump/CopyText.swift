/// Reads fields of a row in PostgreSQL's COPY text format: fields separated by tabs, `\N` for NULL, and
/// backslash escapes for the bytes that would be read as structure (a tab or newline inside a value is
/// always escaped, so every raw tab is a separator).
enum CopyText {
    /// Field `index` (from 0) of `row` (without its newline), its escapes decoded; nil for NULL, or when the
    /// row has fewer fields.
    static func field(_ index: Int, of row: [UInt8]) -> String? {
        row.withUnsafeBytes { row -> String? in
            var start = 0
            for _ in 0..<index {
                let end = fieldEnd(row, from: start)
                guard end < row.count else { return nil }
                start = end + 1
            }
            let raw = UnsafeRawBufferPointer(rebasing: row[start..<fieldEnd(row, from: start)])
            return isNull(raw) ? nil : String(decoding: unescape(Array(raw)), as: UTF8.self)
        }
    }

    /// Where the field starting at `start` ends: at the next tab, or at the end of the row.
    static func fieldEnd(_ row: UnsafeRawBufferPointer, from start: Int) -> Int {
        var end = start
        while end < row.count && row[end] != 0x09 { end += 1 }
        return end
    }

    /// Whether a field is `\N`, COPY's NULL.
    static func isNull(_ field: UnsafeRawBufferPointer) -> Bool {
        field.count == 2 && field[0] == 0x5C && field[1] == UInt8(ascii: "N")
    }

    /// The bytes a field's escapes stand for: `\b \f \n \r \t \v`, up to three octal digits, `\x` with one
    /// or two hexadecimal digits, and any other character after a backslash taken as itself.
    static func unescape(_ raw: [UInt8]) -> [UInt8] {
        guard !raw.isEmpty else { return [] }
        return [UInt8](unsafeUninitializedCapacity: raw.count) { out, count in
            count = raw.withUnsafeBytes { unescape($0, into: UnsafeMutableRawPointer(out.baseAddress!)) }
        }
    }

    /// Writes the bytes `raw`'s escapes stand for to `out` (which has room for `raw.count` bytes, the most
    /// it can take) and returns how many it wrote.
    static func unescape(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) -> Int {
        var written = 0
        func put(_ byte: UInt8) {
            out.storeBytes(of: byte, toByteOffset: written, as: UInt8.self)
            written += 1
        }
        var position = 0
        while position < raw.count {
            let byte = raw[position]
            position += 1
            guard byte == 0x5C, position < raw.count else {
                put(byte)
                continue
            }
            let escaped = raw[position]
            position += 1
            switch escaped {
            case UInt8(ascii: "b"): put(0x08)
            case UInt8(ascii: "f"): put(0x0C)
            case UInt8(ascii: "n"): put(0x0A)
            case UInt8(ascii: "r"): put(0x0D)
            case UInt8(ascii: "t"): put(0x09)
            case UInt8(ascii: "v"): put(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escaped - 48)
                var digits = 1
                while digits < 3, position < raw.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(raw[position]) {
                    value = value * 8 + Int(raw[position] - 48)
                    position += 1
                    digits += 1
                }
                put(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x") where position < raw.count && Hex.value(of: raw[position]) != nil:
                var value = Int(Hex.value(of: raw[position])!)
                position += 1
                if position < raw.count, let low = Hex.value(of: raw[position]) {
                    value = value * 16 + Int(low)
                    position += 1
                }
                put(UInt8(value))
            default: put(escaped)
            }
        }
        return written
    }
}
