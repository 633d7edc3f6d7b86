import Foundation

/// The directory where monitoring keeps its history database and writes reports (`workspace_dir`).
///
/// The default is `$DBM_WORKSPACE_DIR` when set, else `$XDG_DATA_HOME/dbm/monitoring`, else
/// `~/.local/share/dbm/monitoring`. The directory is created on first use.
public struct MonitoringWorkspace: Sendable, Hashable {
    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The workspace for a `workspace_dir` parameter, or the default one when it is `nil` or empty.
    public init(path: String?) {
        if let path, !path.isEmpty {
            self.init(directory: URL(fileURLWithPath: (path as NSString).expandingTildeInPath, isDirectory: true))
        } else {
            self = .default
        }
    }

    /// The documented default workspace.
    public static var `default`: MonitoringWorkspace {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["DBM_WORKSPACE_DIR"], !dir.isEmpty {
            return MonitoringWorkspace(directory: URL(fileURLWithPath: dir, isDirectory: true))
        }
        if let data = env["XDG_DATA_HOME"], !data.isEmpty {
            return MonitoringWorkspace(directory: URL(fileURLWithPath: data, isDirectory: true)
                .appendingPathComponent("dbm/monitoring", isDirectory: true))
        }
        let home = FileManager.default.homeDirectoryForCurrentUser
        return MonitoringWorkspace(directory: home.appendingPathComponent(".local/share/dbm/monitoring", isDirectory: true))
    }

    /// The embedded SQLite database holding samples, the statement log and applied changes.
    public var historyURL: URL { directory.appendingPathComponent("monitoring-history.sqlite3") }

    /// Creates the directory when it does not exist.
    func prepare() throws(MonitoringError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw MonitoringError(.historyUnavailable, "cannot create workspace directory \(directory.path): \(error.localizedDescription)")
        }
    }
}
