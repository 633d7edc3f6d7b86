import Foundation

/// Wall-clock timing, sizes on disk, external commands and peak memory for the benchmark.
enum Measure {
    /// Runs `body` and returns its value with the elapsed seconds.
    static func time<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let value = try await body()
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        return (value, Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Runs a shell command line (the reference tools), failing on a non-zero exit; returns the seconds taken.
    @discardableResult
    static func shell(_ command: String, environment: [String: String] = [:]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -e -o pipefail; " + command]
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        let start = ContinuousClock.now
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        guard process.terminationStatus == 0 else {
            throw BenchError("command failed (\(process.terminationStatus)): \(String(decoding: message, as: UTF8.self).prefix(400))")
        }
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Bytes under a path (a file, or a directory's files recursively).
    static func size(_ path: String) -> Int64 {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
        guard isDirectory.boolValue else {
            return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        }
        var total: Int64 = 0
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let name = enumerator?.nextObject() as? String {
            total += (try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? NSNumber)?.int64Value ?? 0
        }
        return total
    }

    /// This process's peak resident memory in MiB (`getrusage`, kilobytes on Linux).
    static var peakMemoryMiB: Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func mib(_ bytes: Int64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
