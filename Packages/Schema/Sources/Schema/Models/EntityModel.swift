/// dbm's simple entity description, one of the two model forms `generate_from_models` reads:
///
/// ```json
/// {"name": "Post", "table": "posts",
///  "fields": [{"name": "title", "type": "string", "max_length": 200, "nullable": false},
///             {"name": "published", "type": "boolean", "default": false, "index": true}],
///  "relationships": [{"type": "many_to_one", "target": "User", "field": "author_id", "on_delete": "CASCADE"},
///                    {"type": "many_to_many", "target": "Tag", "join_table": "post_tags"}]}
/// ```
/// Field types: `string` (with `max_length` → `varchar(n)`), `text`, `integer`, `bigint`, `float`, `decimal`
/// (`precision`, `scale`), `boolean`, `date`, `datetime`, `time`, `uuid`, `json`, `binary`, `enum` (`values`),
/// or any SQL type. Field constraints: `primary_key`, `nullable` / `required`, `unique`, `default`, `index`,
/// `auto_increment`, `min` / `max` (checks), `check`. A model without a primary key gets `id` (auto-increment).
struct EntityModel {
    var name: String
    var table: String
    var fields: [JSONNode]
    var relationships: [JSONNode]

    init(_ node: JSONNode) throws {
        guard let name = node["name"]?.string ?? node["entity"]?.string ?? node["model"]?.string else {
            throw SchemaError(.invalidModel, "an entity needs a name")
        }
        self.name = name
        table = node["table"]?.string ?? node["table_name"]?.string ?? ModelNaming.snakeCase(name)
        if let list = node["fields"]?.array ?? node["columns"]?.array ?? node["attributes"]?.array {
            fields = list
        } else if let members = node["fields"]?.members ?? node["columns"]?.members {
            fields = members.map { member in
                var entries = [(key: "name", value: JSONNode.string(member.key))]
                if case .object(let o) = member.value { entries += o } else if let type = member.value.string { entries.append(("type", .string(type))) }
                return .object(entries)
            }
        } else {
            fields = []
        }
        relationships = node["relationships"]?.array ?? []
    }

    /// The SQL type for an entity field.
    static func sqlType(_ field: JSONNode, enumName: String) -> String {
        let type = (field["type"]?.string ?? "string").lowercased()
        switch type {
        case "string", "str", "varchar":
            if let n = field["max_length"]?.int ?? field["length"]?.int ?? field["maxLength"]?.int { return "varchar(\(n))" }
            return "text"
        case "text": return "text"
        case "int", "integer": return "integer"
        case "bigint", "long": return "bigint"
        case "smallint": return "smallint"
        case "float", "double", "number": return "double"
        case "decimal", "numeric", "money":
            let p = field["precision"]?.int ?? 12, s = field["scale"]?.int ?? 2
            return "decimal(\(p),\(s))"
        case "bool", "boolean": return "boolean"
        case "date": return "date"
        case "datetime", "timestamp": return field["timezone"]?.bool == true ? "timestamptz" : "timestamp"
        case "timestamptz": return "timestamptz"
        case "time": return "time"
        case "uuid": return "uuid"
        case "json", "dict", "object", "array", "list": return "json"
        case "binary", "bytes", "blob": return "blob"
        case "enum": return enumName
        default: return SQLType.canonical(type)
        }
    }
}
