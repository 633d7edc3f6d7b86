import DatabaseDriver
import Foundation

/// Asks an engine for a statement's plan and parses it into a `QueryPlan`.
///
/// `analyze: true` runs the statement (PostgreSQL `EXPLAIN ANALYZE`, MariaDB `ANALYZE FORMAT=JSON`);
/// callers decide when that is safe (see `QueryPerformanceMonitor`). SQLite has no analysed plans.
enum PlanReader {
    static func plan(_ sql: String, on db: any DatabaseConnection, analyze: Bool) async throws -> QueryPlan {
        switch db.dialect {
        case .postgresql:
            let prefix = analyze ? "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " : "EXPLAIN (FORMAT JSON) "
            let text = try await db.scalar(prefix + sql)?.stringValue ?? ""
            return try PostgreSQLPlanParser.parse(text, analyzed: analyze)
        case .mysql:
            let prefix = analyze ? "ANALYZE FORMAT=JSON " : "EXPLAIN FORMAT=JSON "
            let text = try await db.scalar(prefix + sql)?.stringValue ?? ""
            return try MySQLPlanParser.parse(text, analyzed: analyze)
        case .sqlite:
            let rows = try await db.query("EXPLAIN QUERY PLAN " + sql).rows
            return SQLitePlanParser.parse(rows.map { ($0.int("id") ?? 0, $0.int("parent") ?? 0, $0.string("detail") ?? "") })
        }
    }

    static func json(_ text: String) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw MonitoringError(.planUnavailable, "the engine's plan is not valid JSON")
        }
    }
}

/// Parses `EXPLAIN (FORMAT JSON)` output.
enum PostgreSQLPlanParser {
    static func parse(_ text: String, analyzed: Bool) throws -> QueryPlan {
        guard let top = (try PlanReader.json(text) as? [[String: Any]])?.first, let plan = top["Plan"] as? [String: Any] else {
            throw MonitoringError(.planUnavailable, "PostgreSQL returned no plan")
        }
        let root = node(plan)
        return QueryPlan(engine: "postgresql", root: root, totalCost: root.estimatedCost,
                         planningTimeMS: top["Planning Time"] as? Double, executionTimeMS: top["Execution Time"] as? Double,
                         analyzed: analyzed, raw: text)
    }

    static func node(_ p: [String: Any]) -> QueryPlanNode {
        let conditions = ["Filter", "Index Cond", "Hash Cond", "Merge Cond", "Join Filter", "Recheck Cond"].compactMap { key in
            (p[key] as? String).map { "\(key): \($0)" }
        }
        return QueryPlanNode(
            nodeType: p["Node Type"] as? String ?? "?", relation: p["Relation Name"] as? String, index: p["Index Name"] as? String,
            estimatedRows: number(p["Plan Rows"]), estimatedCost: number(p["Total Cost"]), actualRows: number(p["Actual Rows"]),
            actualTimeMS: number(p["Actual Total Time"]), loops: number(p["Actual Loops"]),
            condition: conditions.isEmpty ? nil : conditions.joined(separator: "; "),
            children: (p["Plans"] as? [[String: Any]] ?? []).map(node))
    }

    static func number(_ any: Any?) -> Double? {
        switch any {
        case let d as Double: d
        case let i as Int: Double(i)
        case let n as NSNumber: n.doubleValue
        default: nil
        }
    }
}

/// Parses MariaDB's `EXPLAIN FORMAT=JSON` / `ANALYZE FORMAT=JSON` output.
enum MySQLPlanParser {
    static func parse(_ text: String, analyzed: Bool) throws -> QueryPlan {
        guard let top = try PlanReader.json(text) as? [String: Any], let block = top["query_block"] as? [String: Any] else {
            throw MonitoringError(.planUnavailable, "MariaDB returned no query_block")
        }
        let root = QueryPlanNode(nodeType: "query_block", actualTimeMS: PostgreSQLPlanParser.number(block["r_total_time_ms"]),
                                 loops: PostgreSQLPlanParser.number(block["r_loops"]), children: children(block))
        return QueryPlan(engine: "mysql", root: root, totalCost: nil, planningTimeMS: nil,
                         executionTimeMS: PostgreSQLPlanParser.number(block["r_total_time_ms"]), analyzed: analyzed, raw: text)
    }

    /// The operations under a block: tables, nested loops, sorts, temporary tables, subqueries.
    static func children(_ object: [String: Any]) -> [QueryPlanNode] {
        var out: [QueryPlanNode] = []
        for key in object.keys.sorted() {
            let value = object[key]
            switch key {
            case "table":
                if let t = value as? [String: Any] { out.append(table(t)) }
            case "nested_loop":
                for element in value as? [[String: Any]] ?? [] { out += children(element) }
            case "query_block":
                if let q = value as? [String: Any] { out.append(QueryPlanNode(nodeType: "query_block", children: children(q))) }
            default:
                if let nested = value as? [String: Any], key != "table" {
                    let kids = children(nested)
                    if !kids.isEmpty { out.append(QueryPlanNode(nodeType: key, children: kids)) }
                } else if let list = value as? [[String: Any]] {
                    let kids = list.flatMap(children)
                    if !kids.isEmpty { out.append(QueryPlanNode(nodeType: key, children: kids)) }
                }
            }
        }
        return out
    }

    static func table(_ t: [String: Any]) -> QueryPlanNode {
        let n = PostgreSQLPlanParser.number
        let time = n(t["r_table_time_ms"]) ?? n(t["r_total_time_ms"])
        return QueryPlanNode(
            nodeType: t["access_type"] as? String ?? "table", relation: t["table_name"] as? String, index: t["key"] as? String,
            estimatedRows: n(t["rows"]), actualRows: n(t["r_rows"]), actualTimeMS: time, loops: n(t["r_loops"]),
            condition: t["attached_condition"] as? String,
            detail: (t["possible_keys"] as? [String]).map { "possible keys: " + $0.joined(separator: ", ") },
            children: children(t.filter { $0.key != "table" }))
    }
}

/// Parses SQLite's `EXPLAIN QUERY PLAN` rows (`id`, `parent`, `detail`) into a tree.
enum SQLitePlanParser {
    static func parse(_ rows: [(Int64, Int64, String)]) -> QueryPlan {
        func build(_ parent: Int64) -> [QueryPlanNode] {
            rows.filter { $0.1 == parent }.map { row in
                let words = row.2.split(separator: " ").map(String.init)
                let type = words.first ?? row.2
                var relation: String?
                var index: String?
                if type == "SCAN" || type == "SEARCH" {
                    relation = words.count > 1 ? words[1] : nil
                    if let i = words.firstIndex(of: "INDEX"), i + 1 < words.count { index = words[i + 1] }
                }
                return QueryPlanNode(nodeType: type, relation: relation, index: index, detail: row.2, children: build(row.0))
            }
        }
        let root = QueryPlanNode(nodeType: "QUERY PLAN", children: build(0))
        let raw = rows.map { "\($0.0)|\($0.1)|\($0.2)" }.joined(separator: "\n")
        return QueryPlan(engine: "sqlite", root: root, totalCost: nil, planningTimeMS: nil, executionTimeMS: nil, analyzed: false, raw: raw)
    }
}
