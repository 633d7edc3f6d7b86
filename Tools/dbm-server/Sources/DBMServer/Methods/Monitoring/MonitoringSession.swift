import Drivers
import JSONRPC
import Monitoring

// The Monitoring package's spec methods share this: the database from the usual target (`connection`,
// `database_url`, `connection_config`; for the `PerformanceMonitor(database_url)` constructor,
// `database_url`), the history in `workspace_dir` (default the server's `--workspace-dir`, else
// `$DBM_WORKSPACE_DIR`, else `~/.local/share/dbm/monitoring`), the server's statement record (kept in the
// server's workspace whatever `workspace_dir` a call names), and a pooled connection for the call.

/// A Monitoring package request decoded from the params, with the target and the workspace beside it.
struct MonitoringParams<Request: Decodable & Sendable>: Decodable, Sendable {
    let request: Request
    let target: DatabaseTarget
    let workspaceDir: String?

    enum CodingKeys: String, CodingKey { case workspace_dir }

    init(from decoder: any Decoder) throws {
        request = try Request(from: decoder)
        target = try DatabaseTarget(from: decoder)
        workspaceDir = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .workspace_dir)
    }
}

enum MonitoringSession {
    /// Runs `body` with a monitor over a pooled connection to the target and the workspace's history.
    static func withMonitor<T: Sendable>(
        _ target: DatabaseTarget, workspaceDir: String?, _ state: ServerState,
        _ body: @escaping @Sendable (PerformanceMonitor) async throws -> T
    ) async throws -> T {
        let workspaceDir = try state.policy.paths.resolve(optional: workspaceDir, parameter: "workspace_dir")
        let pool = try await state.connections.pool(for: target)
        let workspace = try workspaceDir.map { MonitoringWorkspace(path: try state.policy.paths.resolve($0, parameter: "workspace_dir")) } ?? state.workspace
        let history = try await MetricsHistory.open(workspace)
        do {
            let recorder = state.statements
            let result = try await pool.withConnection { connection in
                try await body(PerformanceMonitor(connection: connection, history: history, recorder: recorder))
            }
            await history.close()
            return result
        } catch {
            await history.close()
            throw error
        }
    }

    /// The target for 000's `database_name`, which may be a URL, a SQLite file beside the target's, or a
    /// database on the target's server; the params' own target when it names the same database or none.
    static func target(_ target: DatabaseTarget, databaseName: String?, _ state: ServerState) async throws -> DatabaseTarget {
        guard let name = databaseName, !name.isEmpty else { return target }
        if name.contains("://") || name.hasPrefix("sqlite:") { return DatabaseTarget(url: name) }
        let (server, database) = try await DatabaseNaming.resolve(name: name, target: target, state: state)
        if server.database == database { return target.isEmpty ? DatabaseTarget(configuration: server) : target }
        return DatabaseTarget(configuration: server.dialect == .sqlite ? server : server.with(database: database))
    }
}
