extension JSONValue {
    /// The default limit on nested arrays and objects; deeper input is rejected instead of exhausting the stack.
    public static let defaultMaxDepth = 512

    /// Parses one JSON document (RFC 8259) from UTF-8 bytes.
    ///
    /// Strings are validated as UTF-8; lone UTF-16 surrogates written as `\u` escapes become U+FFFD. Whitespace
    /// may surround the value; anything else after it is an error. Nesting deeper than `maxDepth` arrays/objects
    /// is rejected. Contiguous collections (`[UInt8]`, `ArraySlice`, `String.UTF8View` of native strings) are
    /// parsed in place without copying.
    ///
    /// - Throws: ``JSONParseError`` with the byte offset of the first problem.
    public init(parsing bytes: some Collection<UInt8>, maxDepth: Int = JSONValue.defaultMaxDepth) throws(JSONParseError) {
        let result: Result<JSONValue, JSONParseError>
        if let parsed = bytes.withContiguousStorageIfAvailable({ JSONValue.parse($0, maxDepth: maxDepth) }) {
            result = parsed
        } else {
            result = Array(bytes).withUnsafeBufferPointer { JSONValue.parse($0, maxDepth: maxDepth) }
        }
        self = try result.get()
    }

    /// Parses one JSON document from a string (see ``init(parsing:maxDepth:)``).
    public init(parsing text: String, maxDepth: Int = JSONValue.defaultMaxDepth) throws(JSONParseError) {
        var text = text
        let result = text.withUTF8 { JSONValue.parse($0, maxDepth: maxDepth) }
        self = try result.get()
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
        do throws(JSONParseError) {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}

/// A recursive-descent parser over a contiguous UTF-8 buffer. Recursion is bounded by `maxDepth`.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private let maxDepth: Int
    /// Reused buffer for strings that contain escapes.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else {
            throw JSONParseError(kind: .emptyInput, offset: index, detail: "No JSON value in input")
        }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else {
            throw JSONParseError(
                kind: .trailingCharacters, offset: index,
                detail: "Unexpected \(Self.describe(bytes[index])) after the JSON value")
        }
        return value
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw endOfInput() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw unexpected()
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw tooDeep() }
        index += 1  // [
        skipWhitespace()
        guard index < bytes.count else { throw endOfInput() }
        if bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        var elements: [JSONValue] = []
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            let byte = bytes[index]
            if byte == UInt8(ascii: ",") {
                index += 1
            } else if byte == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            } else {
                throw unexpected(expecting: "',' or ']'")
            }
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw tooDeep() }
        index += 1  // {
        skipWhitespace()
        guard index < bytes.count else { throw endOfInput() }
        if bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject())
        }
        var object = JSONObject(minimumCapacity: 4)
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected(expecting: "a string key") }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: ":") else { throw unexpected(expecting: "':'") }
            index += 1
            skipWhitespace()
            object[key] = try parseValue(depth: depth)
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            let byte = bytes[index]
            if byte == UInt8(ascii: ",") {
                index += 1
            } else if byte == UInt8(ascii: "}") {
                index += 1
                return .object(object)
            } else {
                throw unexpected(expecting: "',' or '}'")
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        for offset in 0..<count {
            guard index < bytes.count else { throw endOfInput() }
            guard bytes[index] == start[offset] else { throw unexpected() }
            index += 1
        }
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count else { throw endOfInput() }
        // Accumulate negatively so Int64.min parses exactly.
        var accumulator: Int64 = 0
        var overflow = false
        let first = bytes[index]
        if first == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, Self.isDigit(bytes[index]) {
                throw JSONParseError(kind: .invalidNumber, offset: start, detail: "Numbers must not have leading zeros")
            }
        } else if Self.isDigit(first) {
            while index < bytes.count, Self.isDigit(bytes[index]) {
                if !overflow {
                    let (times10, o1) = accumulator.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.subtractingReportingOverflow(Int64(bytes[index] &- UInt8(ascii: "0")))
                    overflow = o1 || o2
                    accumulator = next
                }
                index += 1
            }
        } else {
            throw JSONParseError(kind: .invalidNumber, offset: index, detail: "Expected a digit in number")
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try consumeDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            try consumeDigits()
        }
        if isInteger && !overflow {
            if !negative {
                guard accumulator != .min else { return .double(-Double(accumulator)) }
                return .integer(-accumulator)
            }
            if accumulator == 0 { return .double(-0.0) }
            return .integer(accumulator)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else {
            throw JSONParseError(kind: .invalidNumber, offset: start, detail: "Invalid number '\(text)'")
        }
        return .double(value)
    }

    private mutating func consumeDigits() throws(JSONParseError) {
        guard index < bytes.count else { throw endOfInput() }
        guard Self.isDigit(bytes[index]) else {
            throw JSONParseError(kind: .invalidNumber, offset: index, detail: "Expected a digit in number")
        }
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    // MARK: Strings

    /// Parses a string starting at the opening quote. Unescaped strings are built straight from the input.
    private mutating func parseString() throws(JSONParseError) -> String {
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

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    private func endOfInput() -> JSONParseError {
        JSONParseError(kind: .unexpectedEndOfInput, offset: bytes.count, detail: "Unexpected end of input")
    }

    private func unexpected(expecting expectation: String? = nil) -> JSONParseError {
        let found = Self.describe(bytes[index])
        let detail = expectation.map { "Expected \($0) but found \(found)" } ?? "Unexpected \(found)"
        return JSONParseError(kind: .unexpectedCharacter, offset: index, detail: detail)
    }

    private func tooDeep() -> JSONParseError {
        JSONParseError(
            kind: .tooDeeplyNested, offset: index,
            detail: "Arrays and objects are nested more than \(maxDepth) levels deep")
    }

    private func controlCharacter() -> JSONParseError {
        JSONParseError(
            kind: .controlCharacterInString, offset: index,
            detail: "Unescaped control character \(Self.describe(bytes[index])) in string")
    }

    private func invalidUTF8(at position: Int) -> JSONParseError {
        JSONParseError(kind: .invalidUTF8, offset: position, detail: "Invalid UTF-8 in string")
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(printable(byte))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }

    private static func printable(_ byte: UInt8) -> String {
        String(UnicodeScalar(byte))
    }
}
