import DatabaseDriver

/// A database schema as data: tables with their columns, keys, constraints and indexes, plus views, enum
/// types, domains and sequences.
///
/// This is the spec's `SchemaDefinition`. It decodes both spec shapes (file 001: `tables` as a list with
/// `columns`, `indexes` and `constraints` lists; file 000: `tables`, `indexes` and `constraints` as dicts keyed
/// by name, plus `relationships`) and encodes as 001's shape extended with the richer fields.
///
/// Two schemas are equal for dbm when `diff` finds no change between them; `==` compares the stored values
/// and is stricter (it sees table order and unnamed-versus-named constraints).
public struct SchemaDefinition: Sendable, Hashable {
    /// The dialect the column types are written for, when known (`inspect_database` sets it).
    public var databaseType: Dialect?
    public var tables: [TableDefinition]
    public var views: [ViewDefinition]
    /// PostgreSQL enum types (`CREATE TYPE ... AS ENUM`); other dialects inline them (MySQL `ENUM(...)`,
    /// SQLite `CHECK (col IN (...))`).
    public var enums: [EnumDefinition]
    /// PostgreSQL domains; other dialects use the base type.
    public var domains: [DomainDefinition]
    /// Free-standing sequences. A sequence owned by an auto-increment column is implied by the column.
    public var sequences: [SequenceDefinition]
    /// Objects found in a database that this model does not describe (functions, triggers, partitions, ...).
    /// They are reported, never silently dropped, and are not part of `to_sql` or `diff`.
    public var unsupportedObjects: [UnsupportedObject]
    /// DDL produced by `generate_schema` for `database_type` (output only).
    public var ddlStatements: [String]
    /// Validation messages produced by `generate_schema` (output only).
    public var validationErrors: [String]

    public init(
        databaseType: Dialect? = nil, tables: [TableDefinition] = [], views: [ViewDefinition] = [],
        enums: [EnumDefinition] = [], domains: [DomainDefinition] = [], sequences: [SequenceDefinition] = [],
        unsupportedObjects: [UnsupportedObject] = [], ddlStatements: [String] = [], validationErrors: [String] = []
    ) {
        self.databaseType = databaseType
        self.tables = tables
        self.views = views
        self.enums = enums
        self.domains = domains
        self.sequences = sequences
        self.unsupportedObjects = unsupportedObjects
        self.ddlStatements = ddlStatements
        self.validationErrors = validationErrors
    }

    /// The table named `name`, if any.
    public func table(_ name: String) -> TableDefinition? { tables.first { $0.name == name } }

    /// The enum type named `name` (compared without a schema qualifier), if any.
    public func enumType(_ name: String) -> EnumDefinition? {
        let bare = SQLType.unqualified(name)
        return enums.first { $0.name == bare }
    }

    /// The domain named `name` (compared without a schema qualifier), if any.
    public func domain(_ name: String) -> DomainDefinition? {
        let bare = SQLType.unqualified(name)
        return domains.first { $0.name == bare }
    }

    /// The relationships implied by the foreign keys: each foreign key is a many-to-one relationship from
    /// the referencing table to the referenced one.
    public var relationships: [Relationship] {
        tables.flatMap { table in
            table.foreignKeys.map {
                Relationship(fromTable: table.name, fromColumns: $0.columns, toTable: $0.referencedTable,
                             toColumns: $0.referencedColumns, type: .manyToOne, name: $0.name)
            }
        }
    }

    /// The schema with its lists in a stable order (tables, views and other objects by name; each table's
    /// constraints and indexes by name). Column order is kept: it is part of the schema.
    public func sorted() -> SchemaDefinition {
        var copy = self
        copy.tables = tables.map { $0.sorted() }.sorted { $0.name < $1.name }
        copy.enums = enums.sorted { $0.name < $1.name }
        copy.domains = domains.sorted { $0.name < $1.name }
        copy.sequences = sequences.sorted { $0.name < $1.name }
        return copy
    }
}
