import Foundation
import Synchronization

/// What a backup, restore or validation reports while it runs (the server turns it into `$/progress`).
public struct BackupProgress: Sendable, Codable, Hashable {
    /// `backup`, `restore` or `validate`.
    public var operation: String
    /// `schema`, `data`, `post_data`, `chunks`, `test_restore`, `done`.
    public var phase: String
    /// Tables (or chunks, when validating) finished so far.
    public var completed: Int
    /// Tables (or chunks) in all, when known.
    public var total: Int?
    /// Plaintext bytes processed so far.
    public var bytes: Int64
    /// The table or object being worked on.
    public var current: String?

    enum CodingKeys: String, CodingKey {
        case operation, phase, completed, total, bytes, current
    }
}

/// A progress callback. Called from any thread; keep it cheap.
public typealias ProgressHandler = @Sendable (BackupProgress) -> Void

/// Counts work and forwards it to the caller's handler.
final class ProgressReporter: Sendable {
    private let handler: ProgressHandler?
    private let state: Mutex<BackupProgress>

    init(operation: String, handler: ProgressHandler?) {
        self.handler = handler
        self.state = Mutex(BackupProgress(operation: operation, phase: "schema", completed: 0, total: nil, bytes: 0))
    }

    func phase(_ phase: String, total: Int? = nil) {
        let snapshot = state.withLock { s in
            s.phase = phase
            s.completed = 0
            s.total = total
            s.current = nil
            return s
        }
        handler?(snapshot)
    }

    func tableDone(name: String, rows: Int64, bytes: Int64) {
        let snapshot = state.withLock { s in
            s.completed += 1
            s.bytes = bytes
            s.current = name
            return s
        }
        handler?(snapshot)
    }
}
