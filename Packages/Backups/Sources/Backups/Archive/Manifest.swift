import Foundation

/// The table of contents of one backup, stored as `manifest.json` in the backup's directory next to
/// `manifest.sha256` (the SHA-256 of the manifest's bytes, the backup's `verification_hash`).
///
/// The manifest is written once, when the backup is complete, and never changed; the result of a restore
/// test lives in `verification.json` beside it. See `Docs/backup-format.md`.
public struct Manifest: Sendable, Decodable, Hashable {
    public static let formatName = "dbm-backup"
    /// 2: chunks may be deltas (`delta_bases`); 3: a `database_image` entry (SQLite); 4: chunks are stored
    /// in pack files (`pack`, `offset`); 5: one `chunks` table, entries and delta bases name chunks by id
    /// (`ManifestFile` writes and reads it a line at a time). Readers read every earlier version.
    public static let currentVersion = 5

    public var format: String = Manifest.formatName
    public var formatVersion: Int = Manifest.currentVersion
    public var id: String
    public var databaseName: String
    public var backupType: BackupType
    public var compression: CompressionCodec
    public var compressionLevel: Int
    /// `none` or `aes-256-gcm`.
    public var encryption: String
    /// Fingerprint of the key (not the key), to tell a wrong key from a corrupt chunk.
    public var keyFingerprint: String?
    /// How chunk ids are computed: `sha256` of the plaintext, or `hmac-sha256` under the backup key.
    public var chunkHash: String
    public var createdAt: Date
    public var completedAt: Date
    public var retentionDays: Int?
    /// The engine (`sqlite`, `postgresql`, `mysql`) and its version, detected before anything is read.
    public var engine: String
    public var serverVersion: String
    /// The backup this one builds on (incremental: the previous backup; differential: the last full).
    public var parentBackup: String?
    /// Bytes of the chunks stored in this backup's own directory (the chunks it shares are not counted).
    public var storedBytes: Int64
    /// Bytes of the dump stream before compression.
    public var logicalBytes: Int64
    public var tables: [TableSummary]
    /// The dump in restore order.
    public var entries: [Entry]

    /// Row count and order-independent checksum of one table's data.
    public struct TableSummary: Sendable, Codable, Hashable {
        public var schema: String?
        public var name: String
        public var rowCount: Int64
        /// XOR and sum of the SHA-256 prefixes of the rows' literal text, as hex: independent of row order.
        public var checksum: String
    }

