import Backups
import Foundation
import JSONRPC

// The path parameters of the module methods (Backups, Migrations, Monitoring), checked by the same
// `PathPolicy.resolve` as the Schema methods' `output_dir` and `schema_file`. Each method calls one of
// these before it hands its params to the module, so the module only ever sees checked, absolute paths.

extension PathPolicy {
    /// `resolve(_:parameter:)` for an optional parameter; `nil` and empty stay as they are (the module's
    /// default applies).
    func resolve(optional path: String?, parameter: String) throws -> String? {
        guard let path, !path.isEmpty else { return path }
        return try resolve(path, parameter: parameter)
    }

    /// Checks a directory given over the protocol and everything in it (two levels: migration folders
    /// hold `up.sql`/`down.sql`): a file that is a symlink out of the allowed root, or a device, fifo or
    /// socket (reading a fifo would block the call forever), is refused like the directory itself.
    /// - Returns: the directory's checked absolute path.
    func resolveDirectoryTree(_ path: String, parameter: String) throws -> String {
        let directory = try resolve(path, parameter: parameter)
        func check(_ folder: String, depth: Int) throws {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
            for name in names.sorted() {
                let entry = (folder as NSString).appendingPathComponent(name)
                let real = try resolve(entry, parameter: "\(parameter) (\(name))")
                var isDirectory: ObjCBool = false
                if depth < 2, FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), isDirectory.boolValue {
                    try check(entry, depth: depth + 1)
                }
            }
        }
        try check(directory, depth: 1)
        return directory
    }

    /// `backup_path`: a backup's directory (or its `manifest.json`), or a backup id looked up in
    /// `destination`. A path is resolved; an id must be a plain name (`.` and `..` are refused) and
    /// whatever it names in the destination must stay inside the allowed root.
    func resolveBackupReference(_ reference: String, destination: URL) throws -> String {
        guard !reference.isEmpty, !reference.contains("\0") else {
            throw Self.error("invalid_path", "backup_path: the path is empty or contains a NUL byte")
        }
        if reference.contains("/") { return try resolve(reference, parameter: "backup_path") }
        if reference == "." || reference == ".." || reference.hasPrefix("~") {
            throw Self.error("invalid_path", "backup_path: \(reference) is neither a backup id nor a backup directory")
        }
        // The Backups package also tries the name relative to the working directory: check that one too.
        let workingCandidate = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(reference)
        if FileManager.default.fileExists(atPath: workingCandidate + "/manifest.json")
            || reference == "manifest.json" && FileManager.default.fileExists(atPath: workingCandidate) {
            return try resolve(workingCandidate, parameter: "backup_path")
        }
        for candidate in [reference + ".dbmb", reference] {
            let path = destination.appendingPathComponent(candidate).path
            if FileManager.default.fileExists(atPath: path) { _ = try resolve(path, parameter: "backup_path") }
        }
        return reference
    }

    /// A `backup_config` (or a JSON `config_path`'s defaults): `destination` and `encryption_key_file`.
    func check(_ config: BackupConfig?) throws -> BackupConfig? {
        guard var config else { return nil }
        config.destination = try resolve(optional: config.destination, parameter: "destination")
        config.encryptionKeyFile = try resolve(optional: config.encryptionKeyFile, parameter: "encryption_key_file")
        return config
    }

    /// `path` with a leading `~` expanded, as the modules read paths.
    static func expandingTilde(_ path: String) -> String { (path as NSString).expandingTildeInPath }

    /// `BackupManager(config_path)`: the directory or JSON file itself, then the destination and key
    /// file a JSON file names.
    func manager(configPath: String?) throws -> BackupManager {
        let path = try resolve(optional: configPath, parameter: "config_path")
        var manager = try BackupManager(configPath: path)
        if path != nil, let defaults = try check(manager.defaults) { manager.defaults = defaults }
        return manager
    }
}
