import CSQLite
import Foundation
import Synchronization

/// The chunk references of a backup chain and the chunk lists of its entries, kept in a private temporary
/// SQLite database rather than in memory, so that what a backup, restore or validation holds does not grow
/// with the database: SQLite keeps at most `cacheBytes` of it in memory and spills the rest to a file in
/// the temporary directory, deleted when the index is.
///
/// Two tables: `chunk` (one row per chunk, its delta bases named by digest) and `entry_chunk` (each entry's
/// chunks in order, with where each starts in the entry's stream). A reference read back is a
/// `ChunkReference` with its delta bases resolved.
/// - Important: safe to use from several threads (one connection, serialized by a lock).
final class ChunkIndex: Sendable {
    /// The page cache of the index: the most of it held in memory.
    static let cacheBytes = 2 << 20

    private let connection: Mutex<Connection>
    private let entries = Atomic<Int>(0)
    private let generations = Atomic<Int>(0)

    /// - Parameter maximumPages: a cap on the index's size in pages of 4 KiB (tests: what a full temporary
    ///   directory does to it); none by default.
    init(maximumPages: Int? = nil) throws(BackupError) {
        connection = Mutex(try Connection(maximumPages: maximumPages))
    }

    /// A new entry id for `append(entry:...)`.
    func newEntry() -> Int { entries.add(1, ordering: .relaxed).oldValue }

    /// A new, empty set for `markEmitted`.
    func newEmission() -> Int { generations.add(1, ordering: .relaxed).oldValue }

    /// Adds a chunk (and, first, its delta bases) unless a chunk with its digest is there already.
    func add(_ chunk: ChunkReference) throws(BackupError) {
        try connection.withLock { (c: inout Connection) throws(BackupError) in try c.add(chunk) }
    }

    /// Adds a manifest's chunk record; its delta bases must have been added before it.
    /// - Throws: `.corrupt` when a base is unknown or a digest is not hexadecimal.
    func add(_ record: ChunkRecord) throws(BackupError) {
        var bases = [ChunkDigest]()
        for id in record.deltaBases ?? [] { bases.append(try ChunkReference.validated(id, "delta base")) }
        let digest = try ChunkReference.validated(record.id, "chunk id")
        let stored = try ChunkReference.validated(record.storedSHA256, "stored_sha256")
        let head = try record.head.map { (text) throws(BackupError) in try ChunkHead.parse(text) }
        try connection.withLock { (c: inout Connection) throws(BackupError) in
            for base in bases where try !c.contains(base) {
                throw BackupError(.corrupt, "the manifest names delta base \(base.hex.prefix(12)) before (or without) its row in the chunks table")
            }
            try c.insertChunk(digest: digest, size: record.size, storedSize: record.storedSize, storedDigest: stored,
                              codec: record.codec, location: record.location, pack: record.pack, offset: record.offset, bases: bases,
                              head: head)
        }
    }

    /// The chunk with this digest, its delta bases resolved; nil when the index has none.
    func reference(_ digest: ChunkDigest) throws(BackupError) -> ChunkReference? {
        try connection.withLock { (c: inout Connection) throws(BackupError) in try c.reference(digest) }
    }

    /// Whether the index holds a chunk with this digest.
    func contains(_ digest: ChunkDigest) throws(BackupError) -> Bool {
        try connection.withLock { (c: inout Connection) throws(BackupError) in try c.contains(digest) }
    }

    /// The location of the chunk with this digest, nil when the index has none.
    func location(of digest: ChunkDigest) throws(BackupError) -> String? {
        try connection.withLock { (c: inout Connection) throws(BackupError) in try c.location(of: digest) }
    }

    /// The plaintext size of the chunk with this digest, nil when the index has none.
    func size(of digest: ChunkDigest) throws(BackupError) -> Int? {
        try connection.withLock { (c: inout Connection) throws(BackupError) in try c.size(of: digest) }
    }

