import ArgumentParser
import Foundation
import JSONRPC

/// Options every command that talks to a database shares.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: "Database URL (default: $DATABASE_URL), e.g. sqlite:///app.db or postgresql://user@host/db.")
    var url: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of tables.")
    var json = false

    @Option(name: .long, help: "Path to dbm-server (default: $DBM_SERVER, beside dbm-client, or on PATH).")
    var server: String?

    @Option(name: .long, help: "dbm-server's log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "warning"

    /// The database URL: `--url` or `DATABASE_URL`.
    var databaseURL: String? {
        url ?? ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `{"database_url": URL}` when a URL is known, `{}` otherwise.
    func target() -> JSONObject {
        var object = JSONObject()
        if let databaseURL { object["database_url"] = .string(databaseURL) }
        return object
    }

    /// The target, failing with a usage message when there is none.
    func requiredTarget() throws -> JSONObject {
        guard databaseURL != nil else {
            throw ValidationError("No database: pass --url or set DATABASE_URL (for example --url sqlite:///app.db).")
        }
        return target()
    }

    /// Starts dbm-server, initializes, runs `body`, and shuts the server down. A JSON-RPC error becomes a
    /// message on stderr and exit status 1.
    func withServer<T>(_ body: (ServerProcess) throws -> T) throws -> T {
        let process = try ServerProcess(executable: ServerProcess.locate(explicit: server), arguments: ["--log-level", logLevel])
        let progress = ProgressBar()
        process.onProgress = progress.update
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        signal(SIGINT, SIG_IGN)
        interrupt.setEventHandler { process.cancelInFlight() }
        interrupt.resume()
        defer { interrupt.cancel(); signal(SIGINT, SIG_DFL) }
        do {
            try process.initialize()
            let result = try body(process)
            process.close()
            return result
        } catch let error as RPCError {
            process.close()
            FileHandle.standardError.write(Data((Self.describe(error) + "\n").utf8))
            throw ExitCode.failure
        } catch let error as ClientError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// `error: [DatabaseError unique_violation, postgresql 23505] duplicate key value ...`
    static func describe(_ error: RPCError) -> String {
        var tags: [String] = []
        if let type = error.data?["type"]?.stringValue { tags.append(type) }
        if let kind = error.data?["kind"]?.stringValue { tags.append(kind) }
        var prefix = tags.isEmpty ? "" : "[" + tags.joined(separator: " ")
        if let engine = error.data?["engine"]?.stringValue, let code = error.data?["engine_code"]?.stringValue {
            prefix += ", \(engine) \(code)"
        }
        if !prefix.isEmpty { prefix += "] " }
        return "error: \(prefix)\(error.message)"
    }

    /// Prints a result: JSON with `--json`, otherwise a table (lists of objects), key/value lines (objects)
    /// or the bare value.
    func print(_ value: JSONValue) {
        if json {
            Swift.print(JSONPrinter.pretty(value))
            return
        }
        switch value {
        case .array(let rows): Swift.print(TableFormatter.table(rows))
        case .object(let object): Swift.print(TableFormatter.keyValue(object))
        case .null: break
        default: Swift.print(TableFormatter.cell(value))
        }
    }
}
