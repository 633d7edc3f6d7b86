/// Orders migrations so every one comes after its dependencies, keeping the directory's order wherever the
/// dependencies allow it (a stable topological sort: of the migrations that are ready, the earliest goes first).
///
/// Branches that were developed in parallel and a merge migration depending on both resolve to one
/// deterministic order. Cost is O(n log n + dependencies).
enum DependencyResolver {
    /// - Parameter migrations: in the directory's order.
    /// - Throws: `MigrationError.missingDependency` naming the migration and the unknown revision;
    ///   `MigrationError.dependencyCycle` naming the revisions on the cycle.
    static func order(_ migrations: [Migration]) throws(MigrationError) -> [Migration] {
        guard migrations.contains(where: { !$0.dependencies.isEmpty }) else { return migrations }
        var index: [String: Int] = [:]
        for (i, m) in migrations.enumerated() { index[m.revision] = i }
        var dependents = Array(repeating: [Int](), count: migrations.count)
        var remaining = Array(repeating: 0, count: migrations.count)
        for (i, m) in migrations.enumerated() {
            for dependency in Set(m.dependencies) {
                guard let d = index[dependency] else {
                    throw MigrationError(.missingDependency,
                        "migration \(m.revision) depends on \(dependency), which is not in the migration directory",
                        revision: m.revision)
                }
                if d == i {
                    throw MigrationError(.dependencyCycle, "migration \(m.revision) depends on itself", revision: m.revision)
                }
                dependents[d].append(i)
                remaining[i] += 1
            }
        }
        // Ready migrations, kept sorted descending so the earliest is popped from the end.
        var ready = (0..<migrations.count).filter { remaining[$0] == 0 }.reversed().map { $0 }
        var out: [Migration] = []
        out.reserveCapacity(migrations.count)
        while let next = ready.popLast() {
            out.append(migrations[next])
            for dependent in dependents[next] {
                remaining[dependent] -= 1
                if remaining[dependent] == 0 {
                    let position = insertionPoint(dependent, in: ready)
                    ready.insert(dependent, at: position)
                }
            }
        }
        guard out.count == migrations.count else {
            let stuck = (0..<migrations.count).filter { remaining[$0] > 0 }
            throw MigrationError(.dependencyCycle,
                "migrations depend on each other in a cycle: " + cycle(from: stuck, migrations: migrations, index: index).joined(separator: " -> "))
        }
        return out
    }

    /// Where `value` goes in `ready` (sorted descending).
    private static func insertionPoint(_ value: Int, in ready: [Int]) -> Int {
        var low = 0, high = ready.count
        while low < high {
            let mid = (low + high) / 2
            if ready[mid] > value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// One cycle among the stuck migrations, for the error message (`a -> b -> a`).
    private static func cycle(from stuck: [Int], migrations: [Migration], index: [String: Int]) -> [String] {
        let stuckSet = Set(stuck)
        guard var current = stuck.first else { return [] }
        var seen: [Int: Int] = [:]
        var path: [Int] = []
        while seen[current] == nil {
            seen[current] = path.count
            path.append(current)
            guard let next = migrations[current].dependencies.compactMap({ index[$0] }).first(where: { stuckSet.contains($0) }) else { break }
            current = next
        }
        let loop = path[(seen[current] ?? 0)...].map { migrations[$0].revision }
        return loop + [migrations[current].revision]
    }
}
