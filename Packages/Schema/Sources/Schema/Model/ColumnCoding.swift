import DatabaseDriver
import Foundation

/// The dialect whose type spellings are being decoded (from the schema's `database_type`).
enum DecodingDialect {
    @TaskLocal static var current: Dialect?
}

/// Column shorthands that decoding lifts into table-level constraints: `primary_key`, `unique`,
/// `references`, `check`.
struct ColumnShorthand: Sendable {
    var primaryKey = false
    var unique = false
    var foreignKey: ForeignKey?
    var check: String?
}

/// A column as decoded, with its shorthands; the table decoder turns it into a `ColumnDefinition` plus
/// constraints.
struct DecodedColumn: Decodable {
    var column: ColumnDefinition
    var shorthand = ColumnShorthand()

    init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let type = try? single.decode(String.self) {
            guard let name = NameContext.current else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a column given as a type string needs a name key"))
            }
            column = ColumnDefinition(name: name, type: SQLType.canonical(type, dialect: DecodingDialect.current))
            return
        }
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let name = try c.first(String.self, "name", "column_name") ?? NameContext.current else {
            throw DecodingError.keyNotFound(AnyKey("name"), .init(codingPath: c.codingPath, debugDescription: "a column needs a name"))
        }
        guard var typeText = try c.first(String.self, "type", "data_type", "sql_type") else {
            throw DecodingError.keyNotFound(AnyKey("type"), .init(codingPath: c.codingPath, debugDescription: "column \(name) needs a type"))
        }
        let lowerType = typeText.lowercased()
        var autoIncrement = try c.first(Bool.self, "auto_increment", "autoincrement", "autoIncrement", "identity") ?? false
        if ["serial", "bigserial", "smallserial", "serial4", "serial8", "serial2"].contains(lowerType) { autoIncrement = true }
        if lowerType.hasSuffix(" auto_increment") { autoIncrement = true; typeText = String(typeText.dropLast(15)) }
        let primaryKey = try c.first(Bool.self, "primary_key", "primaryKey", "pk") ?? false
        var nullable = try c.first(Bool.self, "nullable") ?? true
        if let notNull = try c.first(Bool.self, "not_null", "required") { nullable = !notNull }
        if primaryKey { nullable = false }
        column = ColumnDefinition(name: name, type: SQLType.canonical(typeText, dialect: DecodingDialect.current), nullable: nullable,
                                  autoIncrement: autoIncrement)
        column.defaultValue = try Self.decodeDefault(c)
        column.renamedFrom = try c.first(String.self, "renamed_from", "renamedFrom")
        column.comment = try c.first(String.self, "comment", "description")
        shorthand.primaryKey = primaryKey
        shorthand.unique = try c.first(Bool.self, "unique") ?? false
        shorthand.check = try c.first(String.self, "check")
        let fkOnDelete = try c.first(String.self, "on_delete").flatMap(ForeignKeyAction.init(spelling:))
        var fkOnUpdate: ForeignKeyAction? = nil
        if let onUpdate = try c.first(String.self, "on_update") {
            if let action = ForeignKeyAction(spelling: onUpdate), c.has("references", "foreign_key") { fkOnUpdate = action }
            else { column.onUpdate = ColumnDefault.timeKeyword(onUpdate) ?? onUpdate }
        }
        if let e = try c.first(String.self, "on_update_expression") { column.onUpdate = ColumnDefault.timeKeyword(e) ?? e }
        if let reference = try Self.decodeReference(c, keys: ["references", "foreign_key"]) {
            var fk = ForeignKey(columns: [name], referencedTable: reference.table, referencedColumns: [reference.column])
            fk.onDelete = reference.onDelete ?? fkOnDelete ?? .noAction
            fk.onUpdate = reference.onUpdate ?? fkOnUpdate ?? .noAction
            fk.name = reference.name
            shorthand.foreignKey = fk
        }
    }

    static func decodeDefault(_ c: KeyedDecodingContainer<AnyKey>) throws -> ColumnDefault? {
        if let expression = try c.first(String.self, "default_expression", "server_default") { return .expression(expression) }
        for key in ["default", "default_value"] {
            let k = AnyKey(key)
            guard c.contains(k) else { continue }
            if try c.decodeNil(forKey: k) { return nil }
            if let b = try? c.decode(Bool.self, forKey: k) { return .boolean(b) }
            if let i = try? c.decode(Int64.self, forKey: k) { return .number(String(i)) }
            if let d = try? c.decode(Double.self, forKey: k) { return .number(DatabaseValue.format(double: d)) }
            if let s = try? c.decode(String.self, forKey: k) { return ColumnDefault(sql: s) }
            let object = try c.nestedContainer(keyedBy: AnyKey.self, forKey: k)
            if let e = try object.first(String.self, "expression") { return .expression(e) }
            if let s = try? object.first(String.self, "literal") { return .string(s) }
            if let b = try? object.first(Bool.self, "literal") { return .boolean(b) }
            if let d = try? object.first(Double.self, "literal") { return .number(DatabaseValue.format(double: d)) }
            throw DecodingError.dataCorruptedError(forKey: k, in: c, debugDescription: "default must be SQL text, a number, a boolean, or {\"expression\": ...} / {\"literal\": ...}")
        }
        return nil
    }

    struct Reference {
        var table: String
        var column: String
        var onDelete: ForeignKeyAction?
        var onUpdate: ForeignKeyAction?
        var name: String?
    }

    /// Reads `"users.id"`, `"users(id)"`, `"users"` (meaning its `id`), or
    /// `{"table": "users", "column": "id", "on_delete": "CASCADE"}`.
    static func decodeReference(_ c: KeyedDecodingContainer<AnyKey>, keys: [String]) throws -> Reference? {
        for key in keys {
            let k = AnyKey(key)
            guard c.contains(k), try !c.decodeNil(forKey: k) else { continue }
            if let text = try? c.decode(String.self, forKey: k) { return parseReference(text) }
            let o = try c.nestedContainer(keyedBy: AnyKey.self, forKey: k)
            guard let table = try o.first(String.self, "table", "referenced_table", "to_table") else {
                throw DecodingError.keyNotFound(AnyKey("table"), .init(codingPath: o.codingPath, debugDescription: "references needs a table"))
            }
            return Reference(table: table, column: try o.first(String.self, "column", "referenced_column", "to_column") ?? "id",
                             onDelete: try o.first(String.self, "on_delete").flatMap(ForeignKeyAction.init(spelling:)),
                             onUpdate: try o.first(String.self, "on_update").flatMap(ForeignKeyAction.init(spelling:)),
                             name: try o.first(String.self, "name"))
        }
        return nil
    }

    static func parseReference(_ text: String) -> Reference {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let open = t.firstIndex(of: "("), t.hasSuffix(")") {
            return Reference(table: String(t[..<open]).trimmingCharacters(in: .whitespaces),
                             column: String(t[t.index(after: open)..<t.index(before: t.endIndex)]).trimmingCharacters(in: .whitespaces))
        }
        if let dot = t.lastIndex(of: ".") {
            return Reference(table: String(t[..<dot]), column: String(t[t.index(after: dot)...]))
        }
        return Reference(table: t, column: "id")
    }
}

