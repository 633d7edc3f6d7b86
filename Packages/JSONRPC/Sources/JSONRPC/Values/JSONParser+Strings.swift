/// String parsing for ``JSONParser``: the unescaped fast path builds the `String` straight from the input;
/// strings with escapes are accumulated in `scratch`. Raw bytes are validated as UTF-8 as they are scanned.
extension JSONParser {
    /// Parses a string starting at the opening quote. Unescaped strings are built straight from the input.
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                return try parseEscapedString()
            }
            if byte < 0x20 { throw controlCharacter() }
            if byte < 0x80 {
                index += 1
            } else {
                index += try validateMultibyteSequence(at: index)
            }
        }
        throw endOfInput()
    }

    /// Continues a string that contains escapes, accumulating its UTF-8 in `scratch`.
    private mutating func parseEscapedString() throws(JSONParseError) -> String {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                try parseEscape()
            } else if byte < 0x20 {
                throw controlCharacter()
            } else if byte < 0x80 {
                scratch.append(byte)
                index += 1
            } else {
                let length = try validateMultibyteSequence(at: index)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
                index += length
            }
        }
        throw endOfInput()
    }

    private mutating func parseEscape() throws(JSONParseError) {
        let escapeStart = index
        index += 1  // backslash
        guard index < bytes.count else { throw endOfInput() }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4(escapeStart: escapeStart)
            var scalar: Unicode.Scalar
            if UTF16.isLeadSurrogate(unit) {
                // A high surrogate must be followed by `\uDC00`…`\uDFFF`; otherwise it stands alone.
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    let save = index
                    index += 2
                    let low = try parseHex4(escapeStart: save)
                    if UTF16.isTrailSurrogate(low) {
                        let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                    } else {
                        index = save
                        scalar = "\u{FFFD}"
                    }
                } else {
                    scalar = "\u{FFFD}"
                }
            } else {
                scalar = Unicode.Scalar(unit) ?? "\u{FFFD}"  // lone low surrogates are not scalars
            }
            scratch.append(contentsOf: UTF8.encode(scalar)!)
        default:
            throw JSONParseError(
                kind: .invalidEscape, offset: escapeStart,
                detail: "Invalid escape sequence '\\\(Self.printable(byte))' in string")
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw endOfInput() }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONParseError(
                    kind: .invalidEscape, offset: escapeStart, detail: "Invalid \\u escape: expected 4 hex digits")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    /// Validates one non-ASCII UTF-8 sequence starting at `position`; returns its length.
    private func validateMultibyteSequence(at position: Int) throws(JSONParseError) -> Int {
        let lead = bytes[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw invalidUTF8(at: position)
        }
        guard position + length <= bytes.count else {
            // A truncated sequence at the very end: report the bad bytes if any, else the premature end.
            for offset in 1..<(bytes.count - position) where !(0x80...0xBF).contains(bytes[position + offset]) {
                throw invalidUTF8(at: position)
            }
            throw endOfInput()
        }
        guard secondRange.contains(bytes[position + 1]) else { throw invalidUTF8(at: position) }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[position + offset]) {
            throw invalidUTF8(at: position)
        }
        return length
    }
}
