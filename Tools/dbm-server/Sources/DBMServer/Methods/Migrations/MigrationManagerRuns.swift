import JSONRPC
import Migrations

/// `MigrationManager.upgrade(target_revision)`.
enum MigrationManagerUpgrade: RPCMethod {
    typealias Params = MigrationCall<UpgradeParams>
    typealias Result = MigrationRunResult
    static let name = "MigrationManager.upgrade"
    static let summary = "Applies pending migrations up to target_revision (all without one), under the migration lock; refuses while an applied file has drifted or a migration is dirty."
    static let paramDescriptions = MigrationManagerDocs.with([
        "target_revision": "the revision to stop at", "dry_run": "return the SQL that would run; change nothing",
    ])
    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        let manager = try await params.manager(state, refusing: params.inner.dryRun ? nil : "upgrade")
        return try await MigrationProgressBridge(context).run(title: "upgrade") { progress in
            var manager = manager
            manager.progress = progress
            return try await manager.upgrade(targetRevision: params.inner.targetRevision, dryRun: params.inner.dryRun)
        }
    }
}

/// `MigrationManager.downgrade(target_revision)`.
enum MigrationManagerDowngrade: RPCMethod {
    typealias Params = MigrationCall<DowngradeParams>
    typealias Result = MigrationRunResult
    static let name = "MigrationManager.downgrade"
    static let summary = "Undoes applied migrations down to target_revision (kept applied; \"base\" undoes all) or the last steps, under the migration lock."
    static let paramDescriptions = MigrationManagerDocs.with([
        "target_revision": "the revision to keep (\"base\" for none)", "steps": "how many to undo when no target is given (default 1)",
        "dry_run": "return the SQL that would run; change nothing",
    ])
    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext) async throws -> Result {
        let manager = try await params.manager(state, refusing: params.inner.dryRun ? nil : "downgrade")
        return try await MigrationProgressBridge(context).run(title: "downgrade") { progress in
            var manager = manager
            manager.progress = progress
            return try await manager.downgrade(targetRevision: params.inner.targetRevision, steps: params.inner.steps,
                                               dryRun: params.inner.dryRun)
        }
    }
}

/// `MigrationManager.repair(action, revision)`: the guided way out of a dirty or drifted history.
enum MigrationManagerRepair: RPCMethod {
    typealias Params = MigrationCall<RepairParams>
    typealias Result = RepairResult
    static let name = "MigrationManager.repair"
    static let summary = "Resolves a dirty migration (resume from the failed statement, mark_applied, mark_rolled_back) or records edited files (accept_checksums)."
    static let paramDescriptions = MigrationManagerDocs.with([
        "action": "resume, mark_applied, mark_rolled_back or accept_checksums", "revision": "the migration (default: the dirty one)",
    ])
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await params.manager(state, refusing: "repair").repair(action: params.inner.action, revision: params.inner.revision)
    }
}

/// `MigrationManager.baseline(revision)`.
enum MigrationManagerBaseline: RPCMethod {
    typealias Params = MigrationCall<BaselineParams>
    typealias Result = BaselineResult
    static let name = "MigrationManager.baseline"
    static let summary = "Marks an existing database as being at revision (that migration and every one before it) without running anything."
    static let paramDescriptions = MigrationManagerDocs.with(["revision": "the revision the database is already at"])
    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        try await params.manager(state, refusing: "baseline").baseline(revision: params.inner.revision)
    }
}