    /// Records the chunk at `position` of `entry`'s list, starting at `start` of the entry's stream.
    func append(entry: Int, position: Int, digest: ChunkDigest, start: Int64) throws(BackupError) {
        try connection.withLock { (c: inout Connection) throws(BackupError) in
            try c.appendEntryChunk(entry: entry, position: position, digest: digest, start: start)
        }
    }

    /// The digest and start of the chunk at `position` of `entry`'s list.
    func entryChunk(entry: Int, position: Int) throws(BackupError) -> (digest: ChunkDigest, start: Int64) {
        try connection.withLock { (c: inout Connection) throws(BackupError) in try c.entryChunk(entry: entry, position: position) }
    }

    /// The chunks of `entry` from the last one starting at or before `start` on, while they start before
    /// `end`: at most `limit`, in order, with their starts and sizes.
    func window(entry: Int, from start: Int64, before end: Int64, limit: Int) throws(BackupError) -> [ChunkList.Slot] {
        try connection.withLock { (c: inout Connection) throws(BackupError) in
            try c.window(entry: entry, from: start, before: end, limit: limit)
        }
    }

    /// The SQLite virtual machine steps the last lookup took: grows with the rows it visited, which must not
    /// grow with the entry's length (for tests).
    var lastLookupSteps: Int { connection.withLock { $0.lastSteps } }

    /// Where the first chunk of `entry` with this digest starts, nil when the entry has none.
    func start(of digest: ChunkDigest, inEntry entry: Int) throws(BackupError) -> Int64? {
        try connection.withLock { (c: inout Connection) throws(BackupError) in try c.start(of: digest, entry: entry) }
    }

    /// Where the chunk of `entry` whose head is `head` starts, when exactly one of its chunks has that head
    /// (a head that repeats, as a run of zero pages does, says nothing about where the stream is).
    func start(ofHead head: UInt64, inEntry entry: Int) throws(BackupError) -> Int64? {
        try connection.withLock { (c: inout Connection) throws(BackupError) in try c.start(ofHead: head, entry: entry) }
    }

    /// Builds a new entry list from a manifest's chunk ids, in order; each id's row must be in the index.
    struct ListBuilder {
        let index: ChunkIndex
        let entry: Int
        private var count = 0
        private var bytes: Int64 = 0

        init(index: ChunkIndex) {
            self.index = index
            entry = index.newEntry()
        }

        /// Appends the chunk `id` names. - Throws: `.corrupt` when it is not a digest or has no row.
        mutating func append(_ id: String) throws(BackupError) {
            let digest = try ChunkReference.validated(id, "chunk id")
            guard let size = try index.size(of: digest) else {
                throw BackupError(.corrupt, "the manifest names chunk \(id.prefix(12)) before (or without) its row in the chunks table")
            }
            try index.append(entry: entry, position: count, digest: digest, start: bytes)
            count += 1
            bytes += Int64(size)
        }

        /// The list built so far.
        var list: ChunkList { ChunkList(index: index, entry: entry, count: count, byteCount: bytes) }
    }

    /// A copy of `list` in this index (with its chunks and their delta bases).
    func copy(_ list: ChunkList) throws(BackupError) -> ChunkList {
        let entry = newEntry()
        for position in 0..<list.count {
            let chunk = try list.reference(at: position)
            try add(chunk)
            try append(entry: entry, position: position, digest: chunk.digest, start: try list.start(at: position))
        }
        return ChunkList(index: self, entry: entry, count: list.count, byteCount: list.byteCount)
    }

    /// Adds `digest` to the set `emission`; true when it was not in it yet.
    func markEmitted(_ digest: ChunkDigest, in emission: Int) throws(BackupError) -> Bool {
        try connection.withLock { (c: inout Connection) throws(BackupError) in try c.markEmitted(digest, emission) }
    }

    /// Forgets the set `emission`.
    func endEmission(_ emission: Int) {
        connection.withLock { c in c.endEmission(emission) }
    }

