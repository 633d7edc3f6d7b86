import DatabaseDriver

/// Renders canonical types in each dialect's DDL spelling, and says which types a dialect knows.
///
/// The mapping is lossless within a dialect (inspecting what it wrote gives the canonical type back) and
/// the nearest equivalent across dialects (`uuid` is `CHAR(36)` on MySQL; `jsonb` is `JSON`; arrays are
/// JSON text outside PostgreSQL). `TypeMapping.lossyConversions` lists the latter for validation.
public enum TypeMapping {
    /// The DDL spelling of `type` for `dialect`. Enum and domain names are resolved against `schema`:
    /// on MySQL an enum becomes `ENUM('a','b')`; on SQLite `TEXT`; a domain becomes its base type outside
    /// PostgreSQL. `inlineEnumName` names the type PostgreSQL needs for an inline `enum(...)`.
    public static func render(_ typeText: String, for dialect: Dialect, in schema: SchemaDefinition, inlineEnumName: String? = nil) -> String {
        let type = SQLType.parse(typeText)
        if type.arrayDimensions > 0 && dialect != .postgresql {
            return dialect == .mysql ? "JSON" : "TEXT"
        }
        if let enumType = schema.enumType(type.base), type.arguments.isEmpty {
            switch dialect {
            case .postgresql: return dialect.quote(enumType.name) + String(repeating: "[]", count: type.arrayDimensions)
            case .mysql: return "ENUM(" + enumType.values.map { dialect.stringLiteral($0) }.joined(separator: ",") + ")"
            case .sqlite: return "TEXT"
            }
        }
        if let domain = schema.domain(type.base), type.arguments.isEmpty {
            if dialect == .postgresql { return dialect.quote(domain.name) + String(repeating: "[]", count: type.arrayDimensions) }
            return render(domain.baseType, for: dialect, in: schema)
        }
        switch dialect {
        case .postgresql: return postgres(type, inlineEnumName: inlineEnumName)
        case .mysql: return mysql(type)
        case .sqlite: return sqlite(type)
        }
    }

    private static func args(_ type: SQLType) -> String {
        type.arguments.isEmpty ? "" : "(" + type.arguments.joined(separator: ",") + ")"
    }

    private static func postgres(_ type: SQLType, inlineEnumName: String?) -> String {
        let dims = String(repeating: "[]", count: type.arrayDimensions)
        let a = args(type)
        let base: String
        switch type.base {
        case "tinyint": base = "smallint"
        case "smallint": base = type.unsigned ? "integer" : "smallint"
        case "mediumint": base = "integer"
        case "integer": base = type.unsigned ? "bigint" : "integer"
        case "bigint": base = type.unsigned ? "numeric(20)" : "bigint"
        case "real": base = "real"
        case "double": base = "double precision"
        case "decimal": base = "numeric" + a
        case "boolean": base = "boolean"
        case "char": base = "char" + a
        case "varchar": base = "varchar" + a
        case "text", "tinytext", "mediumtext", "longtext": base = "text"
        case "blob", "tinyblob", "mediumblob", "longblob", "binary", "varbinary": base = "bytea"
        case "time": base = "time" + a
        case "timetz": base = "time" + a + " with time zone"
        case "timestamp": base = "timestamp" + a
        case "timestamptz": base = "timestamp" + a + " with time zone"
        case "year": base = "smallint"
        case "enum": base = inlineEnumName.map { Dialect.postgresql.quote($0) } ?? "text"
        case "set": base = "text[]"
        default: base = type.base + a
        }
        return base + dims
    }

    private static func mysql(_ type: SQLType) -> String {
        let a = args(type)
        let u = type.unsigned ? " UNSIGNED" : ""
        switch type.base {
        case "tinyint": return "TINYINT" + u
        case "smallint": return "SMALLINT" + u
        case "mediumint": return "MEDIUMINT" + u
        case "integer": return "INT" + u
        case "bigint": return "BIGINT" + u
        case "real": return "FLOAT" + u
        case "double": return "DOUBLE" + u
        case "decimal": return "DECIMAL" + a + u
        case "boolean": return "BOOLEAN"
        case "char": return "CHAR" + a
        case "varchar": return type.arguments.isEmpty ? "TEXT" : "VARCHAR" + a
        case "timestamp": return "DATETIME" + a
        case "timestamptz": return "TIMESTAMP" + a
        case "timetz": return "TIME" + a
        case "jsonb", "json": return "JSON"
        case "uuid": return "CHAR(36)"
        case "enum", "set":
            return type.base.uppercased() + "(" + type.arguments.joined(separator: ",") + ")"
        default: return type.base.uppercased() + a + u
        }
    }

    private static func sqlite(_ type: SQLType) -> String {
        let a = args(type)
        switch type.base {
        case "timestamptz": return "TIMESTAMPTZ" + a
        case "double": return "DOUBLE"
        case "enum", "set": return "TEXT"
        default: return type.base.uppercased() + a + (type.unsigned ? " UNSIGNED" : "")
        }
    }

    /// Base types each dialect understands natively (canonical names). Others must be an enum or
    /// domain of the schema, or are reported by validation.
    public static func knownTypes(_ dialect: Dialect) -> Set<String> {
        let common: Set<String> = ["smallint", "integer", "bigint", "real", "double", "decimal", "boolean", "char",
                                   "varchar", "text", "blob", "date", "time", "timestamp", "timestamptz", "json", "uuid"]
        switch dialect {
        case .postgresql:
            return common.union(["tinyint", "mediumint", "timetz", "jsonb", "bytea", "tsvector", "tsquery", "inet", "cidr",
                                 "macaddr", "interval", "money", "xml", "point", "line", "polygon", "box", "circle", "path",
                                 "bit", "varbit", "bit varying", "oid", "int4range", "int8range", "numrange", "tsrange",
                                 "tstzrange", "daterange", "year", "enum", "set", "tinytext", "mediumtext", "longtext",
                                 "tinyblob", "mediumblob", "longblob", "citext", "hstore"])
        case .mysql:
            return common.union(["tinyint", "mediumint", "timetz", "jsonb", "tinytext", "mediumtext", "longtext", "tinyblob",
                                 "mediumblob", "longblob", "binary", "varbinary", "year", "enum", "set", "bit", "geometry",
                                 "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                                 "geometrycollection", "inet4", "inet6"])
        case .sqlite:
            // SQLite accepts any type name; these are the ones whose affinity says what the author meant.
            return common.union(["tinyint", "mediumint", "numeric", "int", "float", "timetz", "jsonb", "tinytext", "mediumtext",
                                 "longtext", "tinyblob", "mediumblob", "longblob", "binary", "varbinary", "year", "enum", "set"])
        }
    }
}
