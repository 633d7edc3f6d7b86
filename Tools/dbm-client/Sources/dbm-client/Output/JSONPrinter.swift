import JSONRPC

/// Pretty-prints JSON for people (`--json` output and `call`).
enum JSONPrinter {
    static func pretty(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let elements):
            if elements.isEmpty { return "[]" }
            return "[\n" + elements.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let object):
            if object.isEmpty { return "{}" }
            let members = object.map { key, member in
                inner + String(decoding: JSONValue.string(key).serialized(), as: UTF8.self) + ": " + pretty(member, indent: inner)
            }
            return "{\n" + members.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return String(decoding: value.serialized(), as: UTF8.self)
        }
    }
}
