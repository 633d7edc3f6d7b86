import Foundation

/// Applies retention to the backups in one destination: by age (`retention_days`, the call's or each
/// backup's own) and by count (keep the newest `keep_last` of each database).
///
/// A backup that retention would remove is kept while a kept backup needs chunks stored in it, so a
/// full backup an incremental or differential still builds on is never pruned.
struct Pruner {
    let catalog: BackupCatalog
    let params: PruneParams
    let defaults: BackupConfig
    let now: Date

    func run() throws(BackupError) -> PruneResult {
        let all = catalog.summaries(dependencies: true).filter { params.databaseName == nil || $0.fields.databaseName == params.databaseName }
        let keepLast = params.keepLast ?? defaults.keepLast
        var candidates = Set<String>()
        var reasons = [String: String]()
        for (_, group) in Dictionary(grouping: all, by: { $0.fields.databaseName }) {
            let newestFirst = group.sorted { ($0.fields.createdAt, $0.fields.id) > ($1.fields.createdAt, $1.fields.id) }
            for (index, backup) in newestFirst.enumerated() {
                let id = backup.fields.id
                if let days = params.retentionDays ?? backup.fields.retentionDays ?? defaults.retentionDays,
                   backup.fields.createdAt.addingTimeInterval(Double(days) * 86_400) < now {
                    candidates.insert(id)
                    reasons[id] = "older than \(days) days"
                } else if let keepLast, index >= keepLast {
                    candidates.insert(id)
                    reasons[id] = "beyond the newest \(keepLast)"
                }
            }
        }
        // Whatever a kept backup needs stays; repeat until nothing more is rescued. (A backup whose chunk
        // list was not read would be taken to need every other one.)
        let everyBackup = Set(all.map(\.fields.id))
        var protected = [String: String]()
        var changed = true
        while changed {
            changed = false
            let needed = all.filter { !candidates.contains($0.fields.id) }
                .reduce(into: [String: String]()) { needed, backup in
                    for dependency in backup.dependencies ?? everyBackup { needed[dependency] = backup.fields.id }
                }
            for (id, neededBy) in needed where candidates.contains(id) {
                candidates.remove(id)
                protected[id] = neededBy
                changed = true
            }
        }
        var result = PruneResult(dryRun: params.dryRun ?? false)
        for backup in all {
            let id = backup.fields.id
            if candidates.contains(id) {
                result.deleted.append(PruneResult.Entry(backupID: id, reason: reasons[id] ?? ""))
            } else if let neededBy = protected[id] {
                result.kept.append(PruneResult.Entry(backupID: id, reason: "needed by \(neededBy)"))
            }
        }
        guard !result.dryRun else { return result }
        // Newest first, so a chain is never left with a base removed under a survivor if a delete fails.
        for entry in result.deleted.reversed() {
            let directory = BackupCatalog.directory(of: entry.backupID, in: catalog.destination)
            do {
                try FileManager.default.removeItem(at: directory)
            } catch {
                throw BackupError(.storage, "cannot delete \(directory.path): \(error.localizedDescription)", backupPath: directory.path)
            }
        }
        return result
    }
}

/// `prune`: retention by age and count; `dry_run` lists what would go without deleting.
public struct PruneParams: Sendable, Codable, Hashable {
    public var databaseName: String?
    /// Overrides each backup's own `retention_days`.
    public var retentionDays: Int?
    /// Keep at least this many newest backups of each database (and whatever they need).
    public var keepLast: Int?
    public var dryRun: Bool?

    public init(databaseName: String? = nil, retentionDays: Int? = nil, keepLast: Int? = nil, dryRun: Bool? = nil) {
        self.databaseName = databaseName
        self.retentionDays = retentionDays
        self.keepLast = keepLast
        self.dryRun = dryRun
    }

    enum CodingKeys: String, CodingKey {
        case databaseName = "database_name"
        case retentionDays = "retention_days"
        case keepLast = "keep_last"
        case dryRun = "dry_run"
    }
}

/// What `prune` deleted (or would delete) and what it kept only because other backups need it.
public struct PruneResult: Sendable, Codable, Hashable {
    public struct Entry: Sendable, Codable, Hashable {
        public var backupID: String
        public var reason: String
        enum CodingKeys: String, CodingKey {
            case backupID = "backup_id"
            case reason
        }
    }

    public var dryRun: Bool
    public var deleted: [Entry] = []
    /// Backups past retention kept because a kept backup needs their chunks.
    public var kept: [Entry] = []
    /// Hidden partial directories left by killed backups, removed (not with `dry_run`).
    public var abandonedPartials: [String] = []

    enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run"
        case deleted, kept
        case abandonedPartials = "abandoned_partials"
    }
}
