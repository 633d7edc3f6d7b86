import Foundation

/// What the directory and the database's history say together: which migrations are applied, pending,
/// out of order, edited since they ran (drift), missing from the directory, or dirty.
///
/// Built from one read of each history table and the directory's checksums: linear in the number of migrations.
struct MigrationState: Sendable {
    let directory: MigrationDirectory
    /// The toolkit's history, by revision.
    let history: [String: HistoryEntry]
    /// Revisions only the other tool's table knows (to be adopted into the toolkit's history on the next run).
    let adopted: Set<String>
    let tool: ToolHistoryState

    /// Position of each migration in apply order.
    let position: [String: Int]

    init(directory: MigrationDirectory, history: [HistoryEntry], tool: ToolHistoryState) {
        self.directory = directory
        var byRevision: [String: HistoryEntry] = [:]
        for entry in history { byRevision[entry.revision] = entry }
        self.history = byRevision
        self.tool = tool
        var adopted = tool.applied.subtracting(byRevision.keys)
        for m in directory.migrations where m.kind == .repeatable && byRevision[m.revision] == nil {
            if let checksum = tool.repeatableChecksums[m.revision], checksum == Checksums.flywayCRC32(m.upgradeSQL) {
                adopted.insert(m.revision)
            }
        }
        self.adopted = adopted
        var position: [String: Int] = [:]
        for (i, m) in directory.migrations.enumerated() where position[m.revision] == nil || m.kind != .baseline {
            position[m.revision] = i
        }
        self.position = position
    }

    func isApplied(_ m: Migration) -> Bool {
        if let entry = history[m.revision] { return entry.success }
        return adopted.contains(m.revision)
    }

    /// Applied versioned and baseline migrations, in apply order.
    var applied: [Migration] {
        directory.migrations.filter { $0.kind != .repeatable && isApplied($0) }
    }

    /// The newest applied migration in apply order (`nil` on a fresh database).
    var current: Migration? { applied.last }

    /// The current revision: the newest applied one in the directory, else the newest in the history.
    var currentRevision: String? {
        if let current { return current.revision }
        return history.values.filter(\.success).max(by: { $0.appliedOrder < $1.appliedOrder })?.revision
    }

    /// The history entry of a migration that stopped part-way, if any (the toolkit's own first, then the tool's).
    var dirty: HistoryEntry? {
        history.values.filter { !$0.success }.min(by: { $0.appliedOrder < $1.appliedOrder })
    }

    /// Applied migrations whose file changed since (repeatables are meant to change and are excluded).
    var drifted: [(migration: Migration, entry: HistoryEntry)] {
        directory.migrations.compactMap { m in
            guard m.kind != .repeatable, let entry = history[m.revision], entry.success,
                  !entry.checksum.isEmpty, entry.checksum != m.checksum else { return nil }
            return (m, entry)
        }
    }

    /// History entries with no file in the directory.
    var missing: [HistoryEntry] {
        history.values.filter { position[$0.revision] == nil }.sorted { $0.appliedOrder < $1.appliedOrder }
    }

    /// The Flyway baseline in effect: an applied baseline migration, whose version hides the versions below it.
    private var appliedBaseline: Migration? {
        directory.migrations.last { $0.kind == .baseline && isApplied($0) }
    }

    /// Migrations not applied yet, in the order they would run, up to `target` (a revision of the directory).
    /// On a fresh database with Flyway baseline files, the newest baseline at or below the target replaces the
    /// versioned migrations it covers. Repeatable migrations come last, when new or changed, and only without
    /// a target.
    func pending(upTo target: String? = nil) throws(MigrationError) -> [Migration] {
        let targetPosition: Int?
        if let target {
            guard let p = position[target] else {
                throw MigrationError(.unknownRevision, "target revision \(target) is not a migration in \(directory.path)", revision: target)
            }
            targetPosition = p
        } else {
            targetPosition = nil
        }
        // By position in apply order, which is a topological order: a target's dependencies always come with it.
        var index: [String: Int] = [:]
        if targetPosition != nil {
            for (i, m) in directory.migrations.enumerated() { index[m.kind.rawValue + ":" + m.revision] = i }
        }
        func withinTarget(_ m: Migration) -> Bool {
            guard let targetPosition else { return true }
            return (index[m.kind.rawValue + ":" + m.revision] ?? Int.max) <= targetPosition
        }
        var baselineFloor: String? = appliedBaseline?.revision
        var out: [Migration] = []
        if applied.isEmpty, baselineFloor == nil,
           let baseline = directory.migrations.last(where: { $0.kind == .baseline && withinTarget($0) }) {
            out.append(baseline)
            baselineFloor = baseline.revision
        }
        for m in directory.migrations where m.kind == .versioned && !isApplied(m) && withinTarget(m) {
            if let floor = baselineFloor, VersionOrder.compare(m.revision, floor) <= 0 { continue }
            out.append(m)
        }
        if target == nil {
            for m in directory.migrations where m.kind == .repeatable {
                if let entry = history[m.revision], entry.success, entry.checksum == m.checksum { continue }
                if history[m.revision] == nil && adopted.contains(m.revision) { continue }
                out.append(m)
            }
        }
        return out
    }

    /// Pending versioned migrations that sort before the newest applied one: a branch merged late.
    func outOfOrder(in pending: [Migration]) -> [Migration] {
        guard let newest = applied.last, let newestPosition = position[newest.revision] else { return [] }
        return pending.filter { $0.kind == .versioned && (position[$0.revision] ?? 0) < newestPosition }
    }

    /// Applied migrations to undo to come down to `target` (kept applied), newest first; all of them when
    /// `target` is nil and `steps` is nil; the newest `steps` otherwise.
    func toRevert(downTo target: String?, steps: Int?) throws(MigrationError) -> [Migration] {
        let applied = self.applied
        if let target, !["base", "0", ""].contains(target) {
            guard let targetPosition = position[target] else {
                throw MigrationError(.unknownRevision, "target revision \(target) is not a migration in \(directory.path)", revision: target)
            }
            return applied.filter { (position[$0.revision] ?? 0) > targetPosition }.reversed()
        }
        if target == nil, let steps { return Array(applied.reversed().prefix(max(0, steps))) }
        return applied.reversed()
    }
}
