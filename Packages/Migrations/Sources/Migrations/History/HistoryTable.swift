import DatabaseDriver
import Foundation

/// The toolkit's history table in the target database: one row per applied (or dirty) migration with the
/// spec's Migration fields (revision, description, checksum, applied_at, applied_by, execution_time_ms,
/// success) and what a resumable run needs (statements_applied, failed_statement, error_message).
///
/// The name is configurable (`migrations_table`); it goes through `Dialect.quote`, values are bound.
struct HistoryTable: Sendable {
    static let defaultName = MigrationOptions.defaultMigrationsTable

    let name: String
    let dialect: Dialect

    init(name: String, dialect: Dialect) throws(MigrationError) {
        do { try dialect.validateIdentifier(name, role: "migrations_table") } catch {
            throw MigrationError(.invalidRequest, error.message)
        }
        self.name = name
        self.dialect = dialect
    }

    var quoted: String { dialect.quote(name) }

    nonisolated(nonsending) func exists(on connection: any DatabaseConnection) async throws -> Bool {
        try await TableCatalog.exists(name, on: connection)
    }

    nonisolated(nonsending) func create(on connection: any DatabaseConnection) async throws {
        let text = dialect == .mysql ? "LONGTEXT" : "TEXT"
        _ = try await connection.execute("""
            CREATE TABLE IF NOT EXISTS \(quoted) (
                revision VARCHAR(255) NOT NULL PRIMARY KEY,
                description VARCHAR(1000) NOT NULL,
                kind VARCHAR(20) NOT NULL,
                checksum VARCHAR(64) NOT NULL,
                applied_at VARCHAR(40) NOT NULL,
                applied_by VARCHAR(255) NOT NULL,
                execution_time_ms BIGINT NOT NULL,
                success SMALLINT NOT NULL,
                statements_applied INTEGER NOT NULL,
                failed_statement \(text),
                error_message \(text),
                applied_order BIGINT NOT NULL,
                source VARCHAR(64) NOT NULL,
                direction VARCHAR(8) NOT NULL
            )
            """)
    }

    /// Every row, in the order they were applied. One query.
    nonisolated(nonsending) func read(on connection: any DatabaseConnection) async throws -> [HistoryEntry] {
        let result = try await connection.query("""
            SELECT revision, description, kind, checksum, applied_at, applied_by, execution_time_ms, success,
                   statements_applied, failed_statement, error_message, applied_order, source, direction
            FROM \(quoted) ORDER BY applied_order
            """)
        return result.rows.map { row in
            var entry = HistoryEntry(
                revision: row[0].stringValue ?? "",
                description: row[1].stringValue ?? "",
                kind: MigrationKind(rawValue: row[2].stringValue ?? "") ?? .versioned,
                checksum: row[3].stringValue ?? "",
                appliedAt: Timestamp.date(row[4].stringValue ?? "") ?? Date(timeIntervalSince1970: 0),
                appliedBy: row[5].stringValue ?? "",
                executionTimeMs: row[6].intValue ?? 0,
                success: row[7].boolValue ?? false,
                statementsApplied: row[8].intValue ?? 0,
                failedStatement: row[9].stringValue,
                errorMessage: row[10].stringValue,
                appliedOrder: row[11].intValue ?? 0,
                source: row[12].stringValue ?? "dbm")
            entry.direction = MigrationDirection(rawValue: row[13].stringValue ?? "") ?? .up
            return entry
        }
    }

    /// The next `applied_order`.
    nonisolated(nonsending) func nextOrder(on connection: any DatabaseConnection) async throws -> Int {
        (try await connection.scalar("SELECT MAX(applied_order) FROM \(quoted)")?.intValue ?? 0) + 1
    }

    /// Inserts or replaces the row for `entry.revision`.
    nonisolated(nonsending) func write(_ entry: HistoryEntry, on connection: any DatabaseConnection) async throws {
        let statement = writeStatement(entry)
        _ = try await connection.execute(statement.sql, statement.arguments)
    }

