/// Reads JSON Schema documents as Pydantic's `model_json_schema()` writes them: `title`, `properties`,
/// `required`, `$defs` with `$ref` between models, `anyOf [T, null]` for optional fields, `enum` for
/// enumerations, `format` (`date-time`, `date`, `time`, `uuid`, `email`), `maxLength`, `minimum` /
/// `maximum`, `default`.
///
/// Relationships: a property that is a `$ref` to another object model is many-to-one (a `<name>_id`
/// column); an array of such `$ref`s is one-to-many (a `<parent>_id` column on the child), or
/// many-to-many when the property says `"x-relationship": "many_to_many"`. A property named `id`, or
/// marked `"x-primary-key": true`, is the primary key.
enum JSONSchemaModel {
    /// True when `node` looks like a JSON Schema document rather than an entity description.
    static func isJSONSchema(_ node: JSONNode) -> Bool {
        node["properties"] != nil || node["$defs"] != nil || node["definitions"] != nil || node["$schema"] != nil
    }

    /// The object models of a document: the root and its `$defs`, each with its title.
    static func models(in document: JSONNode) -> [(title: String, schema: JSONNode)] {
        var out: [(String, JSONNode)] = []
        for member in document["$defs"]?.members ?? document["definitions"]?.members ?? [] where member.value["properties"] != nil {
            out.append((member.value["title"]?.string ?? member.key, member.value))
        }
        if document["properties"] != nil, let title = document["title"]?.string {
            out.append((title, document))
        }
        return out
    }

    /// The definition a `$ref` points at, within `document`.
    static func resolve(_ ref: String, in document: JSONNode) -> (name: String, schema: JSONNode)? {
        for prefix in ["#/$defs/", "#/definitions/"] where ref.hasPrefix(prefix) {
            let key = String(ref.dropFirst(prefix.count))
            let container = document[prefix == "#/$defs/" ? "$defs" : "definitions"]
            if let schema = container?[key] { return (schema["title"]?.string ?? key, schema) }
        }
        if ref == "#", let title = document["title"]?.string { return (title, document) }
        return nil
    }

    /// A property without its `anyOf [T, null]` wrapper, and whether null was allowed.
    static func unwrapOptional(_ property: JSONNode) -> (JSONNode, Bool) {
        if let options = property["anyOf"]?.array ?? property["oneOf"]?.array {
            let nonNull = options.filter { $0["type"]?.string != "null" }
            if nonNull.count == 1 {
                // Keep the outer default/title with the inner schema.
                var merged = nonNull[0].members ?? []
                for member in property.members ?? [] where member.key != "anyOf" && member.key != "oneOf" && !merged.contains(where: { $0.key == member.key }) {
                    merged.append(member)
                }
                return (.object(merged), nonNull.count != options.count)
            }
        }
        if let types = property["type"]?.array, types.contains(.string("null")) {
            let rest = types.filter { $0 != .string("null") }
            var merged = (property.members ?? []).filter { $0.key != "type" }
            if let only = rest.first, rest.count == 1 { merged.append(("type", only)) }
            return (.object(merged), true)
        }
        return (property, false)
    }

    /// The SQL type of a scalar property.
    static func sqlType(_ property: JSONNode) -> String {
        let format = property["format"]?.string
        switch property["type"]?.string {
        case "integer": return "bigint" == property["x-sql-type"]?.string ? "bigint" : "integer"
        case "number": return "double"
        case "boolean": return "boolean"
        case "string":
            switch format {
            case "date-time": return "timestamptz"
            case "date": return "date"
            case "time": return "time"
            case "uuid", "uuid4": return "uuid"
            case "binary", "base64": return "blob"
            default:
                if let n = property["maxLength"]?.int { return "varchar(\(n))" }
                if format == "email" { return "varchar(320)" }
                return "text"
            }
        case "array", "object": return "json"
        default: return "text"
        }
    }
}
