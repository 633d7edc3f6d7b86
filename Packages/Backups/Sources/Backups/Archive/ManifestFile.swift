import Crypto
import Foundation

/// Writes and reads `manifest.json` a line at a time, so that a manifest of tens of thousands of chunks is
/// never one JSON tree or one buffer in memory (encoding a 1 GiB database's incremental manifest whole took
/// about 80 MB of heap, most of the backup's peak).
///
/// The file is one JSON object laid out as:
///
///     {
///       "backup_type" : "full",            <- the fields and `tables`, pretty-printed, keys sorted
///       ...,
///       "chunks" : [
///         {"codec":"gzip","id":"...",...},  <- one chunk record per line, each after its delta bases
///         ...
///       ],
///       "entries" : [
///         {"chunks":["..."],"kind":"pre_data","name":"..."},   <- one entry per line
///         ...
///       ]
///     }
///
/// Any JSON reader reads it whole; `read` falls back to that for a file not laid out this way (formats 1
/// to 4, or a manifest someone re-formatted).
enum ManifestFile {
    static let name = "manifest.json"
    private static let chunksOpen = Array(#"  "chunks" : ["#.utf8)
    private static let entriesOpen = Array(#"  "entries" : ["#.utf8)
    private static let sectionEnd = Array("  ]".utf8)
    private static let sectionEndComma = Array("  ],".utf8)

    /// Writes `manifest` to `url` (mode 0600) and returns the SHA-256 of the bytes written, as hex.
    static func write(_ manifest: Manifest, to url: URL) throws(BackupError) -> String {
        let output = try Output(url)
        do {
            var head = Array(try ArchiveJSON.encoder().encode(Fields(manifest: manifest)))
            // "{ ... \n}" without its closing brace, so the sections follow the last field.
            func trimWhitespace() { while let last = head.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: " ") { head.removeLast() } }
            trimWhitespace()
            guard head.last == UInt8(ascii: "}") else { throw BackupError(.storage, "cannot encode the manifest's fields") }
            head.removeLast()
            trimWhitespace()
            try output.append(head)
            try output.append(Array(",\n".utf8) + chunksOpen)
            let line = ArchiveJSON.lineEncoder()
            var first = true
            try manifest.forEachChunk { chunk in
                try output.startRecord(first: first)
                try output.append(try line.encode(ChunkRecord(chunk)))
                first = false
            }
            try output.append([UInt8(ascii: "\n")] + sectionEndComma + [UInt8(ascii: "\n")] + entriesOpen)
            first = true
            for entry in manifest.entries {
                try output.startRecord(first: first)
                try writeEntry(entry, encoder: line, to: output)
                first = false
            }
            try output.append([UInt8(ascii: "\n")] + sectionEnd + Array("\n}\n".utf8))
            return try output.close()
        } catch {
            output.discard()
            if let error = error as? BackupError { throw error }
            throw BackupError(.storage, "cannot encode the manifest: \(error.localizedDescription)")
        }
    }

    /// One entry's record: its fields encoded as JSON, with its chunk ids written one at a time from its
    /// list (an entry of any size is never one array of ids in memory). Keys are sorted, so `chunks` is first.
    private static func writeEntry(_ entry: Manifest.Entry, encoder: JSONEncoder, to output: Output) throws {
        let fields = Array(try encoder.encode(EntryRecord(fieldsOf: entry)))
        let empty = Array(#"{"chunks":[]"#.utf8)
        guard fields.starts(with: empty) else { throw BackupError(.storage, "cannot encode the manifest's entry \(entry.name)") }
        try output.append(empty.dropLast())
        for position in 0..<entry.chunks.count {
            if position > 0 { try output.append([UInt8(ascii: ",")]) }
            try output.append([UInt8(ascii: "\"")] + Array(try entry.chunks.reference(at: position).id.utf8) + [UInt8(ascii: "\"")])
        }
        try output.append(fields.dropFirst(empty.count - 1))
    }

    /// The SHA-256 of the file's bytes, as hex, read in blocks; nil when it cannot be read.
    static func sha256(of url: URL) -> String? {
        guard let lines = LineReader(url) else { return nil }
        var hasher = SHA256()
        while let block = lines.nextBlock() { block.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        guard !lines.failed else { return nil }
        return Array(hasher.finalize()).hexString
    }

    /// Reads a manifest: a format 5 file laid out by `write` a line at a time, anything else whole.
    /// - Throws: `BackupError(.notFound)` when there is no file, `.corrupt` when it is not a manifest.
    static func read(_ url: URL) throws(BackupError) -> Manifest {
        if let manifest = try readByLines(url) { return manifest }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BackupError(.notFound, "no manifest at \(url.path)")
        }
        do {
            return try ArchiveJSON.decoder().decode(Manifest.self, from: data)
        } catch {
            throw BackupError(.corrupt, "the manifest cannot be read")
        }
    }

    /// The manifest's fields and tables without its chunks and entries (`entries` is empty): the lines
    /// before the chunk table when the file is laid out by `write`, else the whole file decoded.
    static func readHead(_ url: URL) throws(BackupError) -> Manifest {
        guard let lines = LineReader(url) else { throw BackupError(.notFound, "no manifest at \(url.path)") }
        if let manifest = readFields(lines) { return manifest }
        var manifest = try read(url)
        manifest.entries = []
        return manifest
    }

    /// The manifest read record by record into a `ChunkIndex` (its entries' chunk lists are read from the
    /// index as they are used), or nil when the file is not laid out as `write` lays it out.
    static func readByLines(_ url: URL) throws(BackupError) -> Manifest? {
        guard let lines = LineReader(url) else { throw BackupError(.notFound, "no manifest at \(url.path)") }
        guard var manifest = readFields(lines) else { return nil }
        let index = try ChunkIndex()
        var entries = [Manifest.Entry]()
        let decoder = JSONDecoder()
        do {
            while let line = lines.nextLine(), !line.elementsEqual(sectionEndComma) {
                let chunk = try decoder.decode(ChunkRecord.self, from: Data(record(line)))
                try index.add(chunk)
            }
            guard lines.nextLine()?.elementsEqual(entriesOpen) == true else { return nil }
            while true {
                guard let line = lines.nextLine() else { return nil }  // the file ends inside the entries
                if line.elementsEqual(sectionEnd) { break }
                guard let entry = try readEntry(record(line), into: index, decoder: decoder) else { return nil }
                entries.append(entry)
            }
        } catch let error as BackupError {
            throw error
        } catch {
            return nil
        }
        // Only the closing brace (and the final newline) may follow.
        while let line = lines.nextLine() {
            guard line.elementsEqual(Array("}".utf8)) || line.isEmpty else { return nil }
        }
        guard !lines.failed else { return nil }
        manifest.entries = entries
        return manifest
    }

    /// An entry record, its chunk ids added to `index` straight from the line's bytes (an entry of any size is
    /// never an array of ids in memory) and its other fields decoded as JSON; nil when the record does not
    /// open with its `chunks` array of 64-digit ids, as `write` lays it out.
    private static func readEntry(_ line: ArraySlice<UInt8>, into index: ChunkIndex, decoder: JSONDecoder) throws -> Manifest.Entry? {
        let open = Array(#"{"chunks":["#.utf8)
        guard line.starts(with: open) else { return nil }
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), close = UInt8(ascii: "]")
        var list = ChunkIndex.ListBuilder(index: index)
        var position = line.startIndex + open.count
        while position < line.endIndex, line[position] != close {
            let end = position + 65
            guard end < line.endIndex, line[position] == quote, line[end] == quote else { return nil }
            try list.append(String(decoding: line[(position + 1)..<end], as: UTF8.self))
            position = end + 1
            if position < line.endIndex, line[position] == comma { position += 1 }
        }
        guard position < line.endIndex else { return nil }
        // The record without its ids: `{"chunks":[]` and whatever followed the array.
        let fields = try decoder.decode(EntryRecord.self, from: Data(open + line[position...]))
        guard fields.chunks.isEmpty else { return nil }
        return fields.entry(chunks: list.list)
    }

    /// Reads the lines up to and including the chunk table's opening line and decodes the fields before it;
    /// nil when the file is not laid out by `write` (formats 1 to 4 open with nested `entries`).
    private static func readFields(_ lines: LineReader) -> Manifest? {
        var head = [UInt8]()
        while let line = lines.nextLine() {
            if line.elementsEqual(entriesOpen) { return nil }
            if line.elementsEqual(chunksOpen) { return decodeHead(head) }
            head += line
            head.append(UInt8(ascii: "\n"))
        }
        return nil
    }

    /// The manifest's fields from the lines before its chunk table (which end with the comma before
    /// `"chunks"`), or nil when they are not a format 5 head.
    private static func decodeHead(_ lines: [UInt8]) -> Manifest? {
        var head = lines
        while let last = head.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: ",") { head.removeLast() }
        head += Array("\n}".utf8)
        let decoder = ArchiveJSON.decoder()
        decoder.userInfo[.manifestHeadOnly] = true
        guard let manifest = try? decoder.decode(Manifest.self, from: Data(head)), manifest.formatVersion >= 5 else { return nil }
        return manifest
    }

    /// Encodes a manifest's fields and tables only (`Manifest.encodeFields`).
    private struct Fields: Encodable {
        let manifest: Manifest
        func encode(to encoder: any Encoder) throws { try manifest.encodeFields(to: encoder) }
    }

    /// A record line without its indentation and trailing comma.
    private static func record(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var record = line.drop { $0 == UInt8(ascii: " ") }
        if record.last == UInt8(ascii: ",") { record = record.dropLast() }
        return record
    }

    /// A new file written through a 1 MiB buffer, hashed as it goes.
    private final class Output {
        let url: URL
        let descriptor: Int32
        var buffer = [UInt8]()
        var written: Int64 = 0
        var hasher = SHA256()
        /// Whether the descriptor was closed: it must not be closed twice (another file may have its number).
        var closed = false
        static let bufferSize = 1 << 20

        init(_ url: URL) throws(BackupError) {
            self.url = url
            descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw SecureFile.storageError(errno, "cannot create \(url.lastPathComponent)") }
            buffer.reserveCapacity(Self.bufferSize)
        }

        func append(_ bytes: some Collection<UInt8>) throws(BackupError) {
            buffer.append(contentsOf: bytes)
            if buffer.count >= Self.bufferSize { try flush() }
        }

        /// Ends the previous record line with a comma (unless this is the section's first) and indents the next.
        func startRecord(first: Bool) throws(BackupError) {
            try append(Array((first ? "\n    " : ",\n    ").utf8))
        }

        func flush() throws(BackupError) {
            buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            try SecureFile.write(buffer, to: descriptor, at: written, "cannot write \(url.lastPathComponent)")
            written += Int64(buffer.count)
            buffer.removeAll(keepingCapacity: true)
        }

        /// Flushes and closes the file (some file systems report a full disk only here); returns the hash.
        /// On failure the file is left for `discard`.
        func close() throws(BackupError) -> String {
            try flush()
            closed = true
            guard Foundation.close(descriptor) == 0 else {
                throw SecureFile.storageError(errno, "cannot write \(url.lastPathComponent)")
            }
            return Array(hasher.finalize()).hexString
        }

        /// Closes (unless `close` already did, even unsuccessfully) and removes the file after a failure.
        func discard() {
            if !closed { Foundation.close(descriptor) }
            closed = true
            unlink(url.path)
        }
    }

    /// Reads a file in 1 MiB blocks, as lines (without their newline) or as the raw blocks.
    private final class LineReader {
        let descriptor: Int32
        var buffer = [UInt8]()
        var start = 0
        var atEnd = false
        private(set) var failed = false
        static let blockSize = 1 << 20

        init?(_ url: URL) {
            descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
        }

        deinit { Foundation.close(descriptor) }

        /// The next block of the file, or nil at its end (or after a read error, with `failed` set).
        func nextBlock() -> [UInt8]? {
            var block = [UInt8](repeating: 0, count: Self.blockSize)
            while true {
                let count = block.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress!, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count < 0 { failed = true }
                guard count > 0 else { return nil }
                block.removeLast(block.count - count)
                return block
            }
        }

        /// The next line without its newline, or nil at the end of the file.
        func nextLine() -> ArraySlice<UInt8>? {
            while true {
                if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    defer { start = newline + 1 }
                    return buffer[start..<newline]
                }
                if atEnd {
                    guard start < buffer.count else { return nil }
                    defer { start = buffer.count }
                    return buffer[start...]
                }
                buffer.removeFirst(start)
                start = 0
                if let block = nextBlock() { buffer += block } else { atEnd = true }
            }
        }
    }
}
