import DatabaseDriver
import Foundation

extension DatabaseValue {
    /// The value as a `Double` when it is numeric (or numeric text, as some statistics views return).
    var doubleValue: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .double(let v): v
        case .decimal(let s), .text(let s): Double(s)
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }

    /// The value as an `Int64` when it is an integer, or a number with no fractional part.
    var int64Value: Int64? {
        if case .integer(let v) = self { return v }
        if case .bool(let b) = self { return b ? 1 : 0 }
        guard let d = doubleValue, d.isFinite, d.rounded() == d, abs(d) < 9.2e18 else { return nil }
        return Int64(d)
    }

    /// The value as text: strings, JSON and temporal values as they are, numbers in their text form.
    var stringValue: String? {
        switch self {
        case .null: nil
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        default: textRepresentation
        }
    }

    /// True for a true boolean, a non-zero number, or the text `t`/`true`/`yes`/`on`/`1`.
    var boolValue: Bool {
        switch self {
        case .bool(let b): b
        case .integer(let v): v != 0
        case .text(let s): ["t", "true", "yes", "on", "1"].contains(s.lowercased())
        default: false
        }
    }
}

extension Row {
    /// The value of column `name` as a `Double`, or `nil`.
    func double(_ name: String) -> Double? { self[name]?.doubleValue }
    /// The value of column `name` as an `Int64`, or `nil`.
    func int(_ name: String) -> Int64? { self[name]?.int64Value }
    /// The value of column `name` as text, or `nil`.
    func string(_ name: String) -> String? { self[name]?.stringValue }
}

extension Double {
    /// The value rounded to `digits` decimal places (for readable reports; raw values stay exact in history).
    func rounded(to digits: Int) -> Double {
        let scale = pow(10, Double(digits))
        return (self * scale).rounded() / scale
    }
}

/// Bytes to mebibytes, the unit of the spec's `*_size_mb` fields.
func megabytes(_ bytes: Int64) -> Double { Double(bytes) / 1_048_576 }
