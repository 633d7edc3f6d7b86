/// Orders tables so each comes after the tables its foreign keys point at, and says which foreign keys
/// must be added afterwards because they close a cycle.
struct DependencyOrder {
    /// Table names in creation order.
    var tables: [String]
    /// Foreign keys (table name, index in `foreignKeys`) to add with `ALTER TABLE` after all tables exist.
    var deferred: Set<ForeignKeyRef>
    /// The cycles found, each as the table names involved (for validation messages).
    var cycles: [[String]]

    struct ForeignKeyRef: Hashable { var table: String; var index: Int }

    /// Kahn's algorithm with a name-ordered ready set, so the order is deterministic. When only tables
    /// in cycles remain, the first of them by name is created with its unmet foreign keys deferred.
    init(_ schema: SchemaDefinition) {
        let names = Set(schema.tables.map(\.name))
        var pending: [String: Set<String>] = [:]
        for table in schema.tables {
            pending[table.name] = Set(table.foreignKeys.map(\.referencedTable).filter { $0 != table.name && names.contains($0) })
        }
        var created: Set<String> = []
        var order: [String] = []
        var deferred: Set<ForeignKeyRef> = []
        var cycles: [[String]] = []
        while order.count < names.count {
            let ready = pending.filter { !created.contains($0.key) && $0.value.isSubset(of: created) }.keys.sorted()
            if let next = ready.first {
                created.insert(next)
                order.append(next)
                continue
            }
            let remaining = pending.keys.filter { !created.contains($0) }.sorted()
            let pick = remaining[0]
            cycles.append(Self.cycle(from: pick, pending: pending, created: created))
            if let table = schema.table(pick) {
                for (i, fk) in table.foreignKeys.enumerated() where fk.referencedTable != pick && !created.contains(fk.referencedTable) && names.contains(fk.referencedTable) {
                    deferred.insert(ForeignKeyRef(table: pick, index: i))
                }
            }
            created.insert(pick)
            order.append(pick)
        }
        tables = order
        self.deferred = deferred
        self.cycles = cycles
    }

    /// One dependency cycle through `start`, for the message.
    private static func cycle(from start: String, pending: [String: Set<String>], created: Set<String>) -> [String] {
        var path = [start]
        var current = start
        var seen: Set<String> = [start]
        while let next = pending[current]?.subtracting(created).sorted().first {
            if let i = path.firstIndex(of: next) { return Array(path[i...]) + [next] }
            if seen.contains(next) { break }
            seen.insert(next)
            path.append(next)
            current = next
        }
        return path
    }

    /// Views ordered so a view comes after the views its definition mentions.
    static func views(_ views: [ViewDefinition]) -> [ViewDefinition] {
        let sortedViews = views.sorted { $0.name < $1.name }
        var done: [ViewDefinition] = []
        var doneNames: Set<String> = []
        var remaining = sortedViews
        while !remaining.isEmpty {
            let index = remaining.firstIndex { view in
                remaining.allSatisfy { other in other.name == view.name || !mentions(view.definition, other.name) }
            } ?? 0
            let view = remaining.remove(at: index)
            done.append(view)
            doneNames.insert(view.name)
        }
        return done
    }

    /// True when `sql` mentions `name` as a whole identifier (bare or quoted).
    static func mentions(_ sql: String, _ name: String) -> Bool {
        let lower = sql.lowercased()
        let target = name.lowercased()
        var searchRange = lower.startIndex..<lower.endIndex
        while let r = lower.range(of: target, range: searchRange) {
            let before = r.lowerBound > lower.startIndex ? lower[lower.index(before: r.lowerBound)] : " "
            let after = r.upperBound < lower.endIndex ? lower[r.upperBound] : " "
            let isIdent: (Character) -> Bool = { $0.isLetter || $0.isNumber || $0 == "_" }
            if !isIdent(before) && !isIdent(after) { return true }
            searchRange = r.upperBound..<lower.endIndex
        }
        return false
    }
}
