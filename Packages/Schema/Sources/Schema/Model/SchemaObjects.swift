/// A view; `definition` is its `SELECT`. A materialized view (PostgreSQL) may carry indexes.
public struct ViewDefinition: Sendable, Hashable {
    public var name: String
    public var definition: String
    public var materialized: Bool
    public var indexes: [IndexDefinition]

    public init(name: String, definition: String, materialized: Bool = false, indexes: [IndexDefinition] = []) {
        self.name = name
        self.definition = definition
        self.materialized = materialized
        self.indexes = indexes
    }
}

/// An enum type: PostgreSQL `CREATE TYPE name AS ENUM (...)`. Columns name it as their type.
public struct EnumDefinition: Sendable, Hashable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}

/// A PostgreSQL domain: a base type with optional NOT NULL, default and checks.
public struct DomainDefinition: Sendable, Hashable {
    public var name: String
    public var baseType: String
    public var notNull: Bool
    public var defaultValue: ColumnDefault?
    /// Check expressions, using `VALUE` for the value.
    public var checks: [CheckConstraint]

    public init(name: String, baseType: String, notNull: Bool = false, defaultValue: ColumnDefault? = nil, checks: [CheckConstraint] = []) {
        self.name = name
        self.baseType = SQLType.canonical(baseType)
        self.notNull = notNull
        self.defaultValue = defaultValue
        self.checks = checks
    }
}

/// A free-standing sequence (PostgreSQL). Sequences owned by auto-increment columns are not listed.
public struct SequenceDefinition: Sendable, Hashable {
    public var name: String
    public var start: Int64
    public var increment: Int64
    public var minValue: Int64?
    public var maxValue: Int64?
    public var cache: Int64
    public var cycle: Bool

    public init(name: String, start: Int64 = 1, increment: Int64 = 1, minValue: Int64? = nil, maxValue: Int64? = nil, cache: Int64 = 1, cycle: Bool = false) {
        self.name = name
        self.start = start
        self.increment = increment
        self.minValue = minValue
        self.maxValue = maxValue
        self.cache = cache
        self.cycle = cycle
    }
}

/// A relationship between two tables (the spec's `relationships` entries). Many-to-one relationships are
/// foreign keys; many-to-many ones go through `joinTable`.
public struct Relationship: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case oneToOne = "one_to_one"
        case oneToMany = "one_to_many"
        case manyToOne = "many_to_one"
        case manyToMany = "many_to_many"
    }

    public var fromTable: String
    public var fromColumns: [String]
    public var toTable: String
    public var toColumns: [String]
    public var type: Kind
    public var name: String?
    public var joinTable: String?

    public init(fromTable: String, fromColumns: [String], toTable: String, toColumns: [String], type: Kind, name: String? = nil, joinTable: String? = nil) {
        self.fromTable = fromTable
        self.fromColumns = fromColumns
        self.toTable = toTable
        self.toColumns = toColumns
        self.type = type
        self.name = name
        self.joinTable = joinTable
    }
}

/// A database object that the schema model does not describe, reported by inspection so nothing is
/// dropped silently: `kind` is `function`, `trigger`, `partition`, `procedure`, `index_prefix`, ...
public struct UnsupportedObject: Sendable, Hashable, Codable {
    public var kind: String
    public var name: String
    public var table: String?
    /// Why the model does not carry it, or what was kept of it.
    public var reason: String

    public init(kind: String, name: String, table: String? = nil, reason: String) {
        self.kind = kind
        self.name = name
        self.table = table
        self.reason = reason
    }
}
