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
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    private let maxDepth: Int
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

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

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    func endOfInput() -> JSONParseError {
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

    func controlCharacter() -> JSONParseError {
        JSONParseError(
            kind: .controlCharacterInString, offset: index,
            detail: "Unescaped control character \(Self.describe(bytes[index])) in string")
    }

    func invalidUTF8(at position: Int) -> JSONParseError {
        JSONParseError(kind: .invalidUTF8, offset: position, detail: "Invalid UTF-8 in string")
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(printable(byte))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }

    static func printable(_ byte: UInt8) -> String {
        String(UnicodeScalar(byte))
    }
}
