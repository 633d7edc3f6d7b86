/// A migration file name taken apart: which migration it belongs to and which part of it it holds.
struct MigrationFileName: Hashable, Sendable {
    enum Part: Hashable, Sendable { case up, down, both }

    /// The version as the format spells it (`0030`, `1.12.39`, `0001_create_table_a_principals`).
    var revision: String
    var description: String
    var part: Part
    var kind: MigrationKind
    /// The name without extension and direction suffix (`0030_2.0.0_schema`, `V1_12_39__add_index`).
    var stem: String

    /// golang-migrate: `^([0-9]+)_(.*)\.(down|up)\.sql$` (its own pattern, restricted to `.sql`).
    static func golangMigrate(_ file: String) -> MigrationFileName? {
        let (base, part) = splitDirection(file, separators: ["."])
        guard let part, let underscore = base.firstIndex(of: "_") else { return nil }
        let number = base[..<underscore]
        guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit) else { return nil }
        let rest = String(base[base.index(after: underscore)...])
        return MigrationFileName(revision: String(number), description: humanize(rest), part: part, kind: .versioned, stem: base)
    }

    /// maragudk/migrate (Harness): `<stem>.up.sql`, `<stem>.down.sql`, and (its unescaped `.` accepts them)
    /// `<stem>_up.sql` / `<stem>_down.sql`. The whole stem is the version.
    static func fileOrder(_ file: String) -> MigrationFileName? {
        let (base, part) = splitDirection(file, separators: [".", "_"])
        guard let part, !base.isEmpty,
              base.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" })
        else { return nil }
        var description = base
        if let underscore = base.firstIndex(of: "_") { description = String(base[base.index(after: underscore)...]) }
        else { description = "" }
        return MigrationFileName(revision: base, description: humanize(description), part: part, kind: .versioned, stem: base)
    }

    /// Flyway: `V<version>__<desc>.sql`, `U<version>__<desc>.sql`, `B<version>__<desc>.sql`, `R__<desc>.sql`.
    /// Version parts are separated by `.` or `_` and shown with dots (`V1_12_39` is version `1.12.39`).
    static func flyway(_ file: String) -> MigrationFileName? {
        guard file.hasSuffix(".sql"), let prefix = file.first, "VUBR".contains(prefix) else { return nil }
        let stem = String(file.dropLast(4))
        let body = stem.dropFirst()
        guard let separator = body.range(of: "__") else { return nil }
        let version = body[..<separator.lowerBound]
        let description = humanize(String(body[separator.upperBound...]))
        if prefix == "R" {
            guard version.isEmpty else { return nil }
            return MigrationFileName(revision: "R__" + description, description: description, part: .up, kind: .repeatable, stem: stem)
        }
        guard !version.isEmpty, version.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "_" }),
              version.first?.isASCIIDigit == true else { return nil }
        let dotted = version.split(whereSeparator: { $0 == "." || $0 == "_" }).joined(separator: ".")
        switch prefix {
        case "U": return MigrationFileName(revision: dotted, description: description, part: .down, kind: .versioned, stem: stem)
        case "B": return MigrationFileName(revision: dotted, description: description, part: .up, kind: .baseline, stem: stem)
        default: return MigrationFileName(revision: dotted, description: description, part: .up, kind: .versioned, stem: stem)
        }
    }

    /// dbmate: `<digits>_<name>.sql`, both directions in one file.
    static func dbmate(_ file: String) -> MigrationFileName? {
        guard file.hasSuffix(".sql"), !file.hasSuffix(".up.sql"), !file.hasSuffix(".down.sql") else { return nil }
        let stem = String(file.dropLast(4))
        let digits = stem.prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty else { return nil }
        var rest = stem.dropFirst(digits.count)
        if rest.first == "_" { rest = rest.dropFirst() }
        return MigrationFileName(revision: String(digits), description: humanize(String(rest)), part: .both, kind: .versioned, stem: stem)
    }

    /// The toolkit's own folder name: `<revision>_<slug>` (the revision is everything before the first `_`).
    static func dbmFolder(_ folder: String) -> MigrationFileName? {
        guard let underscore = folder.firstIndex(of: "_") else {
            guard !folder.isEmpty else { return nil }
            return MigrationFileName(revision: folder, description: "", part: .both, kind: .versioned, stem: folder)
        }
        let revision = folder[..<underscore]
        guard !revision.isEmpty else { return nil }
        return MigrationFileName(revision: String(revision), description: humanize(String(folder[folder.index(after: underscore)...])),
                                 part: .both, kind: .versioned, stem: folder)
    }

    private static func splitDirection(_ file: String, separators: [Character]) -> (String, Part?) {
        for separator in separators {
            for (suffix, part) in [("up.sql", Part.up), ("down.sql", Part.down)] {
                let full = String(separator) + suffix
                if file.hasSuffix(full) { return (String(file.dropLast(full.count)), part) }
            }
        }
        return (file, nil)
    }

    /// `add_users_table` → `add users table`.
    static func humanize(_ slug: String) -> String {
        slug.replacingOccurrences(of: "_", with: " ").trimmingWhitespace()
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
