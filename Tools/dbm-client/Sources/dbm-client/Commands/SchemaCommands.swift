import ArgumentParser
import Foundation
import JSONRPC

/// `dbm-client schema ...`: schemas as data, DDL, inspection, diff and migrations.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Generate, inspect, validate, export, diff and apply schemas.",
        discussion: """
            A SCHEMA argument is a file (the toolkit's JSON or YAML, or SQL DDL) or a database URL (inspected live).
            Examples:
              dbm-client schema template blog_system --dialect mysql
              dbm-client schema inspect --url sqlite:///shop.db --format yaml
              dbm-client schema diff current.json postgresql://app@localhost/shop --dialect postgresql
              dbm-client schema apply schema.json --url sqlite:///new.db
            """,
        subcommands: [Template.self, Generate.self, Inspect.self, Import.self, Export.self, Validate.self,
                      Diff.self, Migrate.self, Apply.self])

    /// Loads a SCHEMA argument: a URL is inspected, a file imported (SQL through the --url server or a scratch SQLite).
    static func load(_ source: String, dialect: String?, options: ClientOptions, on server: ServerProcess) throws -> JSONValue {
        if source.contains("://") || source.hasPrefix("sqlite:") {
            return try server.request("SchemaGenerator.inspect_database", params: ["database_url": .string(source)])
        }
        var params: JSONObject = ["schema_file": .string(absolute(source))]
        if let dialect { params["dialect"] = .string(dialect) }
        if let url = options.databaseURL { params["database_url"] = .string(url) }
        return try server.request("SchemaGenerator.import_schema", params: .object(params))
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Prints DDL text as is, or JSON with --json.
    static func printText(_ value: JSONValue, options: ClientOptions) {
        if options.json { print(JSONPrinter.pretty(value)); return }
        print(value.stringValue ?? JSONPrinter.pretty(value))
    }

    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a template's DDL: user_management, todo_application, blog_system, ecommerce.",
            discussion: "Example: dbm-client schema template ecommerce --dialect postgresql")
        @Argument(help: "user_management, todo_application, blog_system or ecommerce.") var name: String
        @Option(help: "postgresql, mysql or sqlite.") var dialect = "postgresql"
        @OptionGroup var options: ClientOptions
        func run() throws {
            let output = try options.withServer { server -> JSONValue in
                let generated = try server.request("generate_schema", params: ["template": .string(name), "target_database": .string(dialect)])
                if options.json { return generated }
                return try server.request("SchemaDefinition.to_sql", params: ["schema": generated, "dialect": .string(dialect)])
            }
            SchemaCommand.printText(output, options: options)
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate schema.json, DDL per dialect and an initial migration from models.",
            discussion: "Example: dbm-client schema generate --models models.json --output-dir out/ --dialect postgresql --dialect sqlite")
        @Option(help: "A JSON file with a list of models (JSON Schema documents or entity descriptions).") var models: String
        @Option(help: "Where to write the files.") var outputDir: String
        @Option(help: "Dialects to write DDL for (repeatable; default all three).") var dialect: [String] = []
        @OptionGroup var options: ClientOptions
        func run() throws {
            let text = try String(contentsOfFile: models, encoding: .utf8)
            let parsed: JSONValue
            do { parsed = try JSONValue(parsing: text) } catch { throw ValidationError("\(models) is not JSON: \(error)") }
            let list: JSONValue = parsed.arrayValue != nil ? parsed : (parsed["models"] ?? .array([parsed]))
            var params: JSONObject = ["models": list, "output_dir": .string(SchemaCommand.absolute(outputDir))]
            if !dialect.isEmpty { params["dialects"] = .array(dialect.map { .string($0) }) }
            let result = try options.withServer { try $0.request("generate_schema_from_models", params: .object(params)) }
            if options.json { print(JSONPrinter.pretty(result)); return }
            for (name, path) in result["files"]?.objectValue ?? JSONObject() { print("\(name): \(path.stringValue ?? "")") }
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read a live database's schema from its catalogs.",
            discussion: "Example: dbm-client schema inspect --url postgresql://app@localhost/shop --format sql --dialect postgresql")
        @Option(help: "json, yaml or sql.") var format = "json"
        @Option(help: "Dialect for --format sql (default: the database's).") var dialect: String?
        @OptionGroup var options: ClientOptions
        func run() throws {
            let target = try options.requiredTarget()
            let output = try options.withServer { server -> JSONValue in
                let schema = try server.request("SchemaGenerator.inspect_database", params: .object(target))
                if format == "json" { return schema }
                var params: JSONObject = ["schema": schema, "format": .string(format)]
                params["dialect"] = .string(dialect ?? schema["database_type"]?.stringValue ?? "postgresql")
                return try server.request("SchemaGenerator.export_schema", params: .object(params))
            }
            SchemaCommand.printText(output, options: options)
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read a schema file (JSON, YAML or SQL DDL) and print it as the toolkit's JSON.",
            discussion: "Example: dbm-client schema import db/schema.sql --dialect postgresql --url postgresql://postgres@localhost/postgres")
        @Argument(help: "The schema file.") var file: String
        @Option(help: "The SQL file's dialect.") var dialect: String?
        @OptionGroup var options: ClientOptions
        func run() throws {
            let schema = try options.withServer { try SchemaCommand.load(file, dialect: dialect, options: options, on: $0) }
            print(JSONPrinter.pretty(schema))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a schema as DDL for a dialect, or as JSON or YAML.",
            discussion: "Example: dbm-client schema export schema.json --format sql --dialect mysql")
        @Argument(help: "A schema file or database URL.") var schema: String
        @Option(help: "sql, json or yaml.") var format = "sql"
        @Option(help: "postgresql, mysql or sqlite.") var dialect = "postgresql"
        @OptionGroup var options: ClientOptions
        func run() throws {
            let output = try options.withServer { server -> JSONValue in
                let definition = try SchemaCommand.load(schema, dialect: dialect, options: options, on: server)
                return try server.request("SchemaGenerator.export_schema", params: ["schema": definition, "format": .string(format), "dialect": .string(dialect)])
            }
            SchemaCommand.printText(output, options: options)
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a schema; exits 1 when it has errors.",
            discussion: "Example: dbm-client schema validate schema.yaml --dialect sqlite")
        @Argument(help: "A schema file or database URL.") var schema: String
        @Option(help: "Check against this dialect's types and reserved words.") var dialect: String?
        @OptionGroup var options: ClientOptions
        func run() throws {
            let errors = try options.withServer { server -> JSONValue in
                let definition = try SchemaCommand.load(schema, dialect: dialect, options: options, on: server)
                var params: JSONObject = ["schema": definition]
                if let dialect { params["dialect"] = .string(dialect) }
                return try server.request("SchemaGenerator.validate_schema", params: .object(params))
            }
            let list = errors.arrayValue ?? []
            if options.json { print(JSONPrinter.pretty(errors)) } else if list.isEmpty { print("valid") } else {
                for error in list { print(error.stringValue ?? "") }
            }
            if !list.isEmpty { throw ExitCode.failure }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The changes that turn one schema into another.",
            discussion: "Example: dbm-client schema diff current.json sqlite:///shop.db")
        @Argument(help: "The current schema (file or URL).") var from: String
        @Argument(help: "The target schema (file or URL).") var to: String
        @Option(help: "The dialect the changes are for.") var dialect: String?
        @OptionGroup var options: ClientOptions
        func run() throws {
            let result = try options.withServer { server -> JSONValue in
                var params: JSONObject = ["schema": try SchemaCommand.load(from, dialect: dialect, options: options, on: server),
                                          "other": try SchemaCommand.load(to, dialect: dialect, options: options, on: server)]
                if let dialect { params["dialect"] = .string(dialect) }
                return try server.request("SchemaDefinition.diff", params: .object(params))
            }
            if options.json { print(JSONPrinter.pretty(result)); return }
            let differences = result["differences"]?.arrayValue ?? []
            if differences.isEmpty { print("no differences") }
            for line in differences { print(line.stringValue ?? "") }
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the upgrade and downgrade SQL from one schema to another.",
            discussion: "Example: dbm-client schema migrate current.json target.json --dialect sqlite")
        @Argument(help: "The current schema (file or URL).") var from: String
        @Argument(help: "The target schema (file or URL).") var to: String
        @Option(help: "postgresql, mysql or sqlite.") var dialect = "postgresql"
        @OptionGroup var options: ClientOptions
        func run() throws {
            let result = try options.withServer { server -> JSONValue in
                try server.request("SchemaGenerator.generate_migrations", params: [
                    "current_schema": try SchemaCommand.load(from, dialect: dialect, options: options, on: server),
                    "target_schema": try SchemaCommand.load(to, dialect: dialect, options: options, on: server),
                    "dialect": .string(dialect)])
            }
            if options.json { print(JSONPrinter.pretty(result)); return }
            for migration in result["migrations"]?.arrayValue ?? [] {
                print("-- migration \(migration["version"]?.stringValue ?? "")\(migration["destructive"] == .bool(true) ? " (destructive)" : "")")
                print("-- upgrade\n" + (migration["up_sql"]?.stringValue ?? ""))
                print("-- downgrade\n" + (migration["down_sql"]?.stringValue ?? ""))
            }
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a schema in a database (one transaction where the engine allows).",
            discussion: "Example: dbm-client schema apply schema.json --url sqlite:///new.db")
        @Argument(help: "A schema file or database URL to copy the schema from.") var schema: String
        @OptionGroup var options: ClientOptions
        func run() throws {
            var target = try options.requiredTarget()
            let result = try options.withServer { server -> JSONValue in
                target["schema"] = try SchemaCommand.load(schema, dialect: nil, options: options, on: server)
                return try server.request("SchemaDefinition.apply_to_database", params: .object(target))
            }
            options.print(result)
        }
    }
}