    /// One section of the dump: a list of statements, or one table's rows.
    public struct Entry: Sendable, Decodable, Hashable {
        public enum Kind: String, Sendable, Codable {
            /// Statements that must run before data: schemas, types, functions, tables, views.
            case preData = "pre_data"
            /// One table's rows, each a tuple for `insertPrefix`.
            case tableData = "table_data"
            /// Statements after data: constraints, indexes, triggers, sequence values.
            case postData = "post_data"
            /// The bytes of a whole database file, unframed (SQLite: the pages of one snapshot).
            case databaseImage = "database_image"
        }
        public var kind: Kind
        public var name: String
        /// For `tableData` of `R` rows: `INSERT INTO t (cols) VALUES ` (the restore appends tuples).
        public var insertPrefix: String?
        /// For `tableData` of `D` rows (PostgreSQL): `COPY t (cols) FROM STDIN`, fed the rows in COPY text format.
        public var copyStatement: String?
        /// For a large table dumped in parts (PostgreSQL, ranges of its primary key, read in parallel and
        /// restored in order): which part, from 0. Absent when the entry holds the whole table.
        public var part: Int?
        public var chunks: ChunkList
    }

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case id
        case databaseName = "database_name"
        case backupType = "backup_type"
        case compression
        case compressionLevel = "compression_level"
        case encryption
        case keyFingerprint = "key_fingerprint"
        case chunkHash = "chunk_hash"
        case createdAt = "created_at"
        case completedAt = "completed_at"
        case retentionDays = "retention_days"
        case engine
        case serverVersion = "server_version"
        case parentBackup = "parent_backup"
        case storedBytes = "stored_bytes"
        case logicalBytes = "logical_bytes"
        case tables, entries, chunks
    }

    /// Calls `body` with every chunk the backup needs, the bases of its delta chunks included, each once
    /// and after its delta bases: the order of format 5's `chunks` table, so a reader resolves each record's
    /// bases from the records before it. What was seen is kept in the entries' index when they have one.
    func forEachChunk(_ body: (ChunkReference) throws -> Void) throws {
        var seen = SeenChunks(index: entries.lazy.compactMap(\.chunks.index).first)
        defer { seen.end() }
        func visit(_ chunk: ChunkReference) throws {
            guard try seen.insert(chunk.digest) else { return }
            for base in chunk.deltaBases { try visit(base) }
            try body(chunk)
        }
        for entry in entries { try entry.chunks.forEach(visit) }
    }

    /// How many chunks the backup needs (`forEachChunk`).
    func chunkCount() throws(BackupError) -> Int {
        var count = 0
        try BackupError.rethrowing { try forEachChunk { _ in count += 1 } }
        return count
    }

    /// The backups whose directories hold chunks this one needs (itself excluded).
    func dependencies() throws(BackupError) -> Set<String> {
        var locations = Set<String>()
        try BackupError.rethrowing { try forEachChunk { locations.insert($0.location) } }
        return locations.subtracting([id])
    }

    /// The manifest with every entry's chunks in one index: the entries' own when they share one, else a
    /// new index they are copied into (a manifest built in memory, or read whole).
    func indexed() throws(BackupError) -> (index: ChunkIndex, entries: [Entry]) {
        let indexes = entries.compactMap(\.chunks.index)
        if let first = indexes.first, indexes.count == entries.count, indexes.allSatisfy({ $0 === first }) {
            return (first, entries)
        }
        let index = try ChunkIndex()
        var copied = [Entry]()
        for entry in entries {
            var copy = entry
            copy.chunks = try index.copy(entry.chunks)
            copied.append(copy)
        }
        return (index, copied)
    }
}

/// The chunks a walk over a manifest has seen: in its index when it has one, else in memory.
private struct SeenChunks {
    let index: ChunkIndex?
    let emission: Int
    var set = Set<ChunkDigest>()

    init(index: ChunkIndex?) {
        self.index = index
        emission = index?.newEmission() ?? 0
    }

    /// True when `digest` was not seen before.
    mutating func insert(_ digest: ChunkDigest) throws(BackupError) -> Bool {
        if let index { return try index.markEmitted(digest, in: emission) }
        return set.insert(digest).inserted
    }

    func end() { index?.endEmission(emission) }
}

extension CodingUserInfoKey {
    /// Set (to `true`) to decode a manifest's fields and tables without `chunks` and `entries`, which
    /// `ManifestFile` reads a record at a time.
    static let manifestHeadOnly = CodingUserInfoKey(rawValue: "dbm.manifestHeadOnly")!
}

