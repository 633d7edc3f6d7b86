/// The optimization score 0-100, from file 003's criteria, with each criterion's penalty.
///
/// `score = 100 − Σ weight × share`, rounded and clamped to 0...100, where each share is 0-1:
///
/// | criterion | weight | share |
/// | --- | --- | --- |
/// | primary keys | 30 | tables without a primary key / tables |
/// | foreign key indexing | 25 | foreign keys no index leads with / foreign keys |
/// | audit fields | 10 | tables without a created/updated/modified timestamp column / tables |
/// | constraint coverage | 15 | tables with no FOREIGN KEY, UNIQUE, CHECK or NOT NULL non-key column / tables |
/// | normalization | 10 | tables with a repeating group (3+ columns `name1`, `name2`, ...) or over 40 columns / tables |
/// | index hygiene | 10 | duplicate, redundant or unused secondary indexes / secondary indexes |
///
/// A database with no tables scores 100.
public struct OptimizationScore: Sendable, Hashable, Codable {
    public var score: Int
    /// Criterion → points lost.
    public var penalties: [String: Double]

    static let weights: [String: Double] = [
        "primary_keys": 30, "foreign_key_indexing": 25, "audit_fields": 10,
        "constraint_coverage": 15, "normalization": 10, "index_hygiene": 10,
    ]

    init(catalog: SchemaCatalog, findings: [OptimizationFinding]) {
        let tables = catalog.tables
        guard !tables.isEmpty else { score = 100; penalties = [:]; return }
        let n = Double(tables.count)
        func share(_ count: Int, of total: Int) -> Double { total == 0 ? 0 : Double(count) / Double(total) }
        var shares: [String: Double] = [:]
        shares["primary_keys"] = Double(tables.filter { !$0.hasPrimaryKey }.count) / n
        shares["foreign_key_indexing"] = share(findings.filter { $0.rule == "fk_without_index" }.count, of: catalog.foreignKeys.count)
        shares["audit_fields"] = Double(tables.filter { !OptimizationScore.hasAuditField($0) }.count) / n
        shares["constraint_coverage"] = Double(tables.filter { table in
            let keyColumns = Set(catalog.indexes(on: table).filter(\.primary).flatMap(\.columns))
            return !table.hasConstraints && !table.columns.contains { !$0.nullable && !keyColumns.contains($0.name) }
        }.count) / n
        shares["normalization"] = Double(tables.filter(OptimizationScore.denormalized).count) / n
        let secondary = catalog.indexes.filter { !$0.primary }.count
        let bad = Set(findings.filter { ["duplicate_index", "redundant_index", "unused_index"].contains($0.rule) }.compactMap(\.index)).count
        shares["index_hygiene"] = share(bad, of: secondary)
        penalties = shares.reduce(into: [:]) { out, entry in out[entry.key] = ((OptimizationScore.weights[entry.key] ?? 0) * entry.value).rounded(to: 2) }
        score = max(0, min(100, Int((100 - penalties.values.reduce(0, +)).rounded())))
    }

    static func hasAuditField(_ table: SchemaCatalog.Table) -> Bool {
        table.columns.contains { column in
            let name = column.name.lowercased()
            return ["created", "updated", "modified", "last_update", "inserted"].contains { name.contains($0) }
        }
    }

    /// Three or more columns that differ only by a trailing number, or more than 40 columns.
    static func denormalized(_ table: SchemaCatalog.Table) -> Bool {
        if table.columns.count > 40 { return true }
        var stems: [String: Int] = [:]
        for column in table.columns {
            let name = column.name.lowercased()
            let stem = String(name.reversed().drop(while: \.isNumber).reversed())
            if stem.count < name.count, !stem.isEmpty { stems[stem, default: 0] += 1 }
        }
        return stems.values.contains { $0 >= 3 }
    }
}
