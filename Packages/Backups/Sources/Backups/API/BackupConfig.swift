import Foundation

/// The spec's `backup_config`: what kind of backup to take, where, and how to store it.
///
/// Keys: `type` (or `backup_type`): `full` | `incremental` | `differential`; `destination` (a directory,
/// default `$DBM_BACKUP_DIR` or `~/.local/share/dbm/backups`); `compression`: `gzip` | `bz2` | `zstd` |
/// `none`; `compression_level`; `encryption`: `none` | `aes-256-gcm` (or `true`); `encryption_key_env`
/// (default `DBM_BACKUP_KEY`); `encryption_key_file`; `retention_days`; `keep_last`; `format`: `native`
/// (default) or `sql` (a plain SQL file, optionally gzip/bz2); `parallel_jobs`.
public struct BackupConfig: Sendable, Codable, Hashable {
    public var type: BackupType
    public var destination: String?
    public var compression: CompressionCodec
    public var compressionLevel: Int?
    public var encryption: String
    public var encryptionKeyEnv: String?
    public var encryptionKeyFile: String?
    public var retentionDays: Int?
    public var keepLast: Int?
    public var format: String
    public var parallelJobs: Int?

    public init(type: BackupType = .full, destination: String? = nil, compression: CompressionCodec = .gzip,
                compressionLevel: Int? = nil, encryption: String = "none", encryptionKeyEnv: String? = nil,
                encryptionKeyFile: String? = nil, retentionDays: Int? = nil, keepLast: Int? = nil,
                format: String = "native", parallelJobs: Int? = nil) {
        self.type = type
        self.destination = destination
        self.compression = compression
        self.compressionLevel = compressionLevel
        self.encryption = encryption
        self.encryptionKeyEnv = encryptionKeyEnv
        self.encryptionKeyFile = encryptionKeyFile
        self.retentionDays = retentionDays
        self.keepLast = keepLast
        self.format = format
        self.parallelJobs = parallelJobs
    }

    enum CodingKeys: String, CodingKey {
        case type
        case backupType = "backup_type"
        case destination, compression, encryption, format
        case compressionLevel = "compression_level"
        case encryptionKeyEnv = "encryption_key_env"
        case encryptionKeyFile = "encryption_key_file"
        case retentionDays = "retention_days"
        case keepLast = "keep_last"
        case parallelJobs = "parallel_jobs"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let typeName = try c.decodeIfPresent(String.self, forKey: .type) ?? c.decodeIfPresent(String.self, forKey: .backupType) ?? "full"
        type = try BackupType(name: typeName)
        destination = try c.decodeIfPresent(String.self, forKey: .destination)
        compression = try CompressionCodec(name: c.decodeIfPresent(String.self, forKey: .compression) ?? "gzip")
        compressionLevel = try c.decodeIfPresent(Int.self, forKey: .compressionLevel)
        if let flag = try? c.decodeIfPresent(Bool.self, forKey: .encryption) {
            encryption = flag ? "aes-256-gcm" : "none"
        } else {
            encryption = try Self.encryptionName(c.decodeIfPresent(String.self, forKey: .encryption) ?? "none")
        }
        encryptionKeyEnv = try c.decodeIfPresent(String.self, forKey: .encryptionKeyEnv)
        encryptionKeyFile = try c.decodeIfPresent(String.self, forKey: .encryptionKeyFile)
        retentionDays = try c.decodeIfPresent(Int.self, forKey: .retentionDays)
        keepLast = try c.decodeIfPresent(Int.self, forKey: .keepLast)
        format = try c.decodeIfPresent(String.self, forKey: .format) ?? "native"
        parallelJobs = try c.decodeIfPresent(Int.self, forKey: .parallelJobs)
        guard ["native", "sql"].contains(format) else {
            throw BackupError(.invalidArgument, "format must be native or sql, not \(format)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(destination, forKey: .destination)
        try c.encode(compression, forKey: .compression)
        try c.encodeIfPresent(compressionLevel, forKey: .compressionLevel)
        try c.encode(encryption, forKey: .encryption)
        try c.encodeIfPresent(encryptionKeyEnv, forKey: .encryptionKeyEnv)
        try c.encodeIfPresent(encryptionKeyFile, forKey: .encryptionKeyFile)
        try c.encodeIfPresent(retentionDays, forKey: .retentionDays)
        try c.encodeIfPresent(keepLast, forKey: .keepLast)
        try c.encode(format, forKey: .format)
        try c.encodeIfPresent(parallelJobs, forKey: .parallelJobs)
    }

    /// Normalizes the names of the encryption setting.
    static func encryptionName(_ name: String) throws(BackupError) -> String {
        switch name.lowercased() {
        case "none", "", "off", "false": "none"
        case "aes-256-gcm", "aes256gcm", "aes-256", "aes256", "aes", "true": "aes-256-gcm"
        default: throw BackupError(.invalidArgument, "encryption must be none or aes-256-gcm, not \(name)")
        }
    }

    /// The destination directory: the config's, else `$DBM_BACKUP_DIR`, else `~/.local/share/dbm/backups`.
    public var destinationURL: URL {
        BackupConfig.destinationURL(destination)
    }

    public static func destinationURL(_ path: String?) -> URL {
        if let path, !path.isEmpty { return URL(fileURLWithPath: (path as NSString).expandingTildeInPath, isDirectory: true) }
        if let env = ProcessInfo.processInfo.environment["DBM_BACKUP_DIR"], !env.isEmpty {
            return URL(fileURLWithPath: (env as NSString).expandingTildeInPath, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/dbm/backups", isDirectory: true)
    }

    /// The key for encrypted backups (`nil` for `none`).
    func loadKey() throws(BackupError) -> BackupKey? {
        encryption == "none" ? nil : try BackupKey.load(environmentVariable: encryptionKeyEnv, keyFile: encryptionKeyFile)
    }
}