extension Manifest {
    /// Reads every format version: 5 resolves entries' chunk ids through the `chunks` table; 1 to 4 nest
    /// whole chunk references (with their delta bases) in the entries.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        id = try c.decode(String.self, forKey: .id)
        databaseName = try c.decode(String.self, forKey: .databaseName)
        backupType = try c.decode(BackupType.self, forKey: .backupType)
        compression = try c.decode(CompressionCodec.self, forKey: .compression)
        compressionLevel = try c.decode(Int.self, forKey: .compressionLevel)
        encryption = try c.decode(String.self, forKey: .encryption)
        keyFingerprint = try c.decodeIfPresent(String.self, forKey: .keyFingerprint)
        chunkHash = try c.decode(String.self, forKey: .chunkHash)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        completedAt = try c.decode(Date.self, forKey: .completedAt)
        retentionDays = try c.decodeIfPresent(Int.self, forKey: .retentionDays)
        engine = try c.decode(String.self, forKey: .engine)
        serverVersion = try c.decode(String.self, forKey: .serverVersion)
        parentBackup = try c.decodeIfPresent(String.self, forKey: .parentBackup)
        storedBytes = try c.decode(Int64.self, forKey: .storedBytes)
        logicalBytes = try c.decode(Int64.self, forKey: .logicalBytes)
        tables = try c.decode([TableSummary].self, forKey: .tables)
        entries = []
        if decoder.userInfo[.manifestHeadOnly] as? Bool == true { return }
        if formatVersion >= 5 {
            let index = try ChunkIndex()
            for record in try c.decode([ChunkRecord].self, forKey: .chunks) { try index.add(record) }
            entries = try c.decode([EntryRecord].self, forKey: .entries).map { try $0.entry(in: index) }
        } else {
            entries = try c.decode([Entry].self, forKey: .entries)
        }
    }

    /// Writes the fields and tables, without `chunks` and `entries` (`ManifestFile` writes those a record
    /// per line after them).
    func encodeFields(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(formatVersion, forKey: .formatVersion)
        try c.encode(id, forKey: .id)
        try c.encode(databaseName, forKey: .databaseName)
        try c.encode(backupType, forKey: .backupType)
        try c.encode(compression, forKey: .compression)
        try c.encode(compressionLevel, forKey: .compressionLevel)
        try c.encode(encryption, forKey: .encryption)
        try c.encodeIfPresent(keyFingerprint, forKey: .keyFingerprint)
        try c.encode(chunkHash, forKey: .chunkHash)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(completedAt, forKey: .completedAt)
        try c.encodeIfPresent(retentionDays, forKey: .retentionDays)
        try c.encode(engine, forKey: .engine)
        try c.encode(serverVersion, forKey: .serverVersion)
        try c.encodeIfPresent(parentBackup, forKey: .parentBackup)
        try c.encode(storedBytes, forKey: .storedBytes)
        try c.encode(logicalBytes, forKey: .logicalBytes)
        try c.encode(tables, forKey: .tables)
    }

    /// Throws `.corrupt` unless this is a dbm manifest of a version this build reads.
    func requireKnownFormat(in directory: URL) throws(BackupError) {
        guard format == Manifest.formatName, formatVersion <= Manifest.currentVersion else {
            throw BackupError(.corrupt, "\(directory.lastPathComponent) is not a dbm backup of a known version")
        }
    }
}

extension Manifest.TableSummary {
    enum CodingKeys: String, CodingKey {
        case schema, name, checksum
        case rowCount = "row_count"
    }
}

extension Manifest.Entry {
    enum CodingKeys: String, CodingKey {
        case kind, name, chunks, part
        case insertPrefix = "insert_prefix"
        case copyStatement = "copy_statement"
    }
}

/// One chunk as a backup refers to it.
///
/// A value type whose fields live in one shared, copy-on-write box: a backup holds a reference to every
/// chunk of its chain in several places at once (the manifest's entries, the chunk table, the writer's
/// indexes), and each of those copies is one pointer rather than the whole record.
public struct ChunkReference: Sendable, Decodable, Hashable {
    private var box: Box

