import DatabaseDriver

extension DatabaseValue {
    /// The value as text, whatever type the engine returned (`nil` for NULL).
    var stringValue: String? {
        switch self {
        case .null: nil
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        default: textRepresentation
        }
    }

    /// The value as an integer: integers, integral text and decimals, booleans as 0/1.
    var intValue: Int? {
        switch self {
        case .integer(let v): Int(v)
        case .bool(let b): b ? 1 : 0
        case .double(let d): Int(d)
        case .null: nil
        default: stringValue.flatMap { Int($0) ?? Double($0).map { Int($0) } }
        }
    }

    /// The value as a boolean: booleans, non-zero integers, `t`/`true`/`1`.
    var boolValue: Bool? {
        switch self {
        case .bool(let b): b
        case .integer(let v): v != 0
        case .null: nil
        default: stringValue.map { ["t", "true", "1", "y", "yes"].contains($0.lowercased()) }
        }
    }
}