extension ColumnDefinition: Codable {
    public init(from decoder: any Decoder) throws {
        self = try DecodedColumn(from: decoder).column
    }

    /// Encodes the 001 column shape plus dbm's fields. `primary_key` and `references` are written by the
    /// table encoder, which knows the table's keys.
    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, primaryKey: false, references: nil)
    }

    func encode(to encoder: any Encoder, primaryKey: Bool, references: String?) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(name, "name")
        try c.put(type, "type")
        try c.put(nullable, "nullable")
        try c.put(primaryKey, "primary_key")
        try c.putIfPresent(defaultValue?.wireValue, "default")
        try c.putIfPresent(references, "references")
        if autoIncrement { try c.put(true, "auto_increment") }
        try c.putIfPresent(onUpdate, "on_update_expression")
        try c.putIfPresent(renamedFrom, "renamed_from")
        try c.putIfPresent(comment, "comment")
    }
}

extension ColumnDefault {
    /// The default as the wire carries it: SQL text, except a bare-word expression (which as text would
    /// read back as a string literal), written as `{"expression": "..."}`.
    var wireValue: JSONNode {
        if case .expression(let e) = self, SQLText.isBareWord(e), !SQLText.sqlKeywords.contains(e.uppercased()) {
            return .object([(key: "expression", value: .string(e))])
        }
        return .string(sqlText)
    }
}
