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
    /// `ChunkReference.head` as 16 hexadecimal digits.
    var head: String?

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
        head = chunk.head.map(Hex.padded)
    }

    enum CodingKeys: String, CodingKey {
        case id, size, codec, location, pack, offset, head
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

    /// The entry with its chunk ids added to `index` as a new list (the chunks' rows must be there).
    func entry(in index: ChunkIndex) throws(BackupError) -> Manifest.Entry {
        var list = ChunkIndex.ListBuilder(index: index)
        for id in chunks { try list.append(id) }
        return entry(chunks: list.list)
    }

    /// The entry with its chunks in `chunks`.
    func entry(chunks: ChunkList) -> Manifest.Entry {
        Manifest.Entry(kind: kind, name: name, insertPrefix: insertPrefix, copyStatement: copyStatement, part: part, chunks: chunks)
    }

    enum CodingKeys: String, CodingKey {
        case kind, name, chunks, part
        case insertPrefix = "insert_prefix"
        case copyStatement = "copy_statement"
    }
}
