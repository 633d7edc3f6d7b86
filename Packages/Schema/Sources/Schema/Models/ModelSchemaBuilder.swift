import Foundation

/// Turns models given as data (JSON Schema documents or dbm entity descriptions, mixed freely) into a
/// `SchemaDefinition`: one table per model, foreign keys for relationships, join tables for
/// many-to-many, an index on every foreign key column, enum types for enumerations.
public struct ModelSchemaBuilder: Sendable {
    public init() {}

    /// Builds the schema. Throws `SchemaError` (`invalidModel`) naming the model and field at fault.
    public func build(_ models: [JSONNode]) throws -> SchemaDefinition {
        var state = State()
        // First pass: tables and their own columns, so relationships can find any model.
        var entities: [EntityModel] = []
        var documents: [JSONNode] = []
        for model in models {
            if JSONSchemaModel.isJSONSchema(model) { documents.append(model) } else { entities.append(try EntityModel(model)) }
        }
        for document in documents {
            for (title, schema) in JSONSchemaModel.models(in: document) where state.tableFor[title] == nil {
                try state.addJSONSchemaTable(title: title, schema: schema, document: document)
            }
        }
        for entity in entities { try state.addEntityTable(entity) }
        // Second pass: relationships.
        for document in documents {
            for (title, schema) in JSONSchemaModel.models(in: document) {
                try state.addJSONSchemaRelationships(title: title, schema: schema, document: document)
            }
        }
        for entity in entities { try state.addEntityRelationships(entity) }
        var schema = SchemaDefinition(tables: state.order.compactMap { state.tables[$0] }, enums: state.enums)
        // Foreign Key Index Rule (file 003): index every foreign key's columns unless a key starts with them.
        for i in schema.tables.indices {
            let table = schema.tables[i]
            for fk in table.foreignKeys {
                let covered = table.primaryKey.map { Array($0.columns.prefix(fk.columns.count)) == fk.columns } ?? false
                    || table.indexes.contains { Array($0.columns.prefix(fk.columns.count)) == fk.columns }
                    || table.uniqueConstraints.contains { Array($0.columns.prefix(fk.columns.count)) == fk.columns }
                if !covered {
                    schema.tables[i].indexes.append(IndexDefinition(name: ConstraintNames.fit("idx_\(table.name)_" + fk.columns.joined(separator: "_")), columns: fk.columns))
                }
            }
        }
        return schema
    }

    struct State {
        var tables: [String: TableDefinition] = [:]
        var order: [String] = []
        /// Model name or title → table name.
        var tableFor: [String: String] = [:]
        var enums: [EnumDefinition] = []

        mutating func register(_ model: String, table: TableDefinition) throws {
            guard tables[table.name] == nil else {
                throw SchemaError(.invalidModel, "two models map to table '\(table.name)'", location: model)
            }
            tableFor[model] = table.name
            tables[table.name] = table
            order.append(table.name)
        }

        func table(for model: String, from location: String) throws -> TableDefinition {
            guard let name = tableFor[model] ?? (tables[model] != nil ? model : nil), let table = tables[name] else {
                throw SchemaError(.invalidModel, "relationship target '\(model)' is not one of the models", location: location)
            }
            return table
        }

        mutating func addEnum(_ name: String, values: [String], location: String) throws -> String {
            if let existing = enums.first(where: { $0.name == name }) {
                guard existing.values == values else { throw SchemaError(.invalidModel, "enum \(name) is defined twice with different values", location: location) }
                return name
            }
            guard !values.isEmpty else { throw SchemaError(.invalidModel, "enum \(name) has no values", location: location) }
            enums.append(EnumDefinition(name: name, values: values))
            return name
        }

        static func withSurrogateKey(_ table: inout TableDefinition) {
            if table.primaryKey == nil {
                table.columns.insert(ColumnDefinition(name: "id", type: "integer", nullable: false, autoIncrement: true), at: 0)
                table.primaryKey = PrimaryKey(columns: ["id"])
            }
        }

