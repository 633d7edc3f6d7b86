import ArgumentParser

/// `dbm-client`: the terminal face of dbm. It starts `dbm-server` as a child process and talks to it
/// over JSON-RPC on its stdio, exactly as any other client would.
@main
struct DBMClient: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dbm-client",
        abstract: "Manage SQLite, PostgreSQL and MySQL/MariaDB databases through dbm-server.",
        discussion: """
            The database comes from --url or DATABASE_URL. Every command prints a table, or JSON with --json.
            Examples:
              dbm-client db create sqlite:///shop.db
              dbm-client query --url sqlite:///shop.db "SELECT 1 AS one"
              dbm-client migrate up --dir db/migrations --url sqlite:///shop.db
              dbm-client call DatabaseManager.list_databases '{"database_url": "postgresql://postgres@127.0.0.1/postgres"}'
            """,
        version: "0.1.0",
        subcommands: [DatabaseCommand.self, QueryCommand.self, SchemaCommand.self, MigrateCommand.self, BackupCommand.self,
                      MonitorCommand.self, OptimizeCommand.self, ReportCommand.self, CallCommand.self, MethodsCommand.self])
}
