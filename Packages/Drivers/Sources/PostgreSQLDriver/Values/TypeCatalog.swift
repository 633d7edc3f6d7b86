/// The types of one database as the driver decodes them: the built-ins, plus the user-defined types
/// (enums, domains, ranges, extension types, standalone composites and their arrays) read from `pg_type`.
///
/// Loaded before the first query that returns rows, and reloaded after a script or a `CREATE`/`ALTER`/
/// `DROP` of a type ran on this connection, or after a result carried a type it did not know (one made
/// by another session).
struct TypeCatalog {
    private var userTypes: [UInt32: PostgresType] = [:]
    /// Domains resolve to their base type for decoding, but keep their own name.
    private var domainBase: [UInt32: UInt32] = [:]
    /// False until loaded, and again once something may have changed the database's types.
    private(set) var isCurrent = false

    /// Reads the user-defined types; table row types and their arrays are left out (they decode as text).
    static let query = """
        SELECT t.oid, t.typname, t.typtype, t.typcategory, t.typelem, t.typbasetype, COALESCE(e.typdelim, ',')
        FROM pg_catalog.pg_type t
        LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem
        WHERE t.oid >= 10000
          AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
          AND (e.oid IS NULL OR e.typrelid = 0
               OR EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = e.typrelid AND c.relkind = 'c'))
        """

    /// Replaces the user types with the rows of `query`.
    mutating func load(_ rows: [[String?]]) {
        userTypes.removeAll(keepingCapacity: true)
        domainBase.removeAll(keepingCapacity: true)
        for row in rows where row.count == 7 {
            guard let oid = row[0].flatMap({ UInt32($0) }), let name = row[1] else { continue }
            let elem = row[4].flatMap { UInt32($0) } ?? 0
            let delimiter = row[6]?.utf8.first ?? UInt8(ascii: ",")
            let representation: PostgresType.Representation
            switch (row[2], row[3]) {
            case ("d", _):
                domainBase[oid] = row[5].flatMap { UInt32($0) } ?? 0
                representation = .unknown
            case ("b", "A") where elem != 0:
                representation = .array(elementOID: elem, delimiter: delimiter)
            case ("e", _), ("r", _), ("m", _), ("b", "S"):
                representation = .scalar(.text)
            default:
                representation = .unknown
            }
            userTypes[oid] = PostgresType(name: name, representation: representation)
        }
        isCurrent = true
    }

    /// Marks the catalog stale: the next query reloads it first.
    mutating func invalidate() { isCurrent = false }

    /// How a column of type `oid` is described and decoded. `known` is false when neither the built-ins
    /// nor the loaded user types have it.
    func resolve(_ oid: UInt32) -> (column: (nativeType: String, type: ColumnType), decoder: CellDecoder, known: Bool) {
        guard let type = lookup(oid) else {
            return ((String(oid), .unknown), .scalar(.text), false)
        }
        let (columnType, decoder, known) = decoding(oid, depth: 0)
        return ((type.name, columnType), decoder, known)
    }

    private func lookup(_ oid: UInt32) -> PostgresType? {
        PostgresType.builtins[oid] ?? userTypes[oid]
    }

    private func decoding(_ oid: UInt32, depth: Int) -> (ColumnType, CellDecoder, Bool) {
        guard depth < 8, let type = lookup(oid) else { return (.unknown, .scalar(.text), false) }
        if let base = domainBase[oid] { return decoding(base, depth: depth + 1) }
        switch type.representation {
        case .scalar(let format):
            return (format.columnType, .scalar(format), true)
        case .array(let element, let delimiter):
            let (_, elementDecoder, known) = decoding(element, depth: depth + 1)
            return (.array, .array(element: elementDecoder, delimiter: delimiter), known)
        case .unknown:
            return (.unknown, .scalar(.text), true)
        }
    }
}

/// How one result column's text output is turned into a `DatabaseValue`; resolved once per result.
indirect enum CellDecoder: Sendable, Hashable {
    case scalar(ScalarFormat)
    case array(element: CellDecoder, delimiter: UInt8)
}
