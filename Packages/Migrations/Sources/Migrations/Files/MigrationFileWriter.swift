import Foundation

/// Writes a new migration into a directory in the directory's format: the next version, a file pair (or
/// dbmate's single file, or a Flyway `V` file with a `U` undo file when there is downgrade SQL).
struct MigrationFileWriter {
    let directory: MigrationDirectory
    var now = Date()

    /// The next version for the directory: one more than the highest (keeping its zero padding and, for
    /// Flyway, its number of parts), or a UTC timestamp `yyyyMMddHHmmss` for dbmate and for directories that
    /// already use timestamps.
    func nextRevision() -> String {
        let versioned = directory.migrations.filter { $0.kind != .repeatable }
        if directory.format == .flyway {
            guard let last = versioned.max(by: { VersionOrder.less($0.revision, $1.revision) }) else { return "1" }
            var parts = last.revision.split(separator: ".").map(String.init)
            parts[parts.count - 1] = String((Int(parts[parts.count - 1]) ?? 0) + 1)
            return parts.joined(separator: ".")
        }
        let numbers = versioned.compactMap { m -> (Int, Int)? in
            let digits = m.revision.prefix(while: \.isASCIIDigit)
            guard let n = Int(digits) else { return nil }
            return (n, digits.count)
        }
        let usesTimestamps = numbers.contains { $0.1 >= 12 }
        if directory.format == .dbmate || usesTimestamps {
            var stamp = timestamp()
            if let highest = numbers.map(\.0).max(), let value = Int(stamp), value <= highest { stamp = String(highest + 1) }
            return stamp
        }
        let highest = numbers.map(\.0).max() ?? 0
        let width = numbers.map(\.1).max() ?? 4
        let next = String(highest + 1)
        return String(repeating: "0", count: max(0, width - next.count)) + next
    }

    /// Writes the files and returns their paths, relative to the directory.
    /// - Throws: `MigrationError.invalidRequest` when a file of that name exists; `.invalidDirectory` when
    ///   writing fails.
    func write(revision: String, description: String, upgradeSQL: String?, downgradeSQL: String?,
               dependencies: [String]) throws(MigrationError) -> [String] {
        let slug = Self.slug(description)
        let comment = Self.commentText(description)
        var header = "-- \(comment)\n"
        if !dependencies.isEmpty { header += "-- dbm:depends-on: \(dependencies.joined(separator: ", "))\n" }
        let up = header + (upgradeSQL.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" } ?? "")
        let down = downgradeSQL.map { "-- undo: \(comment)\n" + ($0.hasSuffix("\n") ? $0 : $0 + "\n") }
            ?? "-- undo: \(comment)\n"
        let base = slug.isEmpty ? revision : "\(revision)_\(slug)"
        var files: [(String, String)]
        switch directory.format {
        case .dbm:
            files = [("\(base)/up.sql", up), ("\(base)/down.sql", down)]
        case .golangMigrate, .fileOrder:
            files = [("\(base).up.sql", up), ("\(base).down.sql", down)]
        case .dbmate:
            files = [("\(base).sql", "-- migrate:up\n" + up + "\n-- migrate:down\n" + down)]
        case .flyway:
            let separator = directory.migrations.contains { $0.name.contains("_") && $0.name.split(separator: "__").first?.contains("_") == true } ? "_" : "."
            let version = revision.replacingOccurrences(of: ".", with: separator)
            files = [("V\(version)__\(slug).sql", up)]
            if downgradeSQL != nil { files.append(("U\(version)__\(slug).sql", down)) }
        }
        let root = URL(fileURLWithPath: directory.path, isDirectory: true)
        for (name, _) in files where FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path) {
            throw MigrationError(.invalidRequest, "\(name) already exists in \(directory.path)")
        }
        do {
            for (name, text) in files {
                let url = root.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
            }
        } catch {
            throw MigrationError(.invalidDirectory, "cannot write the migration into \(directory.path): \(error.localizedDescription)")
        }
        return files.map(\.0)
    }

    /// The description as the text of one `--` comment line: every character an engine or editor could take
    /// for a line end (CR, LF, VT, FF, NEL, U+2028, U+2029) and every other control character becomes a space,
    /// so no part of a description can leave the comment and become SQL.
    static func commentText(_ description: String) -> String {
        String(String.UnicodeScalarView(description.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
        }))
    }

    /// Refuses what cannot be written safely: a NUL byte in the description (no engine accepts it in SQL
    /// text), and a revision or dependency that is not a plain version (it becomes part of a file name and of
    /// the `-- dbm:depends-on:` line, so `/`, `..` or a line break could escape either).
    static func check(description: String, revision: String?, dependencies: [String]) throws(MigrationError) {
        if description.unicodeScalars.contains("\0") {
            throw MigrationError(.invalidRequest, "the migration description contains a NUL byte")
        }
        for (what, value) in [revision.map { ("revision", $0) }].compactMap({ $0 }) + dependencies.map({ ("dependency", $0) }) {
            let plain = value.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
            guard plain, !value.isEmpty, value.count <= 128, !value.hasPrefix("."), !value.contains("..") else {
                throw MigrationError(.invalidRequest,
                    "the \(what) \(value.debugDescription.prefix(140)) is not a plain version: use ASCII letters, digits, '.', '_' and '-' (at most 128, not starting with '.')",
                    revision: what == "revision" ? String(value.prefix(128)) : nil)
            }
        }
    }

    /// `Add users table!` → `add_users_table` (ASCII letters and digits, at most 60 characters).
    static func slug(_ description: String) -> String {
        var out = ""
        var lastWasSeparator = true
        for scalar in description.lowercased().unicodeScalars {
            if scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar)) {
                out.unicodeScalars.append(scalar)
                lastWasSeparator = false
            } else if !lastWasSeparator {
                out += "_"
                lastWasSeparator = true
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        return String(out.prefix(60))
    }

    private func timestamp() -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now)
        return String(format: "%04d%02d%02d%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
