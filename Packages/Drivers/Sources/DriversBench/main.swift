import Drivers
import Foundation

// Streams a query's rows through the driver and reports rows, seconds and peak memory (one JSON line).
//
//   DriversBench URL SQL
//
// `make bench` (scripts/bench.sh) runs it next to the engine's own CLI on the same query. This is a
// benchmark, not a test: it measures and prints, it asserts nothing.

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: DriversBench URL SQL\n".utf8))
    exit(2)
}
let connection = try await Database.connect(arguments[1])
let started = ContinuousClock.now
let (rows, cells) = try await connection.withCursor(arguments[2], .none) { cursor in
    var rows = 0
    var nonNull = 0
    while let row = try cursor.next() {
        rows += 1
        for value in row.values where !value.isNull { nonNull += 1 }
    }
    return (rows, nonNull)
}
let elapsed = ContinuousClock.now - started
await connection.close()
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(#"{"rows": \#(rows), "non_null_cells": \#(cells), "seconds": \#(seconds), "peak_rss_mib": \#(peakRSSMiB())}"#)
