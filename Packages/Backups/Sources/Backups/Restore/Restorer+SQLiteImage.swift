import Dispatch
import Drivers
import Foundation
import Synchronization

extension Restorer {
    /// Restores a SQLite database image. Into a new (or empty) file: the chunks are decompressed on every
    /// core and written at their offsets into a hidden staging file, which is synced and renamed over the
    /// target. Into a target that cannot be replaced on disk (a URI, a file with a journal beside it, a file
    /// that exists without tables): the image is written to a scratch file and copied in with SQLite's
    /// backup API. A target that holds tables is refused, as for every restore.
    func restoreImage(_ image: Manifest.Entry) async throws -> [Manifest.TableSummary] {
        let manifest = backup.manifest
        guard target.dialect == .sqlite else {
            throw BackupError(.invalidArgument, "backup \(manifest.id) is a SQLite database image; it restores into SQLite only")
        }
        progress.phase("data", total: manifest.tables.count)
        do {
            if let staging = SQLiteStaging(target: target.database) {
                try await staging.build { buildPath in try await writeImage(image, to: buildPath, mode: 0o644) }
            } else {
                let connection = try await Database.connect(target)
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dbm-image-\(UUID().uuidString).sqlite").path
                defer { for suffix in ["", "-journal", "-wal", "-shm"] { unlink(scratch + suffix) } }
                do {
                    try await requireEmpty(connection)
                    try await writeImage(image, to: scratch, mode: 0o600)
                    guard let sqlite = connection as? SQLiteConnection else {
                        throw BackupError(.invalidArgument, "the target is not a SQLite connection")
                    }
                    try await sqlite.replaceDatabase(from: scratch)
                } catch {
                    await connection.close()
                    throw error
                }
                await connection.close()
            }
        } catch {
            throw BackupError.wrap(error, "restore of \(manifest.id) failed")
        }
        for table in manifest.tables { progress.tableDone(name: table.name, rows: table.rowCount, bytes: 0) }
        progress.phase("done")
        return manifest.tables
    }

    /// Writes the image's chunks into a new file at `path`: one worker per core reads, verifies and
    /// decompresses the next chunk and writes it at its offset. `mode`: 0644 (before the umask) for the
    /// database itself, as SQLite creates files; 0600 for a scratch copy in the temporary directory.
    private func writeImage(_ image: Manifest.Entry, to path: String, mode: mode_t) async throws {
        let chunks = image.chunks
        let reader = chunkReader
        let workers = max(1, min(jobs, ProcessInfo.processInfo.activeProcessorCount, chunks.count))
        let cancelled = CancellationFlag()
        try await withTaskCancellationHandler {
            try await offThePool {
                let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
                guard descriptor >= 0 else { throw SecureFile.storageError(errno, "cannot create \(path)") }
                let next = Atomic<Int>(0)
                let failure = Mutex<(any Error)?>(nil)
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    while failure.withLock({ $0 == nil }) {
                        let index = next.add(1, ordering: .relaxed).oldValue
                        guard index < chunks.count else { return }
                        do {
                            if cancelled.isSet { throw BackupError(.cancelled, "restore cancelled") }
                            let bytes = try reader.read(try chunks.reference(at: index))
                            try SecureFile.write(bytes, to: descriptor, at: try chunks.start(at: index), "cannot write the restored database")
                        } catch {
                            failure.withLock { if $0 == nil { $0 = error } }
                        }
                    }
                }
                let closed = Foundation.close(descriptor)
                if let error = failure.withLock({ $0 }) { throw error }
                guard closed == 0 else { throw SecureFile.storageError(errno, "cannot write the restored database") }
            }
        } onCancel: {
            cancelled.set()
        }
    }
}