        /// Adds `column` referencing `target`'s primary key, with a foreign key.
        mutating func addReference(from tableName: String, column: String, to target: TableDefinition, nullable: Bool,
                                   onDelete: ForeignKeyAction, unique: Bool = false, location: String) throws {
            guard let pk = target.primaryKey, pk.columns.count == 1, let pkColumn = target.column(pk.columns[0]) else {
                throw SchemaError(.invalidModel, "\(target.name) needs a single-column primary key to be referenced", location: location)
            }
            guard var table = tables[tableName] else { return }
            let type = SQLType.parse(pkColumn.type)
            if table.column(column) == nil {
                table.columns.append(ColumnDefinition(name: column, type: type.description, nullable: nullable))
            }
            table.foreignKeys.append(ForeignKey(columns: [column], referencedTable: target.name, referencedColumns: [pkColumn.name],
                                                onDelete: nullable || onDelete != .setNull ? onDelete : .noAction))
            if unique && !table.uniqueConstraints.contains(where: { $0.columns == [column] }) {
                table.uniqueConstraints.append(UniqueConstraint(columns: [column]))
            }
            tables[tableName] = table
        }

        mutating func addJoinTable(_ name: String?, between a: TableDefinition, and b: TableDefinition, location: String) throws {
            let joinName = name ?? "\(a.name)_\(b.name)"
            if tables[joinName] != nil { return }
            guard let pkA = a.primaryKey, pkA.columns.count == 1, let colA = a.column(pkA.columns[0]),
                  let pkB = b.primaryKey, pkB.columns.count == 1, let colB = b.column(pkB.columns[0]) else {
                throw SchemaError(.invalidModel, "many-to-many needs single-column primary keys on \(a.name) and \(b.name)", location: location)
            }
            let left = "\(a.name)_id", right = a.name == b.name ? "related_\(b.name)_id" : "\(b.name)_id"
            let table = TableDefinition(
                name: joinName,
                columns: [ColumnDefinition(name: left, type: SQLType.parse(colA.type).description, nullable: false),
                          ColumnDefinition(name: right, type: SQLType.parse(colB.type).description, nullable: false)],
                primaryKey: PrimaryKey(columns: [left, right]),
                foreignKeys: [ForeignKey(columns: [left], referencedTable: a.name, referencedColumns: [colA.name], onDelete: .cascade),
                              ForeignKey(columns: [right], referencedTable: b.name, referencedColumns: [colB.name], onDelete: .cascade)])
            try register(joinName, table: table)
        }

        // MARK: Entity descriptions

        mutating func addEntityTable(_ entity: EntityModel) throws {
            var table = TableDefinition(name: entity.table)
            var pk: [String] = []
            for field in entity.fields {
                guard let name = field["name"]?.string else { throw SchemaError(.invalidModel, "a field of \(entity.name) has no name", location: entity.name) }
                let location = "\(entity.name).\(name)"
                var type = EntityModel.sqlType(field, enumName: "")
                if (field["type"]?.string ?? "").lowercased() == "enum" || field["values"]?.array != nil && field["type"]?.string == nil {
                    let values = (field["values"]?.array ?? field["choices"]?.array ?? []).compactMap(\.string)
                    type = try addEnum(field["enum_name"]?.string ?? "\(entity.table)_\(name)", values: values, location: location)
                }
                let isPK = field["primary_key"]?.bool ?? false
                var nullable = field["nullable"]?.bool ?? !(field["required"]?.bool ?? false)
                if isPK { nullable = false; pk.append(name) }
                var column = ColumnDefinition(name: name, type: type, nullable: nullable)
                column.autoIncrement = field["auto_increment"]?.bool ?? (isPK && SQLType.parse(type).isInteger && field["auto_increment"] == nil && pk.count == 1)
                column.defaultValue = Self.defaultValue(field["default"])
                column.comment = field["description"]?.string
                table.columns.append(column)
                if field["unique"]?.bool == true { table.uniqueConstraints.append(UniqueConstraint(columns: [name])) }
                if field["index"]?.bool == true { table.indexes.append(IndexDefinition(name: ConstraintNames.fit("idx_\(entity.table)_\(name)"), columns: [name])) }
                if let min = field["min"]?.number ?? field["minimum"]?.number { table.checkConstraints.append(CheckConstraint(expression: "\(Self.sqlName(name)) >= \(Self.number(min))")) }
                if let max = field["max"]?.number ?? field["maximum"]?.number { table.checkConstraints.append(CheckConstraint(expression: "\(Self.sqlName(name)) <= \(Self.number(max))")) }
                if let check = field["check"]?.string { table.checkConstraints.append(CheckConstraint(expression: check)) }
            }
            if !pk.isEmpty {
                table.primaryKey = PrimaryKey(columns: pk)
                if pk.count > 1 { for i in table.columns.indices { table.columns[i].autoIncrement = false } }
            }
            Self.withSurrogateKey(&table)
            try register(entity.name, table: table)
        }

