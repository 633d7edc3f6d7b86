import ArgumentParser
import JSONRPC

/// `dbm-client query SQL`: runs one statement with bound parameters.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one SQL statement with bound parameters and print its rows.",
        discussion: """
            Named parameters bind :name placeholders, positional ones bind ? or $1. A value that reads as \
            JSON (42, 1.5, true, null, "text", {"$type": "decimal", "value": "1.10"}) binds as that value; \
            anything else binds as text. Values are never spliced into the SQL.
            Examples:
              dbm-client query --url sqlite:///app.db "SELECT * FROM users WHERE id = :id" --param id=1
              dbm-client query "INSERT INTO t (a, b) VALUES (?, ?)" --arg 1 --arg "O'Brien"
            """)

    @Argument(help: "The SQL statement.")
    var sql: String

    @Option(name: .customLong("param"), help: "A named parameter NAME=VALUE (repeatable).")
    var named: [String] = []

    @Option(name: .customLong("arg"), help: "A positional parameter (repeatable, in order).")
    var positional: [String] = []

    @OptionGroup var options: ClientOptions

    func validate() throws {
        if !named.isEmpty && !positional.isEmpty {
            throw ValidationError("Use either --param NAME=VALUE or --arg VALUE, not both.")
        }
        for item in named where !item.contains("=") {
            throw ValidationError("--param needs NAME=VALUE, got '\(item)'.")
        }
    }

    func run() throws {
        var params = try options.requiredTarget()
        params["query"] = .string(sql)
        if !named.isEmpty {
            var object = JSONObject()
            for item in named {
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                object[String(parts[0])] = Self.value(String(parts[1]))
            }
            params["params"] = .object(object)
        } else if !positional.isEmpty {
            params["params"] = .array(positional.map(Self.value))
        }
        let rows = try options.withServer { try $0.request("DatabaseManager.execute_query", params: .object(params)) }
        options.print(rows)
    }

    /// A command-line value: JSON when it parses as JSON, text otherwise.
    static func value(_ text: String) -> JSONValue {
        (try? JSONValue(parsing: text)) ?? .string(text)
    }
}
