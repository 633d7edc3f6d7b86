import Crypto
import DatabaseDriver
import Foundation

/// The session-scoped lock that keeps two runners from migrating one database at once, and the transaction
/// scope each migration runs in.
///
/// - PostgreSQL: `pg_try_advisory_lock(key)` polled until the timeout; the key is derived from the database
///   and history table names. Released by `pg_advisory_unlock`, or by the server when the session ends
///   (with `client_connection_check_interval` set, even while a statement of a dead runner is running).
/// - MySQL/MariaDB: `GET_LOCK(name, timeout)`; released by `RELEASE_LOCK`, or when the session ends.
/// - SQLite: `BEGIN IMMEDIATE` (the database's write lock), retried while busy until the timeout. Each
///   migration then runs in a savepoint; the lock's transaction commits when the lock is released, and
///   SQLite drops the lock if the process dies (the journal rolls the open transaction back).
///
/// No lock row is ever written, so a crashed runner leaves nothing behind.
struct MigrationLock: Sendable {
    let connection: any DatabaseConnection
    let name: String
    /// Seconds to wait for another runner.
    let timeout: Double

    init(connection: any DatabaseConnection, database: String, table: String, timeout: Double) {
        self.connection = connection
        self.name = Self.name(database: database, table: table)
        self.timeout = timeout
    }

    var dialect: Dialect { connection.dialect }

    static func name(database: String, table: String) -> String { "dbm:" + database + ":" + table }

    /// The PostgreSQL advisory lock key: the first 8 bytes of SHA-256 of the lock name.
    static func advisoryKey(for name: String) -> Int64 {
        let digest = Array(SHA256.hash(data: Data(name.utf8)))
        return digest.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }

    /// MySQL lock names are limited to 64 characters.
    static func mysqlName(for name: String) -> String {
        name.utf8.count <= 64 ? name : "dbm:" + Checksums.sha256(Data(name.utf8)).prefix(60)
    }

    var advisoryKey: Int64 { Self.advisoryKey(for: name) }
    var mysqlName: String { Self.mysqlName(for: name) }

    /// Waits for the lock.
    /// - Throws: `MigrationError.lockTimeout` saying who to wait for when another runner holds it past `timeout`.
    func acquire() async throws {
        let deadline = Date().addingTimeInterval(timeout)
        switch dialect {
        case .postgresql:
            // PostgreSQL 14+: if this runner dies mid-statement, the server notices within a second, rolls back
            // and frees the lock, instead of finishing the statement first. Older servers ignore the setting.
            _ = try? await connection.execute("SET client_connection_check_interval = '1s'")
            while true {
                if try await connection.scalar("SELECT pg_try_advisory_lock(?)", [.integer(advisoryKey)])?.boolValue == true { return }
                guard Date() < deadline else { throw timeoutError() }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
        case .mysql:
            let seconds = max(0, Int(timeout.rounded(.up)))
            let got = try await connection.scalar("SELECT GET_LOCK(?, ?)", [.text(mysqlName), .integer(Int64(seconds))])
            guard got?.intValue == 1 else { throw timeoutError() }
        case .sqlite:
            try await beginImmediate(until: deadline)
        }
    }

    /// Releases the lock. On SQLite this commits the work done under it. Errors are reported, not thrown:
    /// the session ending releases the lock anyway.
    nonisolated(nonsending) func release() async {
        switch dialect {
        case .postgresql: _ = try? await connection.scalar("SELECT pg_advisory_unlock(?)", [.integer(advisoryKey)])
        case .mysql: _ = try? await connection.scalar("SELECT RELEASE_LOCK(?)", [.text(mysqlName)])
        case .sqlite: _ = try? await connection.execute("COMMIT")
        }
    }

    /// Runs `body` in the migration's transaction: rolled back when it throws.
    nonisolated(nonsending) func inTransaction<T: Sendable>(
        _ body: nonisolated(nonsending) () async throws -> T
    ) async throws -> T {
        if dialect == .sqlite {
            _ = try await connection.execute("SAVEPOINT dbm_migration")
            do {
                let result = try await body()
                _ = try await connection.execute("RELEASE SAVEPOINT dbm_migration")
                return result
            } catch {
                // In a task of its own: a cancelled task's statements are refused by the driver, and a savepoint
                // left in place would be committed with the lock's transaction.
                let connection = self.connection
                await Task {
                    _ = try? await connection.execute("ROLLBACK TO SAVEPOINT dbm_migration")
                    _ = try? await connection.execute("RELEASE SAVEPOINT dbm_migration")
                }.value
                throw error
            }
        }
        try await connection.begin()
        do {
            let result = try await body()
            try await connection.commit()
            return result
        } catch {
            let connection = self.connection
            await Task {
                if await connection.inTransaction { try? await connection.rollback() }
            }.value
            throw error
        }
    }

    /// Runs `body` outside any transaction (no-transaction migrations). On SQLite the lock's transaction is
    /// committed first and the lock taken again afterwards.
    nonisolated(nonsending) func outsideTransaction<T: Sendable>(
        _ body: nonisolated(nonsending) () async throws -> T
    ) async throws -> T {
        guard dialect == .sqlite else { return try await body() }
        _ = try await connection.execute("COMMIT")
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        try await beginImmediate(until: Date().addingTimeInterval(timeout))
        return try result.get()
    }

    nonisolated(nonsending) private func beginImmediate(until deadline: Date) async throws {
        while true {
            do {
                _ = try await connection.execute("BEGIN IMMEDIATE")
                return
            } catch let error as DatabaseError where error.code == .busy {
                guard Date() < deadline else { throw timeoutError() }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
        }
    }

    private func timeoutError() -> MigrationError {
        let how = switch dialect {
        case .postgresql: "pg_advisory_lock(\(advisoryKey))"
        case .mysql: "GET_LOCK('\(mysqlName)')"
        case .sqlite: "BEGIN IMMEDIATE"
        }
        return MigrationError(.lockTimeout,
            "another migration run holds the lock on this database (\(how)); waited \(timeout) s. "
            + "Wait for it to finish, or raise lock_timeout. The lock is released automatically if that runner dies.")
    }
}
