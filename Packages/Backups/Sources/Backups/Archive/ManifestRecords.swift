import Foundation

/// One row of a format 5 manifest's `chunks` table: a chunk reference whose delta bases are named by id
/// (their own rows come earlier in the table).
struct ChunkRecord: Codable, Hashable {
    var id: String
    var size: Int
    var storedSize: Int
    var storedSHA256: String
    var codec: CompressionCodec
    var location: String
    var pack: Int?
    var offset: Int64?
    var deltaBases: [String]?

    init(_ chunk: ChunkReference) {
        id = chunk.id
        size = chunk.size
        storedSize = chunk.storedSize
        storedSHA256 = chunk.storedSHA256
        codec = chunk.codec
        location = chunk.location
        pack = chunk.pack
        offset = chunk.offset
        deltaBases = chunk.deltaBases.isEmpty ? nil : chunk.deltaBases.map(\.id)
    }

    enum CodingKeys: String, CodingKey {
        case id, size, codec, location, pack, offset
        case storedSize = "stored_size"
        case storedSHA256 = "stored_sha256"
        case deltaBases = "delta_bases"
    }
}

/// One entry of a format 5 manifest: its chunks named by id.
struct EntryRecord: Codable, Hashable {
    var kind: Manifest.Entry.Kind
    var name: String
    var insertPrefix: String?
    var copyStatement: String?
    var part: Int?
    var chunks: [String]

    /// The entry's fields, with no chunk ids (`ManifestFile` writes those from the entry's list).
    init(fieldsOf entry: Manifest.Entry) {
        kind = entry.kind
        name = entry.name
        insertPrefix = entry.insertPrefix
        copyStatement = entry.copyStatement
        part = entry.part
        chunks = []
    }

    /// The entry with its chunk ids resolved to references.
    func entry(resolving table: ChunkTable) throws(BackupError) -> Manifest.Entry {
        var chunks = [ChunkReference]()
        chunks.reserveCapacity(self.chunks.count)
        for id in self.chunks { chunks.append(try table.reference(id)) }
        return Manifest.Entry(kind: kind, name: name, insertPrefix: insertPrefix, copyStatement: copyStatement,
                              part: part, chunks: ChunkList(chunks))
    }

    enum CodingKeys: String, CodingKey {
        case kind, name, chunks, part
        case insertPrefix = "insert_prefix"
        case copyStatement = "copy_statement"
    }
}

/// The chunk references of a format 5 manifest by id, built from its `chunks` table in order, in memory:
/// for a manifest decoded whole (one not laid out a record per line); `ManifestFile` reads the others into
/// a `ChunkIndex`. A delta chunk's bases are the references already in the table, so every chunk is held
/// once however many deltas and entries name it.
struct ChunkTable {
    private var references: [ChunkDigest: ChunkReference] = [:]
    /// One copy of each backup id a `location` names (a few backups hold every chunk).
    private var locations: [String: String] = [:]

    /// Adds a row; its delta bases must be rows added before it.
    mutating func add(_ record: ChunkRecord) throws(BackupError) {
        var bases = [ChunkReference]()
        for id in record.deltaBases ?? [] { bases.append(try reference(id)) }
        let chunk = ChunkReference(digest: try ChunkReference.validated(record.id, "chunk id"), size: record.size,
                                   storedSize: record.storedSize,
                                   storedDigest: try ChunkReference.validated(record.storedSHA256, "stored_sha256"), codec: record.codec,
                                   location: locations[record.location, default: record.location],
                                   deltaBases: bases, pack: record.pack, offset: record.offset)
        locations[record.location] = chunk.location
        references[chunk.digest] = chunk
    }

    func reference(_ id: String) throws(BackupError) -> ChunkReference {
        guard let chunk = ChunkDigest(hex: id).flatMap({ references[$0] }) else {
            throw BackupError(.corrupt, "the manifest names chunk \(id.prefix(12)) before (or without) its row in the chunks table")
        }
        return chunk
    }
}