    /// SHA-256 (or HMAC-SHA256 when encrypted) of the plaintext, as hex: the chunk's content address.
    public var id: String {
        get { box.id.hex }
        set { unique().id = Self.digest(newValue) }
    }
    /// Plaintext size in bytes.
    public var size: Int {
        get { box.size }
        set { unique().size = newValue }
    }
    /// Size of the stored file (compressed, then sealed).
    public var storedSize: Int {
        get { box.storedSize }
        set { unique().storedSize = newValue }
    }
    /// SHA-256 of the stored file, as hex: checked before anything is decrypted or decompressed. Empty
    /// while the chunk is still being written.
    public var storedSHA256: String {
        get { box.storedSHA256?.hex ?? "" }
        set { unique().storedSHA256 = newValue.isEmpty ? nil : Self.digest(newValue) }
    }
    public var codec: CompressionCodec {
        get { box.codec }
        set { unique().codec = newValue }
    }
    /// The id of the backup whose directory holds the chunk file.
    public var location: String {
        get { box.location }
        set { unique().location = newValue }
    }
    /// For a delta chunk, the chunks of earlier backups it was compressed against (zstd, with their
    /// plaintexts, in order, as the prefix); empty for a chunk stored on its own.
    public var deltaBases: [ChunkReference] {
        get { box.deltaBases }
        set { unique().deltaBases = newValue }
    }
    /// The pack file (`packs/<pack>.pack` in the `location` backup) and the offset of the stored bytes in
    /// it; both nil for a chunk stored in a file of its own (format 3 and earlier).
    public var pack: Int? {
        get { box.pack }
        set { unique().pack = newValue }
    }
    public var offset: Int64? {
        get { box.offset }
        set { unique().offset = newValue }
    }
    /// The first 8 bytes of the SHA-256 (HMAC when encrypted) of the chunk's first `ChunkHead.length`
    /// bytes: where a later backup's chunk starts with the same bytes, its stream lines up with this one's
    /// (see `EntryWriter`). Nil for chunks shorter than that, for a database image's chunks (which never
    /// drift) and in backups taken before heads were recorded.
    var head: UInt64? {
        get { box.head }
        set { unique().head = newValue }
    }

    /// - Precondition: `id` and `storedSHA256` are 64 hexadecimal digits (`storedSHA256` may be empty
    ///   while the chunk is being written). Readers of manifests check this first (`validated`).
    public init(id: String, size: Int, storedSize: Int, storedSHA256: String, codec: CompressionCodec,
                location: String, deltaBases: [ChunkReference] = [], pack: Int? = nil, offset: Int64? = nil) {
        self.init(digest: Self.digest(id), size: size, storedSize: storedSize,
                  storedDigest: storedSHA256.isEmpty ? nil : Self.digest(storedSHA256), codec: codec,
                  location: location, deltaBases: deltaBases, pack: pack, offset: offset)
    }

    init(digest: ChunkDigest, size: Int, storedSize: Int, storedDigest: ChunkDigest?, codec: CompressionCodec,
         location: String, deltaBases: [ChunkReference] = [], pack: Int? = nil, offset: Int64? = nil, head: UInt64? = nil) {
        box = Box(id: digest, size: size, storedSize: storedSize, storedSHA256: storedDigest, codec: codec,
                  location: location, deltaBases: deltaBases, pack: pack, offset: offset, head: head)
    }

    /// The content address as a digest (dictionary keys, comparisons: no string is made).
    var digest: ChunkDigest { box.id }
    /// The SHA-256 of the stored bytes; nil while the chunk is being written.
    var storedDigest: ChunkDigest? { box.storedSHA256 }

    private static func digest(_ hex: String) -> ChunkDigest {
        guard let digest = ChunkDigest(hex: hex) else { preconditionFailure("not a chunk digest: \(hex.prefix(70))") }
        return digest
    }

    /// `hex` as a digest, or `.corrupt` naming what `field` of a manifest holds instead.
    static func validated(_ hex: String, _ field: String) throws(BackupError) -> ChunkDigest {
        guard let digest = ChunkDigest(hex: hex) else {
            throw BackupError(.corrupt, "the manifest's \(field) \(hex.prefix(16)) is not a SHA-256 in hexadecimal")
        }
        return digest
    }

    /// The box, copied first when another reference shares it.
    private mutating func unique() -> Box {
        if !isKnownUniquelyReferenced(&box) { box = box.copy() }
        return box
    }

