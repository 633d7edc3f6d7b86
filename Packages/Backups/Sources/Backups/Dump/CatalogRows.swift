/// Small helpers for reading catalog query results as text.
extension DatabaseValue {
    /// The value as text (`nil` for NULL): booleans as `true`/`false`, blobs as UTF-8.
    var catalogText: String? {
        switch self {
        case .null: nil
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        default: textRepresentation
        }
    }
}

extension DatabaseConnection {
    /// Runs a catalog query and returns every row as text cells.
    func textRows(_ sql: String) async throws -> [[String?]] {
        try await query(sql).rows.map { $0.values.map(\.catalogText) }
    }

    /// The first column of every row, NULLs skipped.
    func textColumn(_ sql: String) async throws -> [String] {
        try await textRows(sql).compactMap { $0.first ?? nil }
    }
}

/// The engine-specific part of a backup: reads one consistent snapshot of the database into a `DumpSink`.
protocol EngineDumper: Sendable {
    /// Dumps everything; `leader` is an open connection to the database. Returns nothing: the entries are
    /// in the sink.
    func dump(leader: any DatabaseConnection, sink: DumpSink) async throws
}

import DatabaseDriver
