import DatabaseDriver

/// Finds indexes the workload is missing: statements whose plan reads a large table in full while
/// filtering it on columns no index leads with.
///
/// On PostgreSQL with the `hypopg` extension installed, each candidate is checked with a hypothetical
/// index: it is kept only when the statement's estimated cost at least halves. Without hypopg, a
/// PostgreSQL candidate needs a selective filter (at most 10% of the table's rows estimated); MariaDB and
/// SQLite candidates rest on the plan's full scan and the predicate, and are confirmed by the before/after
/// timing when applied.
struct WorkloadIndexAdvisor {
    var db: any DatabaseConnection
    var catalog: SchemaCatalog
    /// Tables with fewer rows are not worth an index (file 003's `index_threshold`, default 1000 rows).
    var rowThreshold: Double

    struct Result {
        var findings: [OptimizationFinding] = []
        var notes: [MetricsCheck] = []
    }

    func advise(_ workload: [String]) async throws -> Result {
        var result = Result()
        var hypopg = false
        if db.dialect == .postgresql {
            hypopg = try await db.scalar("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'") != nil
        }
        if db.dialect == .postgresql {
            result.notes.append(hypopg ? .ok("hypopg", "candidate indexes checked with hypothetical indexes")
                                       : .skipped("hypopg", "extension hypopg is not installed in this database (CREATE EXTENSION hypopg): candidates are judged by the filter's estimated selectivity"))
        }
        struct Candidate { var table: SchemaCatalog.Table; var columns: [String]; var queries: [String]; var evidence: [String: Double] }
        var candidates: [String: Candidate] = [:]
        var order: [String] = []
        for query in workload where StatementKind(query) != .other {
            let plan: QueryPlan
            do { plan = try await PlanReader.plan(query, on: db, analyze: false) } catch {
                result.notes.append(.skipped("workload_plan", "no plan for a workload statement: \(error)"))
                continue
            }
            for node in plan.fullScans {
                guard let relation = node.relation, let table = catalog.table(schema: nil, name: relation),
                      (table.rows ?? 0) >= rowThreshold else { continue }
                let condition = db.dialect == .sqlite ? PredicateColumns.whereClause(of: query) : node.condition
                guard let condition else { continue }
                let found = PredicateColumns.candidates(in: condition, columns: Set(table.columns.map(\.name)))
                let columns = Array((found.equality + found.range.prefix(1)).prefix(3))
                guard !columns.isEmpty, !IndexRules.covered(columns, by: catalog.indexes(on: table)) else { continue }
                if db.dialect == .postgresql, !hypopg, let estimate = node.estimatedRows, let rows = table.rows, rows > 0, estimate > 0.1 * rows {
                    continue
                }
                let key = table.displayName + "|" + columns.joined(separator: ",")
                if candidates[key] == nil {
                    order.append(key)
                    candidates[key] = Candidate(table: table, columns: columns, queries: [], evidence: ["rows": table.rows ?? 0])
                }
                if !(candidates[key]?.queries.contains(query) ?? true) { candidates[key]?.queries.append(query) }
                if let cost = plan.totalCost { candidates[key]?.evidence["plan_cost", default: 0] += cost }
            }
        }
        var taken = Set(catalog.indexes.map(\.name))
        for key in order {
            guard var candidate = candidates[key] else { continue }
            if hypopg {
                guard let cost = try await hypotheticalCost(candidate.table, candidate.columns, candidate.queries) else { continue }
                candidate.evidence["hypothetical_cost"] = cost
                guard let before = candidate.evidence["plan_cost"], cost <= 0.5 * before else {
                    result.notes.append(.ok("hypopg", "index on \(candidate.table.displayName)(\(candidate.columns.joined(separator: ", "))) would not halve the cost; not proposed"))
                    continue
                }
            }
            let name = IndexStatements.name(table: candidate.table.name, columns: candidate.columns, dialect: db.dialect, taken: taken)
            taken.insert(name)
            result.findings.append(OptimizationFinding(
                rule: "missing_index", categories: [.query, .performance], severity: .warning, table: candidate.table.displayName, index: name,
                description: "\(candidate.queries.count) workload statement(s) read \(candidate.table.displayName) (\(Int64(candidate.table.rows ?? 0)) rows) in full, filtering on \(candidate.columns.joined(separator: ", "))",
                recommendation: "create an index on \(candidate.table.displayName)(\(candidate.columns.joined(separator: ", ")))",
                sql: IndexStatements.create(name, table: candidate.table, columns: candidate.columns, dialect: db.dialect),
                inverseSQL: IndexStatements.drop(name, schema: candidate.table.schema, table: candidate.table.name, dialect: db.dialect),
                automatic: true, evidence: candidate.evidence, queries: candidate.queries))
        }
        return result
    }

    /// The summed estimated cost of `queries` with a hypothetical index on `columns` (hypopg), or `nil`.
    private func hypotheticalCost(_ table: SchemaCatalog.Table, _ columns: [String], _ queries: [String]) async throws -> Double? {
        let d = Dialect.postgresql
        let statement = "CREATE INDEX ON \(table.sqlName(d)) (\(columns.map(d.quote).joined(separator: ", ")))"
        _ = try await db.query("SELECT * FROM hypopg_create_index($1)", [.text(statement)])
        do {
            var total = 0.0
            for query in queries {
                guard let cost = try await PlanReader.plan(query, on: db, analyze: false).totalCost else { total = .nan; break }
                total += cost
            }
            _ = try await db.query("SELECT hypopg_reset()")
            return total.isNaN ? nil : total
        } catch {
            _ = try? await db.query("SELECT hypopg_reset()")
            throw error
        }
    }
}
