/// An engine's execution plan as a tree, with estimated and (when the statement was analysed) actual
/// figures.
public struct QueryPlan: Sendable, Hashable, Codable {
    public var engine: String
    public var root: QueryPlanNode
    /// The planner's total cost (PostgreSQL's cost units; MariaDB 10.11 and SQLite report none).
    public var totalCost: Double?
    public var planningTimeMS: Double?
    /// Execution time measured by the engine during `EXPLAIN ANALYZE` / `ANALYZE FORMAT=JSON`.
    public var executionTimeMS: Double?
    /// True when the statement ran to produce actual rows and times.
    public var analyzed: Bool
    /// The plan exactly as the engine printed it (JSON, or SQLite's `EXPLAIN QUERY PLAN` rows).
    public var raw: String

    public init(engine: String, root: QueryPlanNode, totalCost: Double?, planningTimeMS: Double?, executionTimeMS: Double?, analyzed: Bool, raw: String) {
        self.engine = engine
        self.root = root
        self.totalCost = totalCost
        self.planningTimeMS = planningTimeMS
        self.executionTimeMS = executionTimeMS
        self.analyzed = analyzed
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case engine, root, analyzed, raw
        case totalCost = "total_cost"
        case planningTimeMS = "planning_time_ms"
        case executionTimeMS = "execution_time_ms"
    }

    /// Every node, depth first.
    public var nodes: [QueryPlanNode] { root.flattened }

    /// The full scans of tables in the plan (`Seq Scan`, MariaDB access type `ALL`, SQLite `SCAN t` without an index).
    public var fullScans: [QueryPlanNode] { nodes.filter(\.isFullScan) }
}

/// One operation in a plan.
public struct QueryPlanNode: Sendable, Hashable, Codable {
    /// `Seq Scan`, `Index Scan`, `Hash Join` (PostgreSQL); `ALL`, `ref`, `range` access types (MariaDB);
    /// `SCAN`, `SEARCH`, `USE TEMP B-TREE` (SQLite).
    public var nodeType: String
    public var relation: String?
    public var index: String?
    public var estimatedRows: Double?
    public var estimatedCost: Double?
    public var actualRows: Double?
    public var actualTimeMS: Double?
    public var loops: Double?
    /// The filter or condition applied at this node, as the engine prints it.
    public var condition: String?
    /// Extra detail (SQLite's plan line, MariaDB's `Extra`).
    public var detail: String?
    public var children: [QueryPlanNode]

    public init(nodeType: String, relation: String? = nil, index: String? = nil, estimatedRows: Double? = nil, estimatedCost: Double? = nil,
                actualRows: Double? = nil, actualTimeMS: Double? = nil, loops: Double? = nil, condition: String? = nil,
                detail: String? = nil, children: [QueryPlanNode] = []) {
        self.nodeType = nodeType; self.relation = relation; self.index = index
        self.estimatedRows = estimatedRows; self.estimatedCost = estimatedCost
        self.actualRows = actualRows; self.actualTimeMS = actualTimeMS; self.loops = loops
        self.condition = condition; self.detail = detail; self.children = children
    }

    enum CodingKeys: String, CodingKey {
        case relation, index, loops, condition, detail, children
        case nodeType = "node_type"
        case estimatedRows = "estimated_rows"
        case estimatedCost = "estimated_cost"
        case actualRows = "actual_rows"
        case actualTimeMS = "actual_time_ms"
    }

    public var flattened: [QueryPlanNode] { [self] + children.flatMap(\.flattened) }

    /// True for a full scan of a table.
    public var isFullScan: Bool {
        switch nodeType {
        case "Seq Scan", "Parallel Seq Scan", "ALL": relation != nil
        case "SCAN": relation != nil && !(detail ?? "").contains("INDEX")
        default: false
        }
    }
}
