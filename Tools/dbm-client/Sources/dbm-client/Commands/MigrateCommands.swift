import ArgumentParser
import Foundation
import JSONRPC

/// `dbm-client migrate ...`: versioned migrations (the toolkit's format, golang-migrate, Flyway, dbmate).
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply, roll back, inspect, create and repair migrations.",
        discussion: """
            The directory's format is detected (dbm, golang-migrate, flyway, dbmate, file-order). The history lives in the
            database, in dbm_migration_history (--table to change it).
            Examples:
              dbm-client migrate create "create users" --dir db/migrations --up-sql "CREATE TABLE users (id INTEGER PRIMARY KEY)" --down-sql "DROP TABLE users"
              dbm-client migrate up --dir db/migrations --url sqlite:///app.db
              dbm-client migrate status --dir db/migrations --url sqlite:///app.db
              dbm-client migrate down --steps 1 --dir db/migrations --url sqlite:///app.db
            """,
        subcommands: [Up.self, Down.self, Status.self, Create.self, Validate.self, History.self, Repair.self, Baseline.self])

    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending migrations, up to --target when given (MigrationManager.upgrade).",
            discussion: "Example: dbm-client migrate up --dir db/migrations --url postgresql://app@localhost/shop --target 0003 --dry-run")
        @Option(help: "The revision to stop at (default: all pending).") var target: String?
        @Flag(help: "Print the SQL that would run; change nothing.") var dryRun = false
        @Flag(help: "Apply pending migrations older than the newest applied one.") var outOfOrder = false
        @OptionGroup var migrations: MigrationDirectoryOptions
        @OptionGroup var options: ClientOptions
        func run() throws {
            var params = try migrations.params(options, requireDatabase: true)
            if let target { params["target_revision"] = .string(target) }
            params["dry_run"] = .bool(dryRun)
            if outOfOrder { params["out_of_order"] = true }
            let result = try options.withServer { try $0.request("MigrationManager.upgrade", params: .object(params)) }
            MigrateCommand.printRun(result, options: options)
        }
    }

    struct Down: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Roll back to --target (kept applied; base for none), or the last --steps (MigrationManager.downgrade).",
            discussion: "Example: dbm-client migrate down --dir db/migrations --url sqlite:///app.db --steps 1")
        @Option(help: "The revision to keep applied; base rolls back everything.") var target: String?
        @Option(help: "How many migrations to roll back when no --target is given (default 1).") var steps: Int?
        @Flag(help: "Print the SQL that would run; change nothing.") var dryRun = false
        @OptionGroup var migrations: MigrationDirectoryOptions
        @OptionGroup var options: ClientOptions
        func validate() throws {
            if target != nil && steps != nil { throw ValidationError("Pass --target or --steps, not both.") }
            if let steps, steps < 1 { throw ValidationError("--steps must be at least 1.") }
        }
        func run() throws {
            var params = try migrations.params(options, requireDatabase: true)
            if let target { params["target_revision"] = .string(target) }
            if let steps { params["steps"] = .integer(Int64(steps)) }
            params["dry_run"] = .bool(dryRun)
            let result = try options.withServer { try $0.request("MigrationManager.downgrade", params: .object(params)) }
            MigrateCommand.printRun(result, options: options)
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the current revision, what is pending, drifted, missing or dirty (MigrationManager.status).",
            discussion: "Example: dbm-client migrate status --dir db/migrations --url sqlite:///app.db")
        @OptionGroup var migrations: MigrationDirectoryOptions
        @OptionGroup var options: ClientOptions
        func run() throws {
            let params = try migrations.params(options, requireDatabase: true)
            let result = try options.withServer { try $0.request("MigrationManager.status", params: .object(params)) }
            if options.json { print(JSONPrinter.pretty(result)); return }
            func list(_ key: String) -> String {
                let items = (result[key]?.arrayValue ?? []).map { $0.stringValue ?? TableFormatter.cell($0) }
                return items.isEmpty ? "none" : items.joined(separator: ", ")
            }
            print("format            \(result["format"]?.stringValue ?? "?")")
            print("current revision  \(result["current_revision"]?.stringValue ?? "none")")
            print("applied           \(result["applied"]?.integerValue ?? 0)")
            print("pending           \(list("pending"))")
            print("out of order      \(list("out_of_order"))")
            print("drifted           \(list("drifted"))")
            print("missing files     \(list("missing_files"))")
            if let dirty = result["dirty"], dirty != .null {
                print("dirty             \(dirty["revision"]?.stringValue ?? "?"): \(dirty["error_message"]?.stringValue ?? "")")
                print("                  run `dbm-client migrate repair --action resume` after a fix, or mark_applied / mark_rolled_back")
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the next migration in the directory's format (MigrationManager.create_migration).",
            discussion: """
                Without SQL the files hold a comment to fill in. With --target-schema the SQL is the schema diff from
                --current-schema, or from the live database (--url).
                Examples:
                  dbm-client migrate create "add tags" --dir db/migrations --up-sql "CREATE TABLE tags (id INTEGER)" --down-sql "DROP TABLE tags"
                  dbm-client migrate create "to v2" --dir db/migrations --target-schema schema-v2.json --url sqlite:///app.db
                """)
        @Argument(help: "What the migration does; it becomes the file name.") var description: String
        @Option(help: "The upgrade SQL.") var upSQL: String?
        @Option(help: "The downgrade SQL.") var downSQL: String?
        @Option(help: "A revision it depends on (repeatable).") var dependsOn: [String] = []
        @Option(help: "Its revision (default: the next one).") var revision: String?
        @Option(help: "A schema file (JSON, YAML or SQL) or URL to generate the SQL towards.") var targetSchema: String?
        @Option(help: "With --target-schema: the schema to diff from (default: the --url database).") var currentSchema: String?
        @Option(help: "With --target-schema: the SQL dialect (default: the database's).") var dialect: String?
        @OptionGroup var migrations: MigrationDirectoryOptions
        @OptionGroup var options: ClientOptions
        func validate() throws {
            if targetSchema != nil && (upSQL != nil || downSQL != nil) { throw ValidationError("Pass --target-schema or --up-sql/--down-sql, not both.") }
            if targetSchema == nil && (currentSchema != nil || dialect != nil) { throw ValidationError("--current-schema and --dialect need --target-schema.") }
        }
        func run() throws {
            var params = try migrations.params(options, requireDatabase: false)
            params["description"] = .string(description)
            if let upSQL { params["upgrade_sql"] = .string(upSQL) }
            if let downSQL { params["downgrade_sql"] = .string(downSQL) }
            if !dependsOn.isEmpty { params["dependencies"] = .array(dependsOn.map { .string($0) }) }
            if let revision { params["revision"] = .string(revision) }
            if let dialect { params["dialect"] = .string(dialect) }
            let result = try options.withServer { server -> JSONValue in
                if let targetSchema {
                    params["target_schema"] = try SchemaCommand.load(targetSchema, dialect: dialect, options: options, on: server)
                }
                if let currentSchema {
                    params["current_schema"] = try SchemaCommand.load(currentSchema, dialect: dialect, options: options, on: server)
                }
                return try server.request("MigrationManager.create_migration", params: .object(params))
            }
            if options.json { print(JSONPrinter.pretty(result)); return }
            print("created \(result["revision"]?.stringValue ?? "?"): \(result["description"]?.stringValue ?? "")")
            for file in result["files"]?.arrayValue ?? [] { print("  \(migrations.directory)/\(file.stringValue ?? "")") }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check files and history (drift, missing files, dirty state, cycles); exits 1 on problems.",
            discussion: "Example: dbm-client migrate validate --dir db/migrations --url sqlite:///app.db")
        @OptionGroup var migrations: MigrationDirectoryOptions
        @OptionGroup var options: ClientOptions
        func run() throws {
            let params = try migrations.params(options, requireDatabase: true)
            let result = try options.withServer { try $0.request("MigrationManager.validate_migrations", params: .object(params)) }
            let problems = result.arrayValue ?? []
            if options.json { print(JSONPrinter.pretty(result)) } else if problems.isEmpty { print("valid") } else {
                for problem in problems { print(problem.stringValue ?? "") }
            }
            if !problems.isEmpty { throw ExitCode.failure }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List applied migrations with checksum, time, user and duration (MigrationManager.get_migration_history).",
            discussion: "Example: dbm-client migrate history --dir db/migrations --url mysql://app@localhost/shop --json")
        @OptionGroup var migrations: MigrationDirectoryOptions
        @OptionGroup var options: ClientOptions
        func run() throws {
            let params = try migrations.params(options, requireDatabase: true)
            let result = try options.withServer { try $0.request("MigrationManager.get_migration_history", params: .object(params)) }
            if options.json { print(JSONPrinter.pretty(result)); return }
            let columns = ["revision", "description", "applied_at", "applied_by", "execution_time_ms", "success", "dirty", "source"]
            let rows = (result.arrayValue ?? []).map { row -> JSONValue in
                var picked = JSONObject()
                for column in columns { picked[column] = row[column] ?? .null }
                return .object(picked)
            }
            print(rows.isEmpty ? "no migrations applied" : TableFormatter.table(rows))
        }
    }

    struct Repair: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve a dirty migration or accept edited files (MigrationManager.repair).",
            discussion: """
                resume runs a failed migration on from its failed statement (after you fixed the cause); mark_applied and
                mark_rolled_back record what you did by hand; accept_checksums records edited files as the applied ones.
                Example: dbm-client migrate repair --action resume --dir db/migrations --url mysql://app@localhost/shop
                """)
        @Option(help: "resume, mark_applied, mark_rolled_back or accept_checksums.") var action: String
        @Option(help: "The migration (default: the dirty one).") var revision: String?
        @OptionGroup var migrations: MigrationDirectoryOptions
        @OptionGroup var options: ClientOptions
        func validate() throws {
            guard ["resume", "mark_applied", "mark_rolled_back", "accept_checksums"].contains(action) else {
                throw ValidationError("--action must be resume, mark_applied, mark_rolled_back or accept_checksums.")
            }
        }
        func run() throws {
            var params = try migrations.params(options, requireDatabase: true)
            params["action"] = .string(action)
            if let revision { params["revision"] = .string(revision) }
            let result = try options.withServer { try $0.request("MigrationManager.repair", params: .object(params)) }
            if options.json { print(JSONPrinter.pretty(result)) } else { print(result["message"]?.stringValue ?? TableFormatter.cell(result)) }
        }
    }

    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an existing database as being at a revision without running anything (MigrationManager.baseline).",
            discussion: "Example: dbm-client migrate baseline --revision 0002 --dir db/migrations --url postgresql://app@localhost/shop")
        @Option(help: "The revision the database is already at.") var revision: String
        @OptionGroup var migrations: MigrationDirectoryOptions
        @OptionGroup var options: ClientOptions
        func run() throws {
            var params = try migrations.params(options, requireDatabase: true)
            params["revision"] = .string(revision)
            let result = try options.withServer { try $0.request("MigrationManager.baseline", params: .object(params)) }
            options.print(result)
        }
    }

    /// Prints an upgrade or downgrade result: one line per migration (with its SQL on a dry run), then the revision.
    static func printRun(_ result: JSONValue, options: ClientOptions) {
        if options.json { print(JSONPrinter.pretty(result)); return }
        let dryRun = result["dry_run"] == .bool(true)
        let changes = result["changes_applied"]?.arrayValue ?? []
        if changes.isEmpty { print("nothing to do") }
        for change in changes {
            let revision = change["revision"]?.stringValue ?? "?"
            let description = change["description"]?.stringValue ?? ""
            let down = change["direction"]?.stringValue == "down" || change["direction"]?.stringValue == "rollback"
            if dryRun {
                print("-- would \(down ? "roll back" : "apply") \(revision) \(description)")
                print(change["sql"]?.stringValue ?? "")
            } else {
                print("\(down ? "rolled back" : "applied") \(revision) \(description) (\(change["execution_time_ms"]?.integerValue ?? 0) ms)")
            }
        }
        let pending = result["migrations_pending"]?.integerValue ?? 0
        print("current revision: \(result["current_version"]?.stringValue ?? "none"), pending: \(pending)\(dryRun ? " (dry run: nothing changed)" : "")")
    }
}

/// Options every `migrate` subcommand shares: the directory and how the history is kept.
struct MigrationDirectoryOptions: ParsableArguments {
    @Option(help: "The migrations directory.") var dir = "migrations"
    @Option(help: "The toolkit's history table (default dbm_migration_history).") var table: String?
    @Option(help: "dbm, golang-migrate, flyway, dbmate or file-order (default: detected from the file names).") var format: String?
    @Option(help: "Seconds to wait for another runner's migration lock (default 60).") var lockTimeout: Double?

    var directory: String { SchemaCommand.absolute(dir) }

    /// `migration_dir`, the options given, and `database_url` from --url / DATABASE_URL.
    func params(_ options: ClientOptions, requireDatabase: Bool) throws -> JSONObject {
        var params = requireDatabase ? try options.requiredTarget() : options.target()
        params["migration_dir"] = .string(directory)
        if let table { params["migrations_table"] = .string(table) }
        if let format { params["format"] = .string(format) }
        if let lockTimeout { params["lock_timeout"] = .double(lockTimeout) }
        return params
    }
}
