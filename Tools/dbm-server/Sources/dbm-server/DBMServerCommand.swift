import ArgumentParser
import Backups
import DBMServer
import Drivers
import Foundation
import JSONRPC
import Logging

/// `dbm-server`: the JSON-RPC server on stdin/stdout. stdout carries the protocol only; logs go to stderr.
@main
struct DBMServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dbm-server",
        abstract: "Serve dbm's JSON-RPC methods on stdin/stdout (LSP-style Content-Length framing, or newline-delimited JSON).",
        discussion: """
            Start it as a child process and speak JSON-RPC 2.0 on its stdio; begin with `initialize`.
            Example: printf 'Content-Length: 52\\r\\n\\r\\n{"jsonrpc":"2.0","id":1,"method":"initialize"}' | dbm-server
            """,
        version: ServerFactory.version)

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "notice"

    @Flag(help: "Refuse every statement and method that writes.")
    var readOnly = false

    @Option(help: "The database used when a call names none (default: $DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "A JSON configuration file: {\"allowed_databases\": [URL or name, ...], \"read_only\": true, \"audit_log\": \"/var/log/dbm/audit.jsonl\", \"allowed_root\": \"/srv/dbm\"}. See Docs/SECURITY.md.")
    var config: String?

    @Option(help: "The monitoring workspace: metrics history, the server's statement record, reports (default: $DBM_WORKSPACE_DIR, else ~/.local/share/dbm/monitoring). A call's workspace_dir overrides it for that call's history.")
    var workspaceDir: String?

    @Option(help: "Largest accepted message in bytes (default 64 MiB).")
    var maxMessageSize: Int?

    @Flag(help: "Print the OpenRPC document (what rpc.discover answers) and exit.")
    var printOpenrpc = false

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        ProcessMemory.limitAllocatorArenas(cores: ProcessInfo.processInfo.activeProcessorCount)
        let level = Logger.Level(rawValue: logLevel) ?? .notice
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "dbm.server")
        logger.logLevel = level

        var defaultConfiguration: ConnectionConfiguration?
        if let url = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty {
            do {
                defaultConfiguration = try ConnectionConfiguration(url: url)
            } catch {
                throw ValidationError("the default database URL is invalid: \(error)")
            }
        }
        var policy = ServerPolicy()
        var audit: AuditLog?
        if let config {
            do {
                policy = try ServerPolicy.load(contentsOf: config)
                audit = try policy.auditLogPath.map { try AuditLog(path: $0) }
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let state = ServerState(defaultConfiguration: defaultConfiguration, readOnly: readOnly, policy: policy, audit: audit,
                                workspaceDir: workspaceDir, logger: logger)
        let server = ServerFactory.makeServer(state: state, maxMessageSize: maxMessageSize)
        if printOpenrpc {
            print(String(decoding: server.openRPCDocument.serialized(), as: UTF8.self))
            return
        }
        logger.info("dbm-server \(ServerFactory.version) ready on stdio\(state.readOnly ? " (read-only)" : "")\(policy.allowList != nil ? " (allow-list)" : "")\(audit != nil ? " (audit log)" : "")")
        let code = await server.run()
        await state.statements.close()  // the statements recorded since the last flush, when the input ended without shutdown
        throw ExitCode(code)
    }
}
