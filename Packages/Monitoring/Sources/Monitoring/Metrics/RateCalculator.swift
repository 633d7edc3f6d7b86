import Foundation

/// Derives rates from two readings of cumulative counters. Never divides a lifetime total by uptime: with
/// no previous reading (or a counter reset, seen as a decrease) the rate is `nil`.
enum RateCalculator {
    struct Rates {
        var queriesPerSecond: Double?
        var avgQueryTimeMS: Double?
        var cacheHitRatio: Double?
        var notes: [MetricsCheck] = []
    }

    static func rates(current: MetricsCounters, previous: MetricsCounters?, seconds: Double?) -> Rates {
        var rates = Rates()
        // The cache hit ratio is a ratio, not a rate: over the interval when there was traffic, else over the
        // counters' lifetime (and the check says which).
        if let hits = current.cacheHits, let misses = current.cacheMisses {
            if let previous, let ph = previous.cacheHits, let pm = previous.cacheMisses, hits >= ph, misses >= pm, (hits - ph) + (misses - pm) > 0 {
                rates.cacheHitRatio = (hits - ph) / ((hits - ph) + (misses - pm))
                rates.notes.append(.ok("cache_hit_ratio", "over the interval since the previous sample"))
            } else if hits + misses > 0 {
                rates.cacheHitRatio = hits / (hits + misses)
                rates.notes.append(.ok("cache_hit_ratio", "since the statistics were last reset (no reads in the interval or no previous sample)"))
            }
        }
        guard let previous, let seconds, seconds > 0 else {
            rates.notes.append(.skipped("rates", "first sample for this database: queries_per_second and avg_query_time_ms need a previous sample"))
            return rates
        }
        if let now = current.statements, let before = previous.statements {
            if now >= before {
                rates.queriesPerSecond = (now - before) / seconds
                if let t1 = current.statementTimeMS, let t0 = previous.statementTimeMS, now > before, t1 >= t0 {
                    rates.avgQueryTimeMS = (t1 - t0) / (now - before)
                }
                rates.notes.append(.ok("rates", "statement deltas over \(String(format: "%.3f", seconds)) s"))
            } else {
                rates.notes.append(.skipped("rates", "statement statistics were reset since the previous sample"))
            }
        } else if let now = current.transactions, let before = previous.transactions, now >= before {
            rates.queriesPerSecond = (now - before) / seconds
            rates.notes.append(.ok("rates", "transactions per second from pg_stat_database (no statement statistics); avg_query_time_ms unavailable"))
        } else {
            rates.notes.append(.skipped("rates", "no statement counters on this database"))
        }
        // The engine has no statement timings: the mean of the statements this server ran in the interval.
        if rates.avgQueryTimeMS == nil, let now = current.serverStatements, let before = previous.serverStatements, now > before,
           let t1 = current.serverStatementTimeMS, let t0 = previous.serverStatementTimeMS, t1 >= t0 {
            rates.avgQueryTimeMS = (t1 - t0) / (now - before)
            rates.notes.append(.ok("avg_query_time_ms", "mean of the \(Int64(now - before)) statement(s) this server ran in the interval (the engine keeps no statement timings here)"))
        }
        return rates
    }

    /// MiB per day from the oldest to the newest (time, used MiB) point; `nil` with fewer than two points or
    /// less than one second between them.
    static func growthPerDay(_ points: [(Double, Double)]) -> Double? {
        guard let first = points.first, let last = points.last, last.0 - first.0 >= 1 else { return nil }
        return (last.1 - first.1) / ((last.0 - first.0) / 86_400)
    }
}
