extension DecodingError {
    /// A one-line, human-readable account of the failure, rooted at `root`:
    /// "params.limit: expected integer, got string", "params.items[2].name: required value is missing".
    ///
    /// Works for errors from any decoder; ``JSONValueDecoder`` supplies the "expected X, got Y" wording.
    public func message(root: String = "params") -> String {
        switch self {
        case .typeMismatch(let type, let context):
            return "\(Self.render(root, context.codingPath)): \(Self.detail(context, fallback: "expected \(type)"))"
        case .valueNotFound(let type, let context):
            return "\(Self.render(root, context.codingPath)): \(Self.detail(context, fallback: "expected \(type), got null"))"
        case .keyNotFound(let key, let context):
            return "\(Self.render(root, context.codingPath + [key])): required value is missing"
        case .dataCorrupted(let context):
            return "\(Self.render(root, context.codingPath)): \(Self.detail(context, fallback: "invalid value"))"
        @unknown default:
            return "\(root): \(self)"
        }
    }

    /// Renders a coding path as `root.key[index].key`.
    public static func render(_ root: String, _ path: [any CodingKey]) -> String {
        var text = root
        for key in path {
            if let index = key.intValue, key.stringValue == String(index) {
                text += "[\(index)]"
            } else if text.isEmpty {
                text = key.stringValue
            } else {
                text += "." + key.stringValue
            }
        }
        return text
    }

    private static func detail(_ context: Context, fallback: String) -> String {
        let description = context.debugDescription
        guard !description.isEmpty else { return fallback }
        // Decoders capitalize and punctuate inconsistently; present one lower-case clause.
        var detail = description
        if detail.hasSuffix(".") { detail.removeLast() }
        if let first = detail.first, first.isUppercase, !detail.dropFirst().prefix(1).contains(where: \.isUppercase) {
            detail = first.lowercased() + detail.dropFirst()
        }
        return detail
    }
}
