import Foundation

// `make bench` for the protocol: round-trip latency of a trivial call (p50, p99), pipelined throughput,
// and DatabaseManager.execute_query returning many rows. Prints one JSON object. A benchmark, not a test.
//
//   ServerBench PATH/TO/dbm-server SQLITE_FILE ROWS_QUERY

let args = CommandLine.arguments
guard args.count == 4 else {
    FileHandle.standardError.write(Data("usage: ServerBench DBM_SERVER SQLITE_FILE QUERY\n".utf8))
    exit(2)
}

/// dbm-server on pipes, with Content-Length framing; a reader that returns whole message bodies.
final class Session: @unchecked Sendable {
    // @unchecked Sendable: the writer thread only writes, the main thread only reads.
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    var buffer = [UInt8]()
    var start = 0

    init(server: String) throws {
        process.executableURL = URL(fileURLWithPath: server)
        process.arguments = ["--log-level", "error"]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    func frame(_ json: String) -> [UInt8] {
        let body = Array(json.utf8)
        return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    func write(_ bytes: [UInt8]) { input.fileHandleForWriting.write(Data(bytes)) }

    /// The next message body.
    func read() -> ArraySlice<UInt8> {
        while true {
            if let (length, bodyStart) = header(), buffer.count >= bodyStart + length {
                let body = buffer[bodyStart..<(bodyStart + length)]
                start = bodyStart + length
                if start > 1 << 20 { buffer.removeFirst(start); start = 0; return ArraySlice(Array(body)) }
                return body
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { fatalError("dbm-server closed its output") }
            if start > 0 { buffer.removeFirst(start); start = 0 }
            buffer.append(contentsOf: chunk)
        }
    }

    /// The body length and body start of the message at `start`, once its header is complete. Parses the
    /// digits in place: the client's own cost should not weigh on what is measured (it shares the cores).
    private func header() -> (Int, Int)? {
        var i = start
        while i + 3 < buffer.count {
            if buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
                var length = 0
                var sawDigit = false
                for byte in buffer[start..<i] where byte >= 48 && byte <= 57 {
                    length = length * 10 + Int(byte - 48)
                    sawDigit = true
                }
                return sawDigit ? (length, i + 4) : nil
            }
            i += 1
        }
        return nil
    }
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

let session = try Session(server: args[1])
session.write(session.frame(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}"#))
_ = session.read()

let trivial = #""method":"DatabaseConnection.get_connection_info","params":{"url":"sqlite::memory:"}}"#

// 1. Sequential round trips.
var latencies: [Double] = []
for i in 1...5000 {
    let t0 = now()
    session.write(session.frame(#"{"jsonrpc":"2.0","id":\#(i),"# + trivial))
    _ = session.read()
    if i > 500 { latencies.append(Double(now() - t0) / 1000) }
}
latencies.sort()
let p50 = latencies[latencies.count / 2]
let p99 = latencies[latencies.count * 99 / 100]

// 2. Pipelined: a writer thread sends N requests while this thread reads N answers.
let pipelined = 100_000
let writer = Thread {
    var batch = [UInt8]()
    for i in 0..<pipelined {
        batch += session.frame(#"{"jsonrpc":"2.0","id":\#(100_000 + i),"# + trivial)
        if batch.count > 256 * 1024 { session.write(batch); batch.removeAll(keepingCapacity: true) }
    }
    session.write(batch)
}
let t1 = now()
writer.start()
for _ in 0..<pipelined { _ = session.read() }
let pipelinedSeconds = Double(now() - t1) / 1e9

// 3. execute_query returning many rows.
let escapedQuery = args[3].replacingOccurrences(of: "\"", with: "\\\"")
// Best of three, as for the CLI it is compared with.
var rowsSeconds = Double.infinity
var bodyCount = 0
for run in 0..<3 {
    let t2 = now()
    session.write(session.frame(#"{"jsonrpc":"2.0","id":"rows\#(run)","method":"DatabaseManager.execute_query","params":{"database_url":"sqlite:///\#(args[2])","query":"\#(escapedQuery)"}}"#))
    bodyCount = session.read().count
    rowsSeconds = min(rowsSeconds, Double(now() - t2) / 1e9)
}

session.write(session.frame(#"{"jsonrpc":"2.0","id":"s","method":"shutdown"}"#))
_ = session.read()
session.write(session.frame(#"{"jsonrpc":"2.0","method":"exit"}"#))
session.process.waitUntilExit()

print(#"{"p50_us": \#(p50), "p99_us": \#(p99), "pipelined_calls": \#(pipelined), "pipelined_seconds": \#(pipelinedSeconds), "calls_per_second": \#(Double(pipelined) / pipelinedSeconds), "execute_query_seconds": \#(rowsSeconds), "execute_query_bytes": \#(bodyCount)}"#)
