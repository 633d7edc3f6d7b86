import ArgumentParser
import JSONRPC

/// `dbm-client db ...`: connection and administration.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Connect to, inspect and administer databases.",
        subcommands: [Test.self, Info.self, List.self, Create.self, Drop.self, Health.self])

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check that a database answers.",
            discussion: "Example: dbm-client db test --url postgresql://app@db.internal/app")
        @OptionGroup var options: ClientOptions
        func run() throws {
            let ok = try options.withServer { try $0.request("DatabaseConnection.test_connection", params: .object(try options.requiredTarget())) }
            options.print(ok)
            if ok != .bool(true) { throw ExitCode.failure }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show server version, size, encoding and object counts.",
            discussion: "Example: dbm-client db info --url sqlite:///app.db")
        @OptionGroup var options: ClientOptions
        func run() throws {
            options.print(try options.withServer { try $0.request("DatabaseManager.get_database_info", params: .object(try options.requiredTarget())) })
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the databases on the server (SQLite: database files beside the file).",
            discussion: "Example: dbm-client db list --url postgresql://postgres@127.0.0.1/postgres")
        @OptionGroup var options: ClientOptions
        func run() throws {
            let names = try options.withServer { try $0.request("DatabaseManager.list_databases", params: .object(try options.requiredTarget())) }
            if options.json { options.print(names); return }
            for name in names.arrayValue ?? [] { print(name.stringValue ?? "") }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a database (SQLite: a new file).",
            discussion: """
                Examples:
                  dbm-client db create sqlite:///shop.db
                  dbm-client db create shop --url postgresql://postgres@127.0.0.1/postgres --encoding UTF8
                """)
        @Argument(help: "Database name on the --url server, or a full URL.") var name: String
        @Option(help: "Character set (PostgreSQL ENCODING, MySQL CHARACTER SET).") var encoding: String?
        @Option(help: "Collation (PostgreSQL LOCALE, MySQL COLLATE).") var collation: String?
        @Flag(help: "Succeed when it already exists.") var ifNotExists = false
        @OptionGroup var options: ClientOptions
        func run() throws {
            var params = options.target()
            params["name"] = .string(name)
            var config = JSONObject()
            if let encoding { config["encoding"] = .string(encoding) }
            if let collation { config["collation"] = .string(collation) }
            if ifNotExists { config["if_not_exists"] = .bool(true) }
            params["config"] = .object(config)
            options.print(try options.withServer { try $0.request("DatabaseManager.create_database", params: .object(params)) })
        }
    }

    struct Drop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop a database (SQLite: delete the file).",
            discussion: "Example: dbm-client db drop shop --url postgresql://postgres@127.0.0.1/postgres --if-exists")
        @Argument(help: "Database name on the --url server, or a full URL.") var name: String
        @Flag(help: "Succeed when it does not exist.") var ifExists = false
        @OptionGroup var options: ClientOptions
        func run() throws {
            var params = options.target()
            params["name"] = .string(name)
            params["if_exists"] = .bool(ifExists)
            options.print(try options.withServer { try $0.request("DatabaseManager.drop_database", params: .object(params)) })
        }
    }

    struct Health: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a health check: one metrics sample's health status and alerts, latency, version, size, recommendations.",
            discussion: "Example: dbm-client db health --url postgresql://app@localhost/shop --threshold cache_hit_ratio=0.95")
        @Option(help: "An alert threshold metric=limit (repeatable), as for `dbm-client monitor`, e.g. used_size_mb=500.") var threshold: [String] = []
        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var options: ClientOptions
        func run() throws {
            var params = try options.requiredTarget()
            params["operation"] = "health_check"
            try MonitorCommand.addThresholds(threshold, to: &params)
            workspace.add(to: &params)
            let result = try options.withServer { try $0.request("manage_databases", params: .object(params)) }
            options.print(result)
            if result["success"] != .bool(true) { throw ExitCode.failure }
        }
    }
}
