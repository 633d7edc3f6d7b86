import Crypto
import Foundation

/// The backups in a destination directory, read from their manifests (there is no separate index that
/// could disagree with the files).
///
/// A backup is the directory `<destination>/<id>.dbmb` holding `manifest.json`, `manifest.sha256`,
/// optionally `verification.json`, and `chunks/`. A backup being written lives in `.<id>.partial` and is
/// never listed.
public struct BackupCatalog: Sendable {
    public let destination: URL

    public init(destination: URL) {
        self.destination = destination
    }

    static let suffix = ".dbmb"

    /// The directory of backup `id` under `root`.
    static func directory(of id: String, in root: URL) -> URL {
        root.appendingPathComponent(id + suffix, isDirectory: true)
    }

    /// Every completed backup, oldest first, read one manifest at a time and summarised, so a destination of
    /// many large backups is never held in memory at once. Directories whose manifest cannot be read are
    /// skipped.
    /// - Parameter dependencies: read each manifest's chunk list for `BackupSummary.dependencies`; without
    ///   it only the fields before the chunk list are read.
    public func summaries(dependencies: Bool) -> [BackupSummary] {
        backupDirectories.compactMap { try? BackupSummary.open($0, dependencies: dependencies) }
            .sorted { ($0.fields.createdAt, $0.fields.id) < ($1.fields.createdAt, $1.fields.id) }
    }

    /// The directories of the completed backups (`<id>.dbmb`), in no particular order.
    private var backupDirectories: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
        return names.filter { $0.hasSuffix(Self.suffix) }.map { destination.appendingPathComponent($0, isDirectory: true) }
    }

    /// The newest completed backup (by `created_at`, then id) whose manifest fields match, opened in full.
    /// Only the fields of the others are read, so a destination of many large backups is not held in
    /// memory at once.
    func newest(where matches: (Manifest) -> Bool) throws(BackupError) -> StoredBackup? {
        var newest: (directory: URL, createdAt: Date, id: String)?
        for directory in backupDirectories {
            guard let head = try? ManifestFile.readHead(directory.appendingPathComponent(ManifestFile.name)),
                  matches(head) else { continue }
            if let current = newest, (head.createdAt, head.id) <= (current.createdAt, current.id) { continue }
            newest = (directory, head.createdAt, head.id)
        }
        guard let newest else { return nil }
        return try StoredBackup.open(newest.directory, verify: false)
    }

    static let partialSuffix = ".partial"
    static let partialLockName = ".lock"

    /// Removes the hidden `.<id>.partial` directories that no running backup holds: what a killed or
    /// crashed backup left behind (a backup that fails or is cancelled removes its own). Returns their names.
    @discardableResult
    public func removeAbandonedPartials() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
        var removed = [String]()
        for name in names where name.hasPrefix(".") && name.hasSuffix(Self.partialSuffix) {
            let directory = destination.appendingPathComponent(name, isDirectory: true)
            let lockPath = directory.appendingPathComponent(Self.partialLockName).path
            switch WriterLock.state(of: lockPath, cleaningIfAbandoned: { try? FileManager.default.removeItem(at: directory) }) {
            case .abandoned:
                removed.append(name)
            case .held:
                continue  // a backup is writing it
            case .noLockFile:
                // Killed before it took its lock (just after creating the directory): old enough to be sure.
                let modified = (try? FileManager.default.attributesOfItem(atPath: directory.path))?[.modificationDate] as? Date
                if let modified, modified < Date().addingTimeInterval(-3600),
                   (try? FileManager.default.removeItem(at: directory)) != nil {
                    removed.append(name)
                }
            }
        }
        return removed
    }

    /// The ids of the backups that need a chunk stored in backup `id`, oldest first.
    func dependents(of id: String) -> [String] {
        summaries(dependencies: true).filter { $0.fields.id != id && $0.dependencies?.contains(id) == true }.map(\.fields.id)
    }
}

/// One completed backup as the catalog lists it: its manifest's fields and tables without the chunk list,
/// and, when asked for, the backups whose chunks it needs.
public struct BackupSummary: Sendable {
    public let directory: URL
    /// The manifest without its chunk list (`entries` is empty).
    public let fields: Manifest
    /// SHA-256 of `manifest.json`'s bytes (the spec's `verification_hash`).
    public let manifestSHA256: String
    public let verification: VerificationRecord?
    /// The backups holding chunks this one needs (itself excluded); nil when the chunk list was not read.
    public let dependencies: Set<String>?