        mutating func addEntityRelationships(_ entity: EntityModel) throws {
            guard let me = tables[tableFor[entity.name] ?? entity.table] else { return }
            for relation in entity.relationships {
                let kind = (relation["type"]?.string ?? relation["kind"]?.string ?? "many_to_one").lowercased().replacingOccurrences(of: "-", with: "_")
                guard let targetName = relation["target"]?.string ?? relation["to"]?.string ?? relation["model"]?.string else {
                    throw SchemaError(.invalidModel, "a relationship of \(entity.name) has no target", location: entity.name)
                }
                let location = "\(entity.name) → \(targetName)"
                let target = try table(for: targetName, from: location)
                let onDelete = relation["on_delete"]?.string.flatMap(ForeignKeyAction.init(spelling:)) ?? .noAction
                let nullable = relation["nullable"]?.bool ?? !(relation["required"]?.bool ?? false)
                switch kind {
                case "many_to_one", "belongs_to":
                    try addReference(from: me.name, column: relation["field"]?.string ?? relation["column"]?.string ?? "\(target.name)_id",
                                     to: target, nullable: nullable, onDelete: onDelete, location: location)
                case "one_to_one", "has_one":
                    try addReference(from: me.name, column: relation["field"]?.string ?? relation["column"]?.string ?? "\(target.name)_id",
                                     to: target, nullable: nullable, onDelete: onDelete, unique: true, location: location)
                case "one_to_many", "has_many":
                    try addReference(from: target.name, column: relation["field"]?.string ?? relation["column"]?.string ?? "\(me.name)_id",
                                     to: tables[me.name] ?? me, nullable: nullable, onDelete: onDelete, location: location)
                case "many_to_many":
                    try addJoinTable(relation["join_table"]?.string ?? relation["through"]?.string, between: tables[me.name] ?? me, and: target, location: location)
                default:
                    throw SchemaError(.invalidModel, "relationship type '\(kind)' is not one of many_to_one, one_to_one, one_to_many, many_to_many", location: location)
                }
            }
        }

        // MARK: JSON Schema