    /// SQLite's plan (`EXPLAIN QUERY PLAN`) for each statement the index has run so far: every lookup must
    /// seek an index (`SEARCH`), never read a table through (`SCAN`), or a backup's time would grow with the
    /// square of its chunks.
    func queryPlans() throws(BackupError) -> [String: [String]] {
        try connection.withLock { (c: inout Connection) throws(BackupError) in try c.queryPlans() }
    }
}

/// A 32-byte digest as SQLite stores it (a blob, big-endian).
extension ChunkDigest {
    fileprivate func bind(_ statement: OpaquePointer, _ index: Int32) -> Int32 {
        withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, 32, dbm_sqlite_transient()) }
    }

    fileprivate init?(column statement: OpaquePointer, _ index: Int32) {
        guard sqlite3_column_bytes(statement, index) == 32, let blob = sqlite3_column_blob(statement, index) else { return nil }
        self.init(UnsafeRawBufferPointer(start: blob, count: 32))
    }
}

extension ChunkIndex {
    /// The SQLite connection and its prepared statements; used under the index's lock only.
    fileprivate final class Connection {
        let db: OpaquePointer
        private var statements: [String: OpaquePointer] = [:]
        /// One copy of each backup id a `location` names (a few backups hold every chunk).
        private var locations: [String: String] = [:]
        /// References read lately, their bases included: neighbouring chunks share delta bases, and a chunk's
        /// bases share theirs, so each is read from the database once. Rows never change once written.
        private var recent: [ChunkDigest: ChunkReference] = [:]
        static let recentLimit = 1024
        /// The statement run last, whose step count `lastSteps` reads.
        private var last: OpaquePointer?
        /// The virtual machine steps the statement run last took: how many rows it visited.
        var lastSteps: Int { last.map { Int(sqlite3_stmt_status($0, SQLITE_STMTSTATUS_VM_STEP, 0)) } ?? 0 }

        init(maximumPages: Int?) throws(BackupError) {
            var handle: OpaquePointer?
            // An empty file name: a private database on disk, deleted when it is closed. It stays in one
            // transaction that is never committed (nothing outlives the index): a commit after every
            // statement cost page-cache bookkeeping for each chunk.
            let status = sqlite3_open_v2("", &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
            guard status == SQLITE_OK, let handle else {
                sqlite3_close(handle)
                throw BackupError(.storage, "cannot create the chunk index: \(String(cString: sqlite3_errstr(status)))")
            }
            db = handle
            let setup = """
                PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;
                PRAGMA cache_size = -\(ChunkIndex.cacheBytes / 1024);
                \(maximumPages.map { "PRAGMA max_page_count = \($0);" } ?? "")
                CREATE TABLE chunk (digest BLOB PRIMARY KEY, size INTEGER NOT NULL, stored_size INTEGER NOT NULL,
                  stored_digest BLOB, codec TEXT NOT NULL, location TEXT NOT NULL, pack INTEGER, offset INTEGER,
                  bases BLOB, head INTEGER) WITHOUT ROWID;
                CREATE INDEX chunk_head ON chunk (head) WHERE head IS NOT NULL;
                CREATE TABLE entry_chunk (entry INTEGER NOT NULL, position INTEGER NOT NULL, digest BLOB NOT NULL,
                  start INTEGER NOT NULL, PRIMARY KEY (entry, position)) WITHOUT ROWID;
                CREATE INDEX entry_chunk_start ON entry_chunk (entry, start);
                CREATE INDEX entry_chunk_digest ON entry_chunk (entry, digest, position);
                CREATE TABLE emitted (emission INTEGER NOT NULL, digest BLOB NOT NULL, PRIMARY KEY (emission, digest)) WITHOUT ROWID;
                BEGIN;
                """
            let result = sqlite3_exec(db, setup, nil, nil, nil)
            guard result == SQLITE_OK else {
                let message = String(cString: sqlite3_errmsg(db))
                sqlite3_close(db)
                throw BackupError(.storage, "cannot create the chunk index: \(message)")
            }
        }

        deinit {
            for statement in statements.values { sqlite3_finalize(statement) }
            sqlite3_close(db)
        }

        /// The prepared statement for `sql`, reset and with its bindings cleared.
        private func statement(_ sql: String) throws(BackupError) -> OpaquePointer {
            if let statement = statements[sql] {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
                sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_VM_STEP, 1)
                last = statement
                return statement
            }
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure("prepare") }
            statements[sql] = statement
            last = statement
            return statement
        }