    /// The fields. Mutated only through `unique()`, that is only while no other value shares the box,
    /// which is what makes sharing it between threads safe.
    private final class Box: @unchecked Sendable {
        var id: ChunkDigest
        var size: Int
        var storedSize: Int
        var storedSHA256: ChunkDigest?
        var codec: CompressionCodec
        var location: String
        var deltaBases: [ChunkReference]
        var pack: Int?
        var offset: Int64?
        var head: UInt64?

        init(id: ChunkDigest, size: Int, storedSize: Int, storedSHA256: ChunkDigest?, codec: CompressionCodec,
             location: String, deltaBases: [ChunkReference], pack: Int?, offset: Int64?, head: UInt64?) {
            self.id = id
            self.size = size
            self.storedSize = storedSize
            self.storedSHA256 = storedSHA256
            self.codec = codec
            self.location = location
            self.deltaBases = deltaBases
            self.pack = pack
            self.offset = offset
            self.head = head
        }

        func copy() -> Box {
            Box(id: id, size: size, storedSize: storedSize, storedSHA256: storedSHA256, codec: codec,
                location: location, deltaBases: deltaBases, pack: pack, offset: offset, head: head)
        }
    }

    public static func == (lhs: ChunkReference, rhs: ChunkReference) -> Bool {
        if lhs.box === rhs.box { return true }
        return lhs.digest == rhs.digest && lhs.size == rhs.size && lhs.storedSize == rhs.storedSize
            && lhs.storedDigest == rhs.storedDigest && lhs.codec == rhs.codec && lhs.location == rhs.location
            && lhs.deltaBases == rhs.deltaBases && lhs.pack == rhs.pack && lhs.offset == rhs.offset && lhs.head == rhs.head
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
        hasher.combine(location)
    }

    /// How many delta steps reading this chunk takes at most (0 for a chunk stored on its own).
    var deltaDepth: Int { deltaBases.map { $0.deltaDepth + 1 }.max() ?? 0 }

    enum CodingKeys: String, CodingKey {
        case id, size, codec, location
        case storedSize = "stored_size"
        case storedSHA256 = "stored_sha256"
        case deltaBases = "delta_bases"
        case pack, offset
    }

    /// Reads the nested form of formats 1 to 4, where `delta_bases` holds whole references.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(digest: try Self.validated(try c.decode(String.self, forKey: .id), "chunk id"),
                  size: try c.decode(Int.self, forKey: .size),
                  storedSize: try c.decode(Int.self, forKey: .storedSize),
                  storedDigest: try Self.validated(try c.decode(String.self, forKey: .storedSHA256), "stored_sha256"),
                  codec: try c.decode(CompressionCodec.self, forKey: .codec),
                  location: try c.decode(String.self, forKey: .location),
                  deltaBases: try c.decodeIfPresent([ChunkReference].self, forKey: .deltaBases) ?? [],
                  pack: try c.decodeIfPresent(Int.self, forKey: .pack),
                  offset: try c.decodeIfPresent(Int64.self, forKey: .offset))
    }
}

/// The spec's `backup_type`.
public enum BackupType: String, Sendable, Codable, CaseIterable {
    case full, incremental, differential

    public init(name: String) throws(BackupError) {
        guard let value = BackupType(rawValue: name.lowercased()) else {
            throw BackupError(.invalidArgument, "backup_type must be full, incremental or differential, not \(name)")
        }
        self = value
    }
}

/// The JSON encoding used for manifests and the other files of the catalog: sorted keys, ISO 8601 dates.
enum ArchiveJSON {
    /// Times are ISO 8601 with milliseconds, so backups taken within one second still sort in order.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return encoder
    }

    /// One record on one line (a manifest's chunk and entry records): sorted keys, no dates.
    static func lineEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Reads ISO 8601 times with or without fractional seconds.
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            if let date = try? Date(text, strategy: .iso8601) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time: \(text)")
        }
        return decoder
    }
}
