/// Orders version strings the way people read them: runs of digits compare as numbers, the rest as text,
/// so `1.12.2 < 1.12.10` and `0009 < 0010 < 10`.
enum VersionOrder {
    /// True when `a` sorts before `b`.
    static func less(_ a: String, _ b: String) -> Bool {
        compare(a, b) < 0
    }

    /// -1, 0 or 1.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = segments(a), y = segments(b)
        for (p, q) in zip(x, y) {
            let c = compareSegment(p, q)
            if c != 0 { return c }
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }

    private static func segments(_ s: String) -> [Substring] {
        var out: [Substring] = []
        var start = s.startIndex
        var index = s.startIndex
        while index < s.endIndex {
            let digit = s[index].isASCIIDigit
            var end = index
            while end < s.endIndex && s[end].isASCIIDigit == digit { end = s.index(after: end) }
            out.append(s[start..<end])
            start = end
            index = end
        }
        return out
    }

    private static func compareSegment(_ p: Substring, _ q: Substring) -> Int {
        if let pf = p.first, let qf = q.first, pf.isASCIIDigit && qf.isASCIIDigit {
            let ps = p.drop(while: { $0 == "0" }), qs = q.drop(while: { $0 == "0" })
            if ps.count != qs.count { return ps.count < qs.count ? -1 : 1 }
            if ps != qs { return ps < qs ? -1 : 1 }
            return 0
        }
        if p == q { return 0 }
        return p < q ? -1 : 1
    }

    /// Flyway's notion of the same version: numeric parts without leading zeros, trailing zero parts dropped
    /// (`1.0` and `1` are one version, as are `1.01` and `1.1`).
    static func flywayKey(_ version: String) -> String {
        var parts = version.split(whereSeparator: { $0 == "." || $0 == "_" }).map { part -> String in
            let trimmed = part.drop(while: { $0 == "0" })
            return trimmed.isEmpty ? "0" : String(trimmed)
        }
        while parts.count > 1 && parts.last == "0" { parts.removeLast() }
        return parts.joined(separator: ".")
    }
}
