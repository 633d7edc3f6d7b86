import DatabaseDriver

/// The index rules: foreign keys without an index, duplicate, redundant (prefix) and unused indexes.
enum IndexRules {
    /// True when some index on the table starts with exactly `columns` (in any order within the prefix).
    static func covered(_ columns: [String], by indexes: [SchemaCatalog.Index]) -> Bool {
        indexes.contains { index in
            !index.special && index.columns.count >= columns.count && Set(index.columns.prefix(columns.count)) == Set(columns)
        }
    }

    /// File 003's "Foreign Key Index Rule": a foreign key whose columns do not lead any index makes joins
    /// and the referenced table's deletes scan the referencing table.
    static func foreignKeysWithoutIndex(_ catalog: SchemaCatalog) -> [OptimizationFinding] {
        var taken = Set(catalog.indexes.map(\.name))
        return catalog.foreignKeys.compactMap { fk in
            guard let table = catalog.table(schema: fk.schema, name: fk.table) else { return nil }
            guard !covered(fk.columns, by: catalog.indexes(on: table)) else { return nil }
            let name = IndexStatements.name(table: fk.table, columns: fk.columns, dialect: catalog.dialect, taken: taken)
            taken.insert(name)
            return OptimizationFinding(
                rule: "fk_without_index", categories: [.performance], severity: (table.rows ?? 0) >= 1000 ? .warning : .info,
                table: table.displayName, index: name,
                description: "foreign key \(fk.name) on \(table.displayName)(\(fk.columns.joined(separator: ", "))) → \(fk.referencedTable) has no index",
                recommendation: "create an index on \(table.displayName)(\(fk.columns.joined(separator: ", "))) for joins and for deletes on \(fk.referencedTable)",
                sql: IndexStatements.create(name, table: table, columns: fk.columns, dialect: catalog.dialect),
                inverseSQL: IndexStatements.drop(name, schema: table.schema, table: table.name, dialect: catalog.dialect),
                automatic: true, evidence: ["rows": table.rows ?? 0])
        }
    }

    /// Identical key columns (same method, same uniqueness, no predicate or expression) on one table: keep
    /// the one that backs a constraint, or the first by name.
    static func duplicates(_ catalog: SchemaCatalog) -> [OptimizationFinding] {
        var findings: [OptimizationFinding] = []
        for table in catalog.tables {
            let groups = Dictionary(grouping: catalog.indexes(on: table).filter { !$0.special && !$0.columns.isEmpty }) {
                "\($0.method)|\($0.unique)|\($0.columns.joined(separator: ","))"
            }
            for (_, group) in groups where group.count > 1 {
                let keep = group.sorted { ($0.backsConstraint ? 0 : 1, $0.name) < ($1.backsConstraint ? 0 : 1, $1.name) }[0]
                for index in group where index != keep && !index.backsConstraint {
                    findings.append(dropFinding(index, catalog: catalog, rule: "duplicate_index",
                        description: "index \(index.name) duplicates \(keep.name) on \(table.displayName)(\(index.columns.joined(separator: ", ")))"))
                }
            }
        }
        return findings
    }

    /// A non-unique index whose columns are a leading prefix of another index of the same method: every
    /// lookup it serves, the longer index serves too.
    static func redundant(_ catalog: SchemaCatalog) -> [OptimizationFinding] {
        var findings: [OptimizationFinding] = []
        for table in catalog.tables {
            let indexes = catalog.indexes(on: table).filter { !$0.special && !$0.columns.isEmpty }
            for index in indexes where !index.unique && !index.backsConstraint {
                guard let longer = indexes.first(where: {
                    $0.name != index.name && $0.method == index.method && $0.columns.count > index.columns.count
                        && Array($0.columns.prefix(index.columns.count)) == index.columns
                }) else { continue }
                findings.append(dropFinding(index, catalog: catalog, rule: "redundant_index",
                    description: "index \(index.name)(\(index.columns.joined(separator: ", "))) is a prefix of \(longer.name)(\(longer.columns.joined(separator: ", ")))"))
            }
        }
        return findings
    }

    /// File 003's "Unused Index Detection": secondary indexes with no scan since statistics were reset.
    /// Advice only (not applied automatically): the statistics may cover too short a time.
    static func unused(_ catalog: SchemaCatalog, duplicatesAndRedundant: Set<String>) -> [OptimizationFinding] {
        guard catalog.indexUsageAvailable else { return [] }
        return catalog.indexes.compactMap { index in
            guard index.scans == 0, !index.backsConstraint, !index.unique, !duplicatesAndRedundant.contains(index.name) else { return nil }
            var finding = dropFinding(index, catalog: catalog, rule: "unused_index",
                                      description: "index \(index.name) on \(index.tableDisplayName) has not been used since statistics were reset")
            finding.automatic = false
            finding.severity = .info
            finding.recommendation = "drop \(index.name) if the workload since the statistics reset is representative"
            return finding
        }
    }

    private static func dropFinding(_ index: SchemaCatalog.Index, catalog: SchemaCatalog, rule: String, description: String) -> OptimizationFinding {
        var evidence: [String: Double] = [:]
        if let size = index.sizeBytes { evidence["size_bytes"] = Double(size) }
        if let scans = index.scans { evidence["scans"] = scans }
        return OptimizationFinding(
            rule: rule, categories: [.storage, .performance], severity: .warning, table: index.tableDisplayName, index: index.name,
            description: description, recommendation: "drop \(index.name): it costs space and slows writes without serving any lookup the others cannot",
            sql: IndexStatements.drop(index.name, schema: index.schema, table: index.table, dialect: catalog.dialect),
            inverseSQL: index.definition.isEmpty ? nil : index.definition, automatic: !index.definition.isEmpty, evidence: evidence)
    }
}
