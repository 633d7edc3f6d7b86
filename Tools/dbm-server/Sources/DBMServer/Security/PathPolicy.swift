import Foundation
import JSONRPC

/// Resolves and checks every path given over the protocol (output_dir, schema_file, migration_dir,
/// backup paths, workspace_dir): every path parameter goes through `resolve(_:parameter:)` before a
/// method touches the file system.
///
/// - Without `allowedRoot`: relative paths resolve against the working directory; special files
///   (devices, fifos, sockets) are refused.
/// - With `allowedRoot`: relative paths resolve against the root, and a path whose real location
///   (after `..` and every symlink of its existing part) is outside the root is refused.
///
/// Refusals are JSON-RPC invalid params (-32602) with `data.type` `PathError` and `data.kind`
/// `path_outside_root`, `special_file` or `invalid_path`, naming the parameter.
public struct PathPolicy: Sendable {
    /// The directory every path must stay in, or `nil` for no restriction.
    public let allowedRoot: String?

    public init(allowedRoot: String? = nil) {
        self.allowedRoot = allowedRoot.map { Self.realPath(($0 as NSString).standardizingPath) }
    }

    /// The absolute, checked path for `path` (`~` expanded); `parameter` names the param in errors.
    public func resolve(_ path: String, parameter: String) throws -> String {
        guard !path.isEmpty, !path.contains("\0") else {
            throw Self.error("invalid_path", "\(parameter): the path is empty or contains a NUL byte")
        }
        let path = (path as NSString).expandingTildeInPath
        let base = allowedRoot ?? FileManager.default.currentDirectoryPath
        let absolute = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
        let real = Self.realPath(absolute)
        if let root = allowedRoot, real != root, !real.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
            throw Self.error("path_outside_root", "\(parameter): \(path) resolves outside the allowed root \(root)")
        }
        var info = stat()
        if stat(real, &info) == 0 {
            let type = info.st_mode & S_IFMT
            if type != S_IFREG && type != S_IFDIR {
                throw Self.error("special_file", "\(parameter): \(path) is a special file (device, fifo or socket); only regular files and directories are accepted")
            }
        }
        return real
    }

    /// The real path: symlinks of the longest existing prefix resolved, `.` and `..` removed, the
    /// components that do not exist yet appended as given.
    static func realPath(_ absolute: String) -> String {
        var components = (absolute as NSString).pathComponents.filter { $0 != "/" }
        var resolved = "/"
        var hops = 0
        while !components.isEmpty {
            let part = components.removeFirst()
            if part == "." || part.isEmpty { continue }
            if part == ".." { resolved = (resolved as NSString).deletingLastPathComponent; continue }
            let next = (resolved as NSString).appendingPathComponent(part)
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: next), hops < 40 {
                hops += 1
                let targetComponents = (target as NSString).pathComponents.filter { $0 != "/" }
                if target.hasPrefix("/") { resolved = "/" }
                components = targetComponents + components
                continue
            }
            resolved = next
        }
        return resolved
    }

    static func error(_ kind: String, _ message: String) -> RPCError {
        RPCError(code: RPCError.Code.invalidParams, message: message, data: ["type": "PathError", "kind": .string(kind)])
    }
}
