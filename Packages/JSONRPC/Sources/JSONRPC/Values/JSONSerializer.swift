extension JSONValue {
    /// Appends the compact JSON text of this value to `buffer` as UTF-8.
    ///
    /// The output is always valid JSON on one line: strings escape `"`, `\` and every control character
    /// (so a newline never appears raw, which newline-delimited framing relies on), and non-finite doubles
    /// (NaN, ±infinity), which JSON cannot represent, are written as `null`. Integers are written exactly;
    /// doubles use the shortest text that round-trips.
    public func serialize(into buffer: inout [UInt8]) {
        switch self {
        case .null:
            JSONSerializer.appendLiteral("null", to: &buffer)
        case .bool(let value):
            JSONSerializer.appendLiteral(value ? "true" : "false", to: &buffer)
        case .integer(let value):
            JSONSerializer.appendInteger(value, to: &buffer)
        case .double(let value):
            JSONSerializer.appendDouble(value, to: &buffer)
        case .string(let value):
            JSONSerializer.appendString(value, to: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                element.serialize(into: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let object):
            buffer.append(UInt8(ascii: "{"))
            for index in 0..<object.count {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                JSONSerializer.appendString(object.keys[index], to: &buffer)
                buffer.append(UInt8(ascii: ":"))
                object.values[index].serialize(into: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// The compact JSON text of this value as UTF-8 bytes (see ``serialize(into:)``).
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        serialize(into: &buffer)
        return buffer
    }
}

/// Low-level writers shared by ``JSONValue``, the message serializers and ``SelfSerializingResult``s.
public enum JSONSerializer {
    public static func appendLiteral(_ literal: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    public static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value >= 0 && value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        // Digits are produced backwards into a fixed scratch area; 20 bytes hold Int64.min.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var magnitude = value.magnitude
            var position = 20
            repeat {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if value < 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "-")
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[position..<20]))
        }
    }

    public static func appendDouble(_ value: Double, to buffer: inout [UInt8]) {
        guard value.isFinite else {
            appendLiteral("null", to: &buffer)
            return
        }
        // Swift's description is the shortest round-tripping form ("1.0", "1e-05", "1.5e+300"),
        // all of which are valid JSON numbers.
        buffer.append(contentsOf: value.description.utf8)
    }

    public static func appendString(_ string: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                }
                appendEscape(for: byte, to: &buffer)
                runStart = index + 1
            }
            if runStart < utf8.count {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(for byte: UInt8, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case 0x0A: buffer.append(UInt8(ascii: "n"))
        case 0x0D: buffer.append(UInt8(ascii: "r"))
        case 0x09: buffer.append(UInt8(ascii: "t"))
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            buffer.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            buffer.append(hexDigits.utf8Start[Int(byte >> 4)])
            buffer.append(hexDigits.utf8Start[Int(byte & 0xF)])
        }
    }
}