    /// The statement `write` runs: one upsert keyed on `revision` (`ON CONFLICT` on PostgreSQL and SQLite,
    /// `ON DUPLICATE KEY UPDATE` on MySQL/MariaDB), values bound.
    ///
    /// With `timedSinceTransactionStart` (PostgreSQL only), `execution_time_ms` is not bound but computed by
    /// the server as the time since the transaction began (`clock_timestamp() - now()`), so the row can be
    /// sent in the same pipeline as the migration it records.
    func writeStatement(_ entry: HistoryEntry, timedSinceTransactionStart: Bool = false) -> BatchStatement {
        let columns = ["revision", "description", "kind", "checksum", "applied_at", "applied_by", "execution_time_ms",
                       "success", "statements_applied", "failed_statement", "error_message", "applied_order", "source",
                       "direction"]
        let serverTimed = timedSinceTransactionStart && dialect == .postgresql
        let values = columns.map { column in
            column == "execution_time_ms" && serverTimed
                ? "CAST(FLOOR(EXTRACT(EPOCH FROM (clock_timestamp() - now())) * 1000) AS BIGINT)" : "?"
        }
        let updates = columns.dropFirst().map { column in
            dialect == .mysql ? "\(column) = VALUES(\(column))" : "\(column) = excluded.\(column)"
        }
        let conflict = dialect == .mysql ? "ON DUPLICATE KEY UPDATE" : "ON CONFLICT (revision) DO UPDATE SET"
        var arguments: [DatabaseValue] = [
            .text(entry.revision), .text(String(entry.description.prefix(1000))), .text(entry.kind.rawValue),
            .text(entry.checksum), .text(Timestamp.string(entry.appliedAt)), .text(String(entry.appliedBy.prefix(255))),
        ]
        if !serverTimed { arguments.append(.integer(Int64(entry.executionTimeMs))) }
        arguments += [
            .integer(entry.success ? 1 : 0), .integer(Int64(entry.statementsApplied)),
            entry.failedStatement.map { .text($0) } ?? .null, entry.errorMessage.map { .text($0) } ?? .null,
            .integer(Int64(entry.appliedOrder)), .text(entry.source), .text(entry.direction.rawValue),
        ]
        return BatchStatement(
            "INSERT INTO \(quoted) (\(columns.joined(separator: ", "))) VALUES (\(values.joined(separator: ", "))) "
            + conflict + " " + updates.joined(separator: ", "),
            .positional(arguments))
    }

    /// Records that `count` statements of a running migration are done.
    nonisolated(nonsending) func recordProgress(revision: String, statementsApplied count: Int, on connection: any DatabaseConnection) async throws {
        _ = try await connection.execute("UPDATE \(quoted) SET statements_applied = ? WHERE revision = ?",
                                         [.integer(Int64(count)), .text(revision)])
    }

    /// Marks a migration dirty with the statement that failed and why.
    nonisolated(nonsending) func recordFailure(revision: String, direction: MigrationDirection, statementsApplied count: Int, statement: String,
                       error: String, on connection: any DatabaseConnection) async throws {
        _ = try await connection.execute("""
            UPDATE \(quoted) SET success = 0, direction = ?, statements_applied = ?, failed_statement = ?, error_message = ?
            WHERE revision = ?
            """, [.text(direction.rawValue), .integer(Int64(count)), .text(statement), .text(error), .text(revision)])
    }

    /// Marks a migration complete.
    nonisolated(nonsending) func recordSuccess(revision: String, checksum: String, statementsApplied count: Int, executionTimeMs: Int,
                       on connection: any DatabaseConnection) async throws {
        _ = try await connection.execute("""
            UPDATE \(quoted) SET success = 1, direction = 'up', checksum = ?, statements_applied = ?, execution_time_ms = ?,
                failed_statement = NULL, error_message = NULL
            WHERE revision = ?
            """, [.text(checksum), .integer(Int64(count)), .integer(Int64(executionTimeMs)), .text(revision)])
    }

    nonisolated(nonsending) func updateChecksum(revision: String, checksum: String, on connection: any DatabaseConnection) async throws {
        _ = try await connection.execute("UPDATE \(quoted) SET checksum = ? WHERE revision = ?", [.text(checksum), .text(revision)])
    }

    nonisolated(nonsending) func delete(revision: String, on connection: any DatabaseConnection) async throws {
        let statement = deleteStatement(revision: revision)
        _ = try await connection.execute(statement.sql, statement.arguments)
    }

    func deleteStatement(revision: String) -> BatchStatement {
        BatchStatement("DELETE FROM \(quoted) WHERE revision = ?", [.text(revision)])
    }
}

/// Whether a table exists in the connection's current database/schema, from the engine's catalog (a failing
/// probe query would abort a PostgreSQL transaction).
enum TableCatalog {
    static func exists(_ table: String, on connection: any DatabaseConnection) async throws -> Bool {
        let sql = switch connection.dialect {
        case .sqlite: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        case .postgresql: "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?"
        case .mysql: "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?"
        }
        return try await connection.scalar(sql, [.text(table)]) != nil
    }

    /// The table's column names (lower-cased).
    static func columns(_ table: String, on connection: any DatabaseConnection) async throws -> Set<String> {
        let sql = switch connection.dialect {
        case .sqlite: "SELECT name FROM pragma_table_info(?)"
        case .postgresql: "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
        case .mysql: "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?"
        }
        let result = try await connection.query(sql, [.text(table)])
        return Set(result.rows.compactMap { $0[0].stringValue?.lowercased() })
    }
}
