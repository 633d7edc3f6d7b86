import ArgumentParser
import JSONRPC

/// `dbm-client call METHOD '{json params}'`: any method, params as JSON.
struct CallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call any JSON-RPC method with JSON params and print the result as JSON.",
        discussion: """
            Example: dbm-client call DatabaseManager.execute_query \
            '{"database_url": "sqlite:///app.db", "query": "SELECT :n AS n", "params": {"n": 1}}'
            """)

    @Argument(help: "The method name, for example DatabaseManager.list_databases.")
    var method: String

    @Argument(help: "The params as a JSON object (default {}). DATABASE_URL/--url fills database_url when absent.")
    var params: String = "{}"

    @OptionGroup var options: ClientOptions

    func run() throws {
        var value: JSONValue
        do { value = try JSONValue(parsing: params) } catch {
            throw ValidationError("params are not valid JSON: \(error)")
        }
        if case .object(var object) = value, object["database_url"] == nil, object["connection"] == nil,
           object["connection_config"] == nil, object["connection_string"] == nil, let url = options.databaseURL {
            object["database_url"] = .string(url)
            value = .object(object)
        }
        let result = try options.withServer { try $0.request(method, params: value) }
        print(JSONPrinter.pretty(result))
    }
}

/// `dbm-client methods`: what `rpc.discover` lists.
struct MethodsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods",
        abstract: "List the server's JSON-RPC methods (from rpc.discover).",
        discussion: "Example: dbm-client methods   (or --json for the whole OpenRPC document)")

    @OptionGroup var options: ClientOptions

    func run() throws {
        let document = try options.withServer { try $0.request("rpc.discover", params: .emptyObject) }
        if options.json {
            print(JSONPrinter.pretty(document))
            return
        }
        let rows: [[String]] = (document["methods"]?.arrayValue ?? []).map {
            [$0["name"]?.stringValue ?? "", $0["summary"]?.stringValue ?? ""]
        }
        print(TableFormatter.render(header: ["method", "summary"], cells: rows))
    }
}