        mutating func addJSONSchemaTable(title: String, schema: JSONNode, document: JSONNode) throws {
            let tableName = schema["x-table"]?.string ?? ModelNaming.snakeCase(title)
            var table = TableDefinition(name: tableName)
            let required = Set((schema["required"]?.array ?? []).compactMap(\.string))
            var pk: [String] = []
            for (name, raw) in schema["properties"]?.members ?? [] {
                let (property, optional) = JSONSchemaModel.unwrapOptional(raw)
                let location = "\(title).\(name)"
                var type: String
                if let ref = property["$ref"]?.string {
                    guard let target = JSONSchemaModel.resolve(ref, in: document) else {
                        throw SchemaError(.invalidModel, "$ref \(ref) does not resolve", location: location)
                    }
                    guard let values = target.schema["enum"]?.array else { continue }   // a relationship: second pass
                    type = try addEnum(ModelNaming.snakeCase(target.name), values: values.compactMap(\.string), location: location)
                } else if property["type"]?.string == "array", property["items"]?["$ref"] != nil {
                    continue                                                           // a relationship: second pass
                } else if let values = property["enum"]?.array {
                    type = try addEnum("\(tableName)_\(ModelNaming.snakeCase(name))", values: values.compactMap(\.string), location: location)
                } else {
                    type = property["x-sql-type"]?.string.map { SQLType.canonical($0) } ?? JSONSchemaModel.sqlType(property)
                }
                let isPK = property["x-primary-key"]?.bool ?? (name == "id")
                var column = ColumnDefinition(name: ModelNaming.snakeCase(name), type: type,
                                              nullable: !isPK && (optional || !required.contains(name)))
                if isPK {
                    pk.append(column.name)
                    column.autoIncrement = SQLType.parse(type).isInteger
                }
                if let def = property["default"], def != .null { column.defaultValue = Self.defaultValue(def) }
                column.comment = property["description"]?.string
                table.columns.append(column)
                if property["x-unique"]?.bool == true { table.uniqueConstraints.append(UniqueConstraint(columns: [column.name])) }
                if property["x-index"]?.bool == true { table.indexes.append(IndexDefinition(name: ConstraintNames.fit("idx_\(tableName)_\(column.name)"), columns: [column.name])) }
                let q = Self.sqlName(column.name)
                if let min = property["minimum"]?.number { table.checkConstraints.append(CheckConstraint(expression: "\(q) >= \(Self.number(min))")) }
                if let min = property["exclusiveMinimum"]?.number { table.checkConstraints.append(CheckConstraint(expression: "\(q) > \(Self.number(min))")) }
                if let max = property["maximum"]?.number { table.checkConstraints.append(CheckConstraint(expression: "\(q) <= \(Self.number(max))")) }
                if let max = property["exclusiveMaximum"]?.number { table.checkConstraints.append(CheckConstraint(expression: "\(q) < \(Self.number(max))")) }
            }
            if !pk.isEmpty { table.primaryKey = PrimaryKey(columns: pk) }
            if pk.count > 1 { for i in table.columns.indices { table.columns[i].autoIncrement = false } }
            Self.withSurrogateKey(&table)
            try register(title, table: table)
        }

        mutating func addJSONSchemaRelationships(title: String, schema: JSONNode, document: JSONNode) throws {
            guard let me = tables[tableFor[title] ?? ""] else { return }
            let required = Set((schema["required"]?.array ?? []).compactMap(\.string))
            for (name, raw) in schema["properties"]?.members ?? [] {
                let (property, optional) = JSONSchemaModel.unwrapOptional(raw)
                let location = "\(title).\(name)"
                let onDelete = property["x-on-delete"]?.string.flatMap(ForeignKeyAction.init(spelling:)) ?? .noAction
                if let ref = property["$ref"]?.string, let target = JSONSchemaModel.resolve(ref, in: document), target.schema["enum"] == nil {
                    let targetTable = try table(for: target.name, from: location)
                    let kind = property["x-relationship"]?.string ?? "many_to_one"
                    try addReference(from: me.name, column: ModelNaming.snakeCase(name) + "_id", to: targetTable,
                                     nullable: optional || !required.contains(name), onDelete: onDelete,
                                     unique: kind == "one_to_one", location: location)
                } else if property["type"]?.string == "array", let ref = property["items"]?["$ref"]?.string,
                          let target = JSONSchemaModel.resolve(ref, in: document), target.schema["enum"] == nil {
                    let targetTable = try table(for: target.name, from: location)
                    if property["x-relationship"]?.string == "many_to_many" {
                        try addJoinTable(property["x-join-table"]?.string, between: tables[me.name] ?? me, and: targetTable, location: location)
                    } else {
                        try addReference(from: targetTable.name, column: "\(me.name)_id", to: tables[me.name] ?? me,
                                         nullable: true, onDelete: onDelete == .noAction ? .cascade : onDelete, location: location)
                    }
                }
            }
        }

        static func defaultValue(_ node: JSONNode?) -> ColumnDefault? {
            switch node {
            case .string(let s)?: return .string(s)
            case .number(let n)?: return .number(number(n))
            case .bool(let b)?: return .boolean(b)
            case .object?:
                if let e = node?["expression"]?.string { return .expression(e) }
                return nil
            default: return nil
            }
        }

        static func number(_ n: Double) -> String {
            n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        }

        /// Column names in generated checks are written bare when they are plain words, quoted otherwise.
        static func sqlName(_ name: String) -> String {
            SQLText.isBareWord(name) && !ReservedWords.common.contains(name.lowercased()) ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }
}
