import DatabaseDriver
import Foundation

/// Creates a schema's objects in a database: in one transaction on PostgreSQL and SQLite; on MySQL,
/// where DDL commits by itself, statement by statement, dropping what was created when one fails.
public struct SchemaApplier: Sendable {
    public init() {}

    /// What `apply_to_database` reports.
    public struct Result: Sendable, Hashable, Codable {
        public var success: Bool
        public var dialect: Dialect
        public var statementsExecuted: Int
        /// True when all statements ran in one transaction (PostgreSQL, SQLite).
        public var transactional: Bool
        public var ddlStatements: [String]
        /// Validation warnings (errors stop the apply before anything runs).
        public var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case success, dialect, warnings
            case statementsExecuted = "statements_executed"
            case transactional
            case ddlStatements = "ddl_statements"
        }
    }

    /// Validates `schema` for the connection's dialect and creates it. Throws `SchemaError` with code
    /// `validationFailed` before running anything when validation finds errors, and `databaseFailure`
    /// naming the statement when the database refuses one.
    public func apply(_ schema: SchemaDefinition, to connection: any DatabaseConnection) async throws -> Result {
        let dialect = connection.dialect
        let issues = SchemaValidator(dialect: dialect).issues(schema)
        let errors = issues.filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw SchemaError(.validationFailed, "the schema is not valid for \(dialect.rawValue): " + errors.map(\.description).joined(separator: "; "))
        }
        let statements = DDLGenerator(dialect: dialect, schema: schema).statements()
        try await run(statements, on: connection)
        return Result(success: true, dialect: dialect, statementsExecuted: statements.count, transactional: dialect != .mysql,
                      ddlStatements: statements, warnings: issues.map(\.description))
    }

    /// Runs DDL statements: in a transaction where the engine has transactional DDL; on MySQL one by one,
    /// with `compensation` undoing what ran when a statement fails.
    func run(_ statements: [String], on connection: any DatabaseConnection) async throws {
        if connection.dialect == .mysql {
            var done: [String] = []
            for sql in statements {
                do {
                    _ = try await connection.execute(sql)
                    done.append(sql)
                } catch {
                    await Self.undoMySQL(done, on: connection)
                    throw SchemaError(.databaseFailure, "statement \(done.count + 1) of \(statements.count) failed; the \(done.count) before it were undone",
                                      location: String(sql.prefix(120)), underlying: String(describing: error))
                }
            }
            return
        }
        var index = 0
        do {
            try await connection.begin()
            for sql in statements {
                try Task.checkCancellation()
                _ = try await connection.execute(sql)
                index += 1
            }
            try await connection.commit()
        } catch {
            if await connection.inTransaction { try? await connection.rollback() }
            if error is CancellationError { throw error }
            let sql = index < statements.count ? statements[index] : "COMMIT"
            throw SchemaError(.databaseFailure, "statement \(index + 1) of \(statements.count) failed; the transaction was rolled back",
                              location: String(sql.prefix(120)), underlying: String(describing: error))
        }
    }

    /// Drops the tables and views created by `statements`, last first, with foreign key checks off.
    static func undoMySQL(_ statements: [String], on connection: any DatabaseConnection) async {
        _ = try? await connection.execute("SET FOREIGN_KEY_CHECKS = 0")
        for sql in statements.reversed() {
            for (prefix, kind) in [("CREATE TABLE ", "TABLE"), ("CREATE VIEW ", "VIEW")] where sql.hasPrefix(prefix) {
                let rest = sql.dropFirst(prefix.count)
                if let end = rest.dropFirst().firstIndex(of: "`") {
                    let name = rest[rest.startIndex...end]
                    _ = try? await connection.execute("DROP \(kind) IF EXISTS \(name)")
                }
            }
        }
        _ = try? await connection.execute("SET FOREIGN_KEY_CHECKS = 1")
    }

    /// Applies a migration's statements: in a transaction where the engine allows, with SQLite's
    /// `PRAGMA foreign_keys` switched outside it when the migration rebuilds tables.
    public func applyMigration(_ sql: String, to connection: any DatabaseConnection) async throws {
        var statements = MigrationScript.split(sql)
        let pragmaOff = "PRAGMA foreign_keys = OFF", pragmaOn = "PRAGMA foreign_keys = ON"
        let toggles = connection.dialect == .sqlite && statements.contains(pragmaOff)
        statements.removeAll { $0 == pragmaOff || $0 == pragmaOn }
        if toggles { _ = try await connection.execute(pragmaOff) }
        do {
            try await run(statements, on: connection)
        } catch {
            if toggles { _ = try? await connection.execute(pragmaOn) }
            throw error
        }
        if toggles { _ = try await connection.execute(pragmaOn) }
    }
}

/// Splits the scripts dbm writes (one statement per `;` at the end of a line) back into statements.
enum MigrationScript {
    static func split(_ script: String) -> [String] {
        script.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
    }
}

extension SchemaDefinition {
    /// The spec's `apply_to_database(connection)`: creates the schema's objects (see `SchemaApplier`).
    public func applyToDatabase(_ connection: any DatabaseConnection) async throws -> SchemaApplier.Result {
        try await SchemaApplier().apply(self, to: connection)
    }
}