        private func failure(_ what: String) -> BackupError {
            let code = sqlite3_errcode(db)
            let detail = String(cString: sqlite3_errmsg(db))
            if code == SQLITE_FULL {
                return BackupError(.storage, "the chunk index (in the temporary directory) cannot \(what): no space left (\(detail)); free space or point TMPDIR elsewhere")
            }
            return BackupError(.storage, "the chunk index cannot \(what): \(detail)")
        }

        /// Steps a statement that returns no row.
        private func run(_ statement: OpaquePointer, _ what: String) throws(BackupError) {
            guard sqlite3_step(statement) == SQLITE_DONE else { throw failure(what) }
        }

        /// Steps a statement: true with a row, false when done.
        private func row(_ statement: OpaquePointer, _ what: String) throws(BackupError) -> Bool {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw failure(what)
            }
        }

        func add(_ chunk: ChunkReference) throws(BackupError) {
            guard try !contains(chunk.digest) else { return }
            for base in chunk.deltaBases { try add(base) }
            try insertChunk(digest: chunk.digest, size: chunk.size, storedSize: chunk.storedSize, storedDigest: chunk.storedDigest,
                            codec: chunk.codec, location: chunk.location, pack: chunk.pack, offset: chunk.offset,
                            bases: chunk.deltaBases.map(\.digest), head: chunk.head)
        }

        func insertChunk(digest: ChunkDigest, size: Int, storedSize: Int, storedDigest: ChunkDigest?, codec: CompressionCodec,
                                  location: String, pack: Int?, offset: Int64?, bases: [ChunkDigest], head: UInt64?) throws(BackupError) {
            let s = try statement("""
                INSERT OR IGNORE INTO chunk (digest, size, stored_size, stored_digest, codec, location, pack, offset, bases, head)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                """)
            if let head { sqlite3_bind_int64(s, 10, Int64(bitPattern: head)) }
            _ = digest.bind(s, 1)
            sqlite3_bind_int64(s, 2, Int64(size))
            sqlite3_bind_int64(s, 3, Int64(storedSize))
            if let storedDigest { _ = storedDigest.bind(s, 4) }
            sqlite3_bind_text(s, 5, codec.rawValue, -1, dbm_sqlite_transient())
            sqlite3_bind_text(s, 6, location, -1, dbm_sqlite_transient())
            if let pack { sqlite3_bind_int64(s, 7, Int64(pack)) }
            if let offset { sqlite3_bind_int64(s, 8, offset) }
            if !bases.isEmpty {
                var blob = [UInt8]()
                blob.reserveCapacity(bases.count * 32)
                for base in bases { base.withUnsafeBytes { blob.append(contentsOf: $0) } }
                blob.withUnsafeBytes { _ = sqlite3_bind_blob(s, 9, $0.baseAddress, Int32($0.count), dbm_sqlite_transient()) }
            }
            try run(s, "record a chunk")
        }

        func contains(_ digest: ChunkDigest) throws(BackupError) -> Bool {
            let s = try statement("SELECT 1 FROM chunk WHERE digest = ?1")
            _ = digest.bind(s, 1)
            return try row(s, "look up a chunk")
        }

        func location(of digest: ChunkDigest) throws(BackupError) -> String? {
            let s = try statement("SELECT location FROM chunk WHERE digest = ?1")
            _ = digest.bind(s, 1)
            guard try row(s, "look up a chunk") else { return nil }
            return intern(String(cString: sqlite3_column_text(s, 0)))
        }

        private func intern(_ location: String) -> String {
            if let known = locations[location] { return known }
            locations[location] = location
            return location
        }

        func reference(_ digest: ChunkDigest) throws(BackupError) -> ChunkReference? {
            if let known = recent[digest] { return known }
            let s = try statement("SELECT size, stored_size, stored_digest, codec, location, pack, offset, bases, head FROM chunk WHERE digest = ?1")
            _ = digest.bind(s, 1)
            guard try row(s, "look up a chunk") else { return nil }
            let size = Int(sqlite3_column_int64(s, 0))
            let storedSize = Int(sqlite3_column_int64(s, 1))
            let storedDigest = ChunkDigest(column: s, 2)
            guard let codec = CompressionCodec(rawValue: String(cString: sqlite3_column_text(s, 3))) else {
                throw BackupError(.corrupt, "the chunk index holds an unknown codec")
            }
            let location = intern(String(cString: sqlite3_column_text(s, 4)))
            let pack = sqlite3_column_type(s, 5) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 5))
            let offset = sqlite3_column_type(s, 6) == SQLITE_NULL ? nil : sqlite3_column_int64(s, 6)
            let head = sqlite3_column_type(s, 8) == SQLITE_NULL ? nil : UInt64(bitPattern: sqlite3_column_int64(s, 8))
            var bases = [ChunkDigest]()
            let count = Int(sqlite3_column_bytes(s, 7)) / 32
            if count > 0, let blob = sqlite3_column_blob(s, 7) {
                for index in 0..<count { bases.append(ChunkDigest(UnsafeRawBufferPointer(start: blob + index * 32, count: 32))) }
            }
            // The statement is reused by the lookups of the bases below: everything is read from it first.
            var baseReferences = [ChunkReference]()
            for base in bases {
                guard let reference = try reference(base) else {
                    throw BackupError(.corrupt, "chunk \(digest.hex.prefix(12)) names a delta base the chain does not hold")
                }
                baseReferences.append(reference)
            }
            let reference = ChunkReference(digest: digest, size: size, storedSize: storedSize, storedDigest: storedDigest, codec: codec,
                                           location: location, deltaBases: baseReferences, pack: pack, offset: offset, head: head)
            if recent.count >= Self.recentLimit { recent.removeAll(keepingCapacity: true) }
            recent[digest] = reference
            return reference
        }

        func size(of digest: ChunkDigest) throws(BackupError) -> Int? {
            let s = try statement("SELECT size FROM chunk WHERE digest = ?1")
            _ = digest.bind(s, 1)
            return try row(s, "look up a chunk") ? Int(sqlite3_column_int64(s, 0)) : nil
        }

        func appendEntryChunk(entry: Int, position: Int, digest: ChunkDigest, start: Int64) throws(BackupError) {
            let s = try statement("INSERT INTO entry_chunk (entry, position, digest, start) VALUES (?1, ?2, ?3, ?4)")
            sqlite3_bind_int64(s, 1, Int64(entry))
            sqlite3_bind_int64(s, 2, Int64(position))
            _ = digest.bind(s, 3)
            sqlite3_bind_int64(s, 4, start)
            try run(s, "record an entry's chunk")
        }

        func entryChunk(entry: Int, position: Int) throws(BackupError) -> (digest: ChunkDigest, start: Int64) {
            let s = try statement("SELECT digest, start FROM entry_chunk WHERE entry = ?1 AND position = ?2")
            sqlite3_bind_int64(s, 1, Int64(entry))
            sqlite3_bind_int64(s, 2, Int64(position))
            guard try row(s, "read an entry's chunk"), let digest = ChunkDigest(column: s, 0) else {
                throw BackupError(.corrupt, "the chunk index has no chunk \(position) of entry \(entry)")
            }
            return (digest, sqlite3_column_int64(s, 1))
        }

        func window(entry: Int, from start: Int64, before end: Int64, limit: Int) throws(BackupError) -> [ChunkList.Slot] {
            // Starts grow with positions, so the chunk covering `start` is found through the (entry, start)
            // index in one seek (`max(position)` would scan the entry's every row: quadratic over a backup),
            // and the window is that index's range between it and `end`. Bounding the positions instead
            // (`position >= ...`, `start < end` as a filter) walked on to the entry's end whenever fewer than
            // `limit` chunks qualified, which is almost always (with the two lookups below, 5% of the CPU samples
            // of a scattered incremental of a 1 GiB PostgreSQL table, and its time grew with the square of its size).
            let s = try statement("""
                SELECT e.digest, e.start, c.size FROM entry_chunk e JOIN chunk c ON c.digest = e.digest
                WHERE e.entry = ?1 AND e.start < ?3 AND e.start >= coalesce(
                  (SELECT start FROM entry_chunk WHERE entry = ?1 AND start <= ?2 ORDER BY start DESC LIMIT 1), 0)
                ORDER BY e.start LIMIT ?4
                """)
            sqlite3_bind_int64(s, 1, Int64(entry))
            sqlite3_bind_int64(s, 2, start)
            sqlite3_bind_int64(s, 3, end)
            sqlite3_bind_int64(s, 4, Int64(limit))
            var window = [ChunkList.Slot]()
            while try row(s, "read an entry's chunks") {
                guard let digest = ChunkDigest(column: s, 0) else { throw BackupError(.corrupt, "the chunk index holds a malformed digest") }
                window.append(ChunkList.Slot(digest: digest, start: sqlite3_column_int64(s, 1), size: Int(sqlite3_column_int64(s, 2))))
            }
            return window
        }

        func start(of digest: ChunkDigest, entry: Int) throws(BackupError) -> Int64? {
            // Without statistics the planner takes `entry = ?` for a few rows and walks the entry by its
            // primary key: once per reused chunk, the square of the entry's chunks over a backup.
            let s = try statement("""
                SELECT start FROM entry_chunk INDEXED BY entry_chunk_digest WHERE entry = ?1 AND digest = ?2
                ORDER BY position LIMIT 1
                """)
            sqlite3_bind_int64(s, 1, Int64(entry))
            _ = digest.bind(s, 2)
            return try row(s, "look up an entry's chunk") ? sqlite3_column_int64(s, 0) : nil
        }

        func start(ofHead head: UInt64, entry: Int) throws(BackupError) -> Int64? {
            // The chunks with this head first (`CROSS JOIN` keeps that order), then each one's place in the
            // entry by digest: left to itself the planner walks the whole entry for every chunk stored.
            let s = try statement("""
                SELECT e.start FROM chunk c CROSS JOIN entry_chunk e INDEXED BY entry_chunk_digest
                  ON e.entry = ?2 AND e.digest = c.digest
                WHERE c.head = ?1 LIMIT 2
                """)
            sqlite3_bind_int64(s, 1, Int64(bitPattern: head))
            sqlite3_bind_int64(s, 2, Int64(entry))
            guard try row(s, "look up a chunk's head") else { return nil }
            let start = sqlite3_column_int64(s, 0)
            return try row(s, "look up a chunk's head") ? nil : start
        }

        func markEmitted(_ digest: ChunkDigest, _ emission: Int) throws(BackupError) -> Bool {
            let s = try statement("INSERT OR IGNORE INTO emitted (emission, digest) VALUES (?1, ?2)")
            sqlite3_bind_int64(s, 1, Int64(emission))
            _ = digest.bind(s, 2)
            try run(s, "record a written chunk")
            return sqlite3_changes(db) == 1
        }

        func queryPlans() throws(BackupError) -> [String: [String]] {
            var plans = [String: [String]]()
            for sql in statements.keys {
                var explain: OpaquePointer?
                guard sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN " + sql, -1, &explain, nil) == SQLITE_OK, let explain else {
                    throw failure("explain a query")
                }
                defer { sqlite3_finalize(explain) }
                var steps = [String]()
                while try row(explain, "explain a query") { steps.append(String(cString: sqlite3_column_text(explain, 3))) }
                plans[sql] = steps
            }
            return plans
        }

        func endEmission(_ emission: Int) {
            guard let s = try? statement("DELETE FROM emitted WHERE emission = ?1") else { return }
            sqlite3_bind_int64(s, 1, Int64(emission))
            _ = sqlite3_step(s)
        }
    }
}
