import ArgumentParser
import JSONRPC

/// `dbm-client backup ...`: backups through the server's `backup_database`, `BackupManager.*` and `Backup.*`.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Create, list, inspect, verify, restore and delete backups.",
        discussion: """
            Backups live in --destination (default: $DBM_BACKUP_DIR or ~/.local/share/dbm/backups). A backup is named
            by its directory or its id. Encrypted backups read their key from $DBM_BACKUP_KEY (or --key-env / --key-file).
            """,
        subcommands: [Create.self, List.self, Info.self, Verify.self, Restore.self, Delete.self,
                      Schedule.self, Prune.self, RunDue.self])

    /// Where the backups are: `config_path` of `BackupManager(config_path)`.
    struct Location: ParsableArguments {
        @Option(help: "The backup directory (or a JSON backup_config file). Default: $DBM_BACKUP_DIR or ~/.local/share/dbm/backups.")
        var destination: String?

        func apply(to params: inout JSONObject) {
            if let destination { params["config_path"] = .string(destination) }
        }
    }

    /// Where an encrypted backup's key is.
    struct KeyOptions: ParsableArguments {
        @Option(help: "Environment variable holding the key (default DBM_BACKUP_KEY).") var keyEnv: String?
        @Option(help: "File holding the key.") var keyFile: String?

        func apply(to params: inout JSONObject) {
            if let keyEnv { params["encryption_key_env"] = .string(keyEnv) }
            if let keyFile { params["encryption_key_file"] = .string(keyFile) }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Back up a whole database.",
            discussion: """
                Examples:
                  dbm-client backup create --url sqlite:///shop.db --destination ./backups
                  dbm-client backup create --url postgresql://app@db/shop --type incremental --compression zstd --encrypt
                """)
        @Option(help: "full, incremental or differential.") var type = "full"
        @Option(help: "gzip, bz2, zstd or none.") var compression = "gzip"
        @Option(help: "Compression level.") var level: Int?
        @Flag(help: "Encrypt with AES-256-GCM (key from --key-env / --key-file / $DBM_BACKUP_KEY).") var encrypt = false
        @Option(help: "Days to keep the backup (recorded for pruning).") var retentionDays: Int?
        @Option(help: "native (default) or sql (a plain SQL file the engine's own client loads).") var format = "native"
        @Option(help: "A label for the backup (default: the database's name).") var name: String?
        @OptionGroup var location: Location
        @OptionGroup var key: KeyOptions
        @OptionGroup var options: ClientOptions

        func run() throws {
            var params = try options.requiredTarget()
            var config: JSONObject = ["type": .string(type), "compression": .string(compression), "format": .string(format)]
            if let destination = location.destination { config["destination"] = .string(destination) }
            if let level { config["compression_level"] = .integer(Int64(level)) }
            if encrypt { config["encryption"] = "aes-256-gcm" }
            if let keyEnv = key.keyEnv { config["encryption_key_env"] = .string(keyEnv) }
            if let keyFile = key.keyFile { config["encryption_key_file"] = .string(keyFile) }
            if let retentionDays { config["retention_days"] = .integer(Int64(retentionDays)) }
            params["backup_config"] = .object(config)
            if let name { params["database_name"] = .string(name) }
            let record = try options.withServer { try $0.request("backup_database", params: .object(params)) }
            options.print(options.json ? record : BackupCommand.summary(record))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the completed backups, oldest first.",
            discussion: "Example: dbm-client backup list --destination ./backups --database shop")
        @Option(help: "Only the backups of this database.") var database: String?
        @OptionGroup var location: Location
        @OptionGroup var options: ClientOptions

        func run() throws {
            var params = JSONObject()
            location.apply(to: &params)
            if let database { params["database_name"] = .string(database) }
            let list = try options.withServer { try $0.request("BackupManager.list_backups", params: .object(params)) }
            options.print(options.json ? list : .array((list.arrayValue ?? []).map(BackupCommand.summary)))
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a backup's record, tables and chain.",
            discussion: "Example: dbm-client backup info shop-20261121T060000Z-full-1a2b3c --destination ./backups")
        @Argument(help: "The backup's directory or id.") var backup: String
        @OptionGroup var location: Location
        @OptionGroup var options: ClientOptions

        func run() throws {
            var params: JSONObject = ["backup_path": .string(backup)]
            location.apply(to: &params)
            let info = try options.withServer { try $0.request("Backup.get_info", params: .object(params)) }
            if options.json { options.print(info); return }
            options.print(BackupCommand.summary(info["backup"] ?? .null))
            print("")
            options.print(.array((info["tables"]?.arrayValue ?? []).map { table in
                .object(["table": table["schema"]?.stringValue.map { .string("\($0).\(table["name"]?.stringValue ?? "")") } ?? table["name"] ?? .null,
                         "rows": table["row_count"] ?? .null])
            }))
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every chunk and the manifest; optionally restore into a scratch database.",
            discussion: """
                Exits with status 1 when the backup is not valid. Examples:
                  dbm-client backup verify shop-20261121T060000Z-full-1a2b3c --destination ./backups
                  dbm-client backup verify /backups/shop-...dbmb --test-restore --url postgresql://postgres@db/postgres
                """)
        @Argument(help: "The backup's directory or id.") var backup: String
        @Flag(help: "Also restore into a scratch database (on the --url server) and compare every table.") var testRestore = false
        @OptionGroup var location: Location
        @OptionGroup var key: KeyOptions
        @OptionGroup var options: ClientOptions

        func run() throws {
            var params = options.target()
            params["backup_path"] = .string(backup)
            if testRestore { params["test_restore"] = true }
            location.apply(to: &params)
            key.apply(to: &params)
            let report = try options.withServer { try $0.request("BackupManager.validate_backup", params: .object(params)) }
            options.print(report)
            if report["valid"] != .bool(true) { throw ExitCode.failure }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Restore a backup into an empty (or new) database.",
            discussion: """
                Examples:
                  dbm-client backup restore shop-20261121T060000Z-full-1a2b3c --target sqlite:///restored.db --destination ./backups
                  dbm-client backup restore /backups/shop-...dbmb --target shop_copy --url postgresql://postgres@db/postgres
                """)
        @Argument(help: "The backup's directory or id.") var backup: String
        @Option(help: "The database to restore into: a URL, or a name on the --url server.") var target: String
        @Option(help: "Tables restored at once.") var jobs: Int?
        @OptionGroup var location: Location
        @OptionGroup var key: KeyOptions
        @OptionGroup var options: ClientOptions

        func run() throws {
            var params = options.target()
            params["backup_path"] = .string(backup)
            params["target_database"] = .string(target)
            if let jobs { params["parallel_jobs"] = .integer(Int64(jobs)) }
            location.apply(to: &params)
            key.apply(to: &params)
            options.print(try options.withServer { try $0.request("BackupManager.restore_backup", params: .object(params)) })
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a backup; refused when a later backup needs it, unless --force.",
            discussion: "Example: dbm-client backup delete shop-20261121T060000Z-full-1a2b3c --destination ./backups")
        @Argument(help: "The backup's directory or id.") var backup: String
        @Flag(help: "Delete even when later backups need its chunks (they become unrestorable).") var force = false
        @OptionGroup var location: Location
        @OptionGroup var options: ClientOptions

        func run() throws {
            var params: JSONObject = ["backup_path": .string(backup)]
            if force { params["force"] = true }
            location.apply(to: &params)
            options.print(try options.withServer { try $0.request("BackupManager.delete_backup", params: .object(params)) })
        }
    }

    struct Schedule: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Schedule backups of a database (cron, UTC), list schedules, or remove one.",
            discussion: """
                Schedules are kept in the backup directory; dbm-server runs them while it runs, and
                `dbm-client backup run-due` lets system cron drive them. Examples:
                  dbm-client backup schedule "30 2 * * *" --url postgresql://app@db/shop --name shop --type incremental --keep-last 14 --password-env SHOP_DB_PASSWORD
                  dbm-client backup schedule @daily --url sqlite:///shop.db --destination ./backups
                  dbm-client backup schedule --list --destination ./backups
                  dbm-client backup schedule --remove sched-1a2b3c4d5e6f --destination ./backups
                """)
        @Argument(help: "Five cron fields (minute hour day month weekday) or @hourly, @daily, @weekly, @monthly, @yearly.") var expression: String?
        @Flag(help: "List the schedules instead.") var list = false
        @Option(help: "Remove the schedule with this id instead.") var remove: String?
        @Option(help: "The database's label in backups (default: its name).") var name: String?
        @Option(help: "full, incremental or differential.") var type = "full"
        @Option(help: "gzip, bz2, zstd or none.") var compression = "gzip"
        @Option(help: "Days to keep each scheduled backup.") var retentionDays: Int?
        @Option(help: "Keep the newest N backups of the database (older ones are pruned after each run).") var keepLast: Int?
        @Flag(help: "Encrypt with AES-256-GCM (key from --key-env / --key-file / $DBM_BACKUP_KEY when the backup runs).") var encrypt = false
        @Option(help: "The environment variable holding the database password when the schedule runs (the password is never stored; without it: dbm-server's own configuration, then ~/.pgpass / PGPASSWORD).") var passwordEnv: String?
        @OptionGroup var location: Location
        @OptionGroup var key: KeyOptions
        @OptionGroup var options: ClientOptions

        func validate() throws {
            if !list && remove == nil && expression == nil {
                throw ValidationError("Give a schedule expression (e.g. \"@daily\"), --list or --remove ID.")
            }
        }

        func run() throws {
            var params = JSONObject()
            location.apply(to: &params)
            if list {
                options.print(try options.withServer { try $0.request("BackupManager.list_schedules", params: .object(params)) })
                return
            }
            if let remove {
                params["schedule_id"] = .string(remove)
                options.print(try options.withServer { try $0.request("BackupManager.delete_schedule", params: .object(params)) })
                return
            }
            for (key, value) in try options.requiredTarget() { params[key] = value }
            params["schedule"] = .string(expression ?? "")
            if let name { params["database_name"] = .string(name) } else if let url = options.databaseURL {
                let base = url.split(separator: "/").last.map(String.init) ?? url
                params["database_name"] = .string(base.split(separator: "?").first.map(String.init)?.replacingOccurrences(of: ".db", with: "") ?? base)
            }
            var config: JSONObject = ["type": .string(type), "compression": .string(compression)]
            if let retentionDays { config["retention_days"] = .integer(Int64(retentionDays)) }
            if let keepLast { config["keep_last"] = .integer(Int64(keepLast)) }
            if encrypt { config["encryption"] = "aes-256-gcm" }
            if let keyEnv = key.keyEnv { config["encryption_key_env"] = .string(keyEnv) }
            if let keyFile = key.keyFile { config["encryption_key_file"] = .string(keyFile) }
            params["backup_config"] = .object(config)
            if let passwordEnv { params["password_env"] = .string(passwordEnv) }
            options.print(try options.withServer { try $0.request("BackupManager.schedule_backup", params: .object(params)) })
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove backups past retention; never one a kept backup needs.",
            discussion: """
                Without options each backup's own retention_days applies. Examples:
                  dbm-client backup prune --destination ./backups --keep-last 7
                  dbm-client backup prune --database shop --retention-days 30 --dry-run
                """)
        @Option(help: "Only the backups of this database.") var database: String?
        @Option(help: "Remove backups older than this many days (overrides each backup's own).") var retentionDays: Int?
        @Option(help: "Keep the newest N backups of each database.") var keepLast: Int?
        @Flag(help: "List what would be removed without removing it.") var dryRun = false
        @OptionGroup var location: Location
        @OptionGroup var options: ClientOptions

        func run() throws {
            var params = JSONObject()
            location.apply(to: &params)
            if let database { params["database_name"] = .string(database) }
            if let retentionDays { params["retention_days"] = .integer(Int64(retentionDays)) }
            if let keepLast { params["keep_last"] = .integer(Int64(keepLast)) }
            if dryRun { params["dry_run"] = true }
            options.print(try options.withServer { try $0.request("BackupManager.prune", params: .object(params)) })
        }
    }

    struct RunDue: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run-due",
            abstract: "Run the schedules that are due now (for system cron), then apply retention.",
            discussion: """
                Exits with status 1 when a scheduled backup failed. A crontab line:
                  */5 * * * * dbm-client backup run-due --destination /var/backups/dbm
                """)
        @OptionGroup var location: Location
        @OptionGroup var options: ClientOptions

        func run() throws {
            var params = JSONObject()
            location.apply(to: &params)
            let result = try options.withServer { try $0.request("BackupManager.run_due", params: .object(params)) }
            options.print(options.json ? result : result["ran"] ?? .array([]))
            if (result["ran"]?.arrayValue ?? []).contains(where: { $0["status"] != "completed" }) { throw ExitCode.failure }
        }
    }

    /// The columns of a backup record worth a table row.
    static func summary(_ record: JSONValue) -> JSONValue {
        var row = JSONObject()
        for key in ["id", "database_name", "backup_type", "compression", "encryption", "size_mb", "created_at", "status", "restore_tested"] {
            row[key] = record[key] ?? .null
        }
        return .object(row)
    }
}
