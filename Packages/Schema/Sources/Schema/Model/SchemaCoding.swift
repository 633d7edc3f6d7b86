import DatabaseDriver
import Foundation

extension SchemaDefinition: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        var dialect: Dialect? = nil
        if let name = try c.first(String.self, "database_type", "dialect", "target_database") {
            guard let d = Dialect(name: name) else {
                throw DecodingError.dataCorruptedError(forKey: AnyKey("database_type"), in: c,
                    debugDescription: "unsupported database_type '\(name.prefix(40))'; use postgresql, mysql or sqlite")
            }
            dialect = d
        }
        self.init(databaseType: dialect)
        try DecodingDialect.$current.withValue(dialect) {
            tables = try c.first(NamedList<TableDefinition>.self, "tables")?.elements ?? []
            views = try c.first(NamedList<ViewDefinition>.self, "views")?.elements ?? []
            enums = try c.first(NamedList<EnumDefinition>.self, "enums", "enum_types", "types")?.elements ?? []
            domains = try c.first(NamedList<DomainDefinition>.self, "domains")?.elements ?? []
            sequences = try c.first(NamedList<SequenceDefinition>.self, "sequences")?.elements ?? []
            // 000 shape: top-level indexes and constraints keyed by name, each naming its table.
            if let indexes = try c.first(NamedList<TopLevel<IndexDefinition>>.self, "indexes")?.elements {
                for entry in indexes {
                    let i = try tableIndex(entry.table, for: "index \(entry.value.name)")
                    if !tables[i].indexes.contains(where: { $0.name == entry.value.name }) { tables[i].indexes.append(entry.value) }
                }
            }
            if let constraints = try c.first(NamedList<TopLevel<DecodedConstraint>>.self, "constraints")?.elements {
                for entry in constraints {
                    let i = try tableIndex(entry.table, for: "a constraint")
                    tables[i].add(entry.value)
                    tables[i].normalizePrimaryKeyNullability()
                }
            }
            for relationship in try c.first([RelationshipCoding].self, "relationships") ?? [] {
                try add(relationship.value, onDelete: relationship.onDelete)
            }
        }
        unsupportedObjects = try c.first([UnsupportedObject].self, "unsupported_objects") ?? []
        ddlStatements = try c.first([String].self, "ddl_statements") ?? []
        validationErrors = try c.first([String].self, "validation_errors") ?? []
    }

    private func tableIndex(_ name: String, for what: String) throws -> Int {
        guard let i = tables.firstIndex(where: { $0.name == name }) else {
            throw SchemaError(.invalidDefinition, "\(what) refers to table '\(name)', which the schema does not define", location: name)
        }
        return i
    }

    /// Adds the foreign key a `relationships` entry describes, unless the tables already have it.
    mutating func add(_ relationship: Relationship, onDelete: ForeignKeyAction?) throws {
        guard !relationship.fromColumns.isEmpty, !relationship.toColumns.isEmpty else {
            throw SchemaError(.invalidDefinition,
                "relationship \(relationship.fromTable) → \(relationship.toTable) names no columns; give from_column and to_column (or declare the foreign key on the table)",
                location: relationship.fromTable)
        }
        var rel = relationship
        // A one-to-many relationship is the same foreign key seen from the other side.
        if rel.type == .oneToMany { rel = Relationship(fromTable: rel.toTable, fromColumns: rel.toColumns, toTable: rel.fromTable, toColumns: rel.fromColumns, type: .manyToOne, name: rel.name) }
        if rel.type == .manyToMany {
            throw SchemaError(.invalidDefinition,
                "relationship \(rel.fromTable) ↔ \(rel.toTable) is many-to-many; declare its join table, or use generate_from_models, which creates one",
                location: rel.fromTable)
        }
        let i = try tableIndex(rel.fromTable, for: "relationship \(rel.fromTable) → \(rel.toTable)")
        tables[i].add(.foreignKey(ForeignKey(name: rel.name, columns: rel.fromColumns, referencedTable: rel.toTable,
                                             referencedColumns: rel.toColumns, onDelete: onDelete ?? .noAction)))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.putIfPresent(databaseType?.rawValue, "database_type")
        try c.put(tables, "tables")
        try c.put(views, "views")
        try c.put(enums, "enums")
        try c.put(domains, "domains")
        try c.put(sequences, "sequences")
        try c.put(relationships.map(RelationshipCoding.init(value:)), "relationships")
        try c.put(ddlStatements, "ddl_statements")
        try c.put(validationErrors, "validation_errors")
        try c.put(unsupportedObjects, "unsupported_objects")
    }
}

/// A 000-style top-level entry: the value plus the `table` it belongs to.
struct TopLevel<Value: Decodable>: Decodable {
    var table: String
    var value: Value
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let table = try c.first(String.self, "table", "table_name") else {
            throw DecodingError.keyNotFound(AnyKey("table"), .init(codingPath: c.codingPath, debugDescription: "a top-level index or constraint needs \"table\""))
        }
        self.table = table
        value = try Value(from: decoder)
    }
}

