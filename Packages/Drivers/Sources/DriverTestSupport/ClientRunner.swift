import DatabaseDriver
import Foundation

/// Runs the engine's own command-line client (`psql`, `mariadb`, `sqlite3`) on SQL, for loading fixtures
/// in the dump formats only those clients read (`COPY ... FROM stdin`, `DELIMITER`).
///
/// The password goes through the environment (`PGPASSWORD`, `MYSQL_PWD`), never the command line; the
/// input is read from a file, so a large fixture needs no writer thread. A failing client throws
/// `ClientFailure` with its stderr: a fixture that does not load fails the test.
extension TestDatabases {
    /// What the client reads on stdin.
    public enum ClientInput {
        case sql(String)
        case file(URL)
    }

    /// A client that exited with a non-zero status.
    public struct ClientFailure: Error, CustomStringConvertible {
        public let tool: String
        public let status: Int32
        public let stderr: String
        public var description: String { "\(tool) exited with \(status): \(stderr.prefix(2000))" }

        public init(tool: String, status: Int32, stderr: String) {
            self.tool = tool
            self.status = status
            self.stderr = stderr
        }
    }

    /// Feeds `input` to the client of `configuration`'s engine, connected to its database (or to the server
    /// alone when `useDatabase` is false, for statements that create the database).
    public static func runClient(_ input: ClientInput, on configuration: ConnectionConfiguration, useDatabase: Bool = true) throws {
        var environment = ProcessInfo.processInfo.environment
        let tool: String
        var arguments: [String]
        switch configuration.dialect {
        case .postgresql:
            tool = "psql"
            arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", configuration.host ?? "127.0.0.1",
                         "-p", String(configuration.effectivePort ?? 5432), "-U", configuration.username ?? "postgres",
                         "-d", useDatabase ? configuration.database : "postgres"]
            if let password = configuration.password { environment["PGPASSWORD"] = password }
        case .mysql:
            tool = "mariadb"
            arguments = ["--no-defaults", "--batch", "--protocol=TCP", "--default-character-set=utf8mb4",
                         "-h", configuration.host ?? "127.0.0.1", "-P", String(configuration.effectivePort ?? 3306)]
            if let user = configuration.username { arguments += ["-u", user] }
            if useDatabase { arguments.append(configuration.database) }
            if let password = configuration.password { environment["MYSQL_PWD"] = password }
        case .sqlite:
            tool = "sqlite3"
            arguments = ["-bail", configuration.database]
        }

        let inputFile: URL
        var scratch: URL?
        switch input {
        case .file(let url):
            inputFile = url
        case .sql(let text):
            scratch = temporaryDirectory()
            inputFile = scratch!.appendingPathComponent("input.sql")
            try Data(text.utf8).write(to: inputFile)
        }
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.environment = environment
        let stdin = try FileHandle(forReadingFrom: inputFile)
        defer { try? stdin.close() }
        let errors = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ClientFailure(tool: tool, status: process.terminationStatus, stderr: String(decoding: stderr, as: UTF8.self))
        }
    }
}