    static func open(_ directory: URL, dependencies readDependencies: Bool) throws(BackupError) -> BackupSummary {
        let url = directory.appendingPathComponent(ManifestFile.name)
        guard let hash = ManifestFile.sha256(of: url) else { throw BackupError(.notFound, "no backup at \(directory.path)") }
        var fields: Manifest
        var dependencies: Set<String>?
        if readDependencies {
            fields = try ManifestFile.read(url)
            dependencies = try fields.dependencies()
            fields.entries = []
        } else {
            fields = try ManifestFile.readHead(url)
        }
        try fields.requireKnownFormat(in: directory)
        return BackupSummary(directory: directory, fields: fields, manifestSHA256: hash,
                             verification: VerificationRecord.read(in: directory), dependencies: dependencies)
    }
}

/// One completed backup on disk: its directory, manifest and verification record.
public struct StoredBackup: Sendable {
    public let directory: URL
    public let manifest: Manifest
    /// SHA-256 of `manifest.json`'s bytes (the spec's `verification_hash`).
    public let manifestSHA256: String
    public let verification: VerificationRecord?

    /// The directory holding this backup and its chain.
    public var root: URL { directory.deletingLastPathComponent() }

    /// Opens a backup from its directory, its `manifest.json`, or its id inside a destination.
    /// - Parameter verify: check the manifest against `manifest.sha256` (`.corrupt` when they differ).
    public static func open(_ path: URL, verify: Bool) throws(BackupError) -> StoredBackup {
        var directory = path
        if path.lastPathComponent == "manifest.json" { directory = path.deletingLastPathComponent() }
        let manifestURL = directory.appendingPathComponent(ManifestFile.name)
        guard let hash = ManifestFile.sha256(of: manifestURL) else {
            throw BackupError(.notFound, "no backup at \(path.path)", backupPath: path.path)
        }
        if verify {
            let recorded = (try? String(contentsOf: directory.appendingPathComponent("manifest.sha256"), encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard recorded == hash else {
                throw BackupError(.corrupt, "the manifest of \(directory.lastPathComponent) does not match manifest.sha256",
                                  backupPath: directory.path)
            }
        }
        let manifest: Manifest
        do {
            manifest = try ManifestFile.read(manifestURL)
        } catch {
            throw BackupError(.corrupt, "the manifest of \(directory.lastPathComponent) cannot be read (\(error.message))",
                              backupPath: directory.path)
        }
        try manifest.requireKnownFormat(in: directory)
        return StoredBackup(directory: directory, manifest: manifest, manifestSHA256: hash,
                            verification: VerificationRecord.read(in: directory))
    }

    /// Resolves a `backup_path`: a directory, a manifest file, or a backup id under `destination`.
    public static func resolve(_ path: String, destination: URL) throws(BackupError) -> StoredBackup {
        let expanded = (path as NSString).expandingTildeInPath
        var candidates = [URL(fileURLWithPath: expanded)]
        if !expanded.contains("/") {
            candidates.append(BackupCatalog.directory(of: expanded, in: destination))
            candidates.append(destination.appendingPathComponent(expanded, isDirectory: true))
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("manifest.json").path)
            || candidate.lastPathComponent == "manifest.json" && FileManager.default.fileExists(atPath: candidate.path) {
            return try open(candidate, verify: true)
        }
        throw BackupError(.notFound, "no backup at \(path)", backupPath: path)
    }

    /// The key to read this backup with: `nil` when it is not encrypted.
    /// - Throws: `.missingKey`, or `.wrongKey` when the key's fingerprint is not the backup's.
    func key(environmentVariable: String?, keyFile: String?) throws(BackupError) -> BackupKey? {
        guard manifest.encryption != "none" else { return nil }
        let key = try BackupKey.load(environmentVariable: environmentVariable, keyFile: keyFile)
        guard key.fingerprint == manifest.keyFingerprint else {
            throw BackupError(.wrongKey, "the key given is not the key backup \(manifest.id) was encrypted with",
                              backupPath: directory.path)
        }
        return key
    }

    /// A reader of this backup's chunks; `checksContentAddress: false` for restores (see `ChunkReader`).
    func reader(key: BackupKey?, checksContentAddress: Bool = true) -> ChunkReader {
        ChunkReader(root: root, key: key, encrypted: manifest.encryption != "none", checksContentAddress: checksContentAddress)
    }
}

/// The outcome of the last restore test, kept beside the immutable manifest.
public struct VerificationRecord: Sendable, Codable, Hashable {
    public var restoreTested: Bool
    public var testedAt: Date
    public var tablesCompared: Int

    /// The record in a backup's directory, or nil when there is none (or it cannot be read).
    static func read(in directory: URL) -> VerificationRecord? {
        FileManager.default.contents(atPath: directory.appendingPathComponent("verification.json").path)
            .flatMap { try? ArchiveJSON.decoder().decode(VerificationRecord.self, from: $0) }
    }

    enum CodingKeys: String, CodingKey {
        case restoreTested = "restore_tested"
        case testedAt = "tested_at"
        case tablesCompared = "tables_compared"
    }
}