struct RelationshipCoding: Codable {
    var value: Relationship
    var onDelete: ForeignKeyAction?
    init(value: Relationship) { self.value = value }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let from = try c.first(String.self, "from_table", "from", "table"),
              let to = try c.first(String.self, "to_table", "to", "referenced_table") else {
            throw DecodingError.keyNotFound(AnyKey("from_table"), .init(codingPath: c.codingPath, debugDescription: "a relationship needs from_table and to_table"))
        }
        let typeName = (try c.first(String.self, "type", "kind") ?? "many_to_one").lowercased().replacingOccurrences(of: "-", with: "_")
        guard let kind = Relationship.Kind(rawValue: typeName) else {
            throw DecodingError.dataCorruptedError(forKey: AnyKey("type"), in: c, debugDescription: "relationship type must be one_to_one, one_to_many, many_to_one or many_to_many")
        }
        value = Relationship(fromTable: from, fromColumns: try c.strings("from_columns", "from_column", "columns", "column") ?? [],
                             toTable: to, toColumns: try c.strings("to_columns", "to_column", "referenced_columns", "referenced_column") ?? [],
                             type: kind, name: try c.first(String.self, "name"), joinTable: try c.first(String.self, "join_table", "through"))
        onDelete = try c.first(String.self, "on_delete").flatMap(ForeignKeyAction.init(spelling:))
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.putIfPresent(value.name, "name")
        try c.put(value.fromTable, "from_table")
        try c.put(value.fromColumns, "from_columns")
        try c.put(value.toTable, "to_table")
        try c.put(value.toColumns, "to_columns")
        try c.put(value.type.rawValue, "type")
        try c.putIfPresent(value.joinTable, "join_table")
    }
}

extension ViewDefinition: Codable {
    public init(from decoder: any Decoder) throws {
        if let s = try? decoder.singleValueContainer().decode(String.self), let name = NameContext.current {
            self.init(name: name, definition: s)
            return
        }
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let name = try c.first(String.self, "name") ?? NameContext.current,
              let definition = try c.first(String.self, "definition", "sql", "query", "select") else {
            throw DecodingError.keyNotFound(AnyKey("definition"), .init(codingPath: c.codingPath, debugDescription: "a view needs name and definition"))
        }
        self.init(name: name, definition: definition, materialized: try c.first(Bool.self, "materialized") ?? false,
                  indexes: try c.first([IndexDefinition].self, "indexes") ?? [])
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(name, "name")
        try c.put(definition, "definition")
        if materialized { try c.put(true, "materialized") }
        if !indexes.isEmpty { try c.put(indexes, "indexes") }
    }
}

extension EnumDefinition: Codable {
    public init(from decoder: any Decoder) throws {
        if let values = try? decoder.singleValueContainer().decode([String].self), let name = NameContext.current {
            self.init(name: name, values: values)
            return
        }
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let name = try c.first(String.self, "name") ?? NameContext.current, let values = try c.first([String].self, "values", "labels") else {
            throw DecodingError.keyNotFound(AnyKey("values"), .init(codingPath: c.codingPath, debugDescription: "an enum needs name and values"))
        }
        self.init(name: name, values: values)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(name, "name")
        try c.put(values, "values")
    }
}

extension DomainDefinition: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let name = try c.first(String.self, "name") ?? NameContext.current, let base = try c.first(String.self, "base_type", "type") else {
            throw DecodingError.keyNotFound(AnyKey("base_type"), .init(codingPath: c.codingPath, debugDescription: "a domain needs name and base_type"))
        }
        self.init(name: name, baseType: SQLType.canonical(base, dialect: DecodingDialect.current), notNull: try c.first(Bool.self, "not_null") ?? false,
                  defaultValue: try DecodedColumn.decodeDefault(c), checks: try c.first([CheckCoding].self, "checks")?.map(\.value) ?? [])
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(name, "name")
        try c.put(baseType, "base_type")
        if notNull { try c.put(true, "not_null") }
        try c.putIfPresent(defaultValue?.wireValue, "default")
        if !checks.isEmpty { try c.put(checks.map(CheckCoding.init(value:)), "checks") }
    }
}

extension SequenceDefinition: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let name = try c.first(String.self, "name") ?? NameContext.current else {
            throw DecodingError.keyNotFound(AnyKey("name"), .init(codingPath: c.codingPath, debugDescription: "a sequence needs a name"))
        }
        self.init(name: name, start: try c.first(Int64.self, "start") ?? 1, increment: try c.first(Int64.self, "increment") ?? 1,
                  minValue: try c.first(Int64.self, "min_value"), maxValue: try c.first(Int64.self, "max_value"),
                  cache: try c.first(Int64.self, "cache") ?? 1, cycle: try c.first(Bool.self, "cycle") ?? false)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(name, "name")
        try c.put(start, "start")
        try c.put(increment, "increment")
        try c.putIfPresent(minValue, "min_value")
        try c.putIfPresent(maxValue, "max_value")
        try c.put(cache, "cache")
        try c.put(cycle, "cycle")
    }
}
