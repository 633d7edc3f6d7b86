/// The `-- dbm:` comment lines a migration file may carry, in any format:
///
/// ```sql
/// -- dbm:no-transaction
/// -- dbm:depends-on: 0002, 0003
/// ```
struct MigrationDirectives: Hashable, Sendable {
    var noTransaction = false
    var dependencies: [String] = []

    init(noTransaction: Bool = false, dependencies: [String] = []) {
        self.noTransaction = noTransaction
        self.dependencies = dependencies
    }

    /// Reads the directives from the comment lines of `sql`. Only lines that start with `-- dbm:` count.
    init(parsing sql: String) {
        guard sql.contains("dbm:") else { return }
        for rawLine in sql.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.trimmingWhitespace()
            guard line.hasPrefix("--") else { continue }
            let comment = line.dropFirst(2).trimmingWhitespace()
            guard comment.hasPrefix("dbm:") else { continue }
            let directive = comment.dropFirst(4)
            if directive.lowercased().hasPrefix("no-transaction") {
                noTransaction = true
            } else if directive.lowercased().hasPrefix("depends-on") {
                let list = directive.dropFirst("depends-on".count).drop(while: { $0 == ":" || $0 == " " })
                dependencies += list.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
            }
        }
    }
}

/// A dbmate file: `-- migrate:up [transaction:false]`, the up SQL, `-- migrate:down [transaction:false]`,
/// the down SQL. Text before `-- migrate:up` is ignored, as dbmate does.
struct DbmateFile: Hashable, Sendable {
    var up: String
    var down: String?
    var noTransaction: Bool

    /// - Throws: `MigrationError.invalidMigration` when there is no `-- migrate:up` line.
    init(parsing text: String, file: String) throws(MigrationError) {
        var up: [Substring] = []
        var down: [Substring] = []
        var section = 0  // 0 before any marker, 1 up, 2 down
        var sawUp = false
        var noTransaction = false
        var sawDown = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingWhitespace()
            if trimmed.hasPrefix("-- migrate:up") {
                section = 1
                sawUp = true
                if trimmed.contains("transaction:false") { noTransaction = true }
                continue
            }
            if trimmed.hasPrefix("-- migrate:down") {
                section = 2
                sawDown = true
                if trimmed.contains("transaction:false") { noTransaction = true }
                continue
            }
            switch section {
            case 1: up.append(line)
            case 2: down.append(line)
            default: continue
            }
        }
        guard sawUp else {
            throw MigrationError(.invalidMigration, "\(file) has no '-- migrate:up' line (dbmate format)")
        }
        self.up = up.joined(separator: "\n")
        self.down = sawDown ? down.joined(separator: "\n") : nil
        self.noTransaction = noTransaction
    }
}

extension Substring {
    func trimmingWhitespace() -> String { String(self).trimmingWhitespace() }
}
