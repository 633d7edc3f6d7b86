import Foundation

/// PostgreSQL post-data statements sorted into phases that can run on several connections, as
/// `pg_restore -j` does: index builds (and the checks of CHECK/EXCLUDE constraints) first, any order;
/// then the primary keys and unique constraints attached to the indexes just built; then foreign keys; then
/// everything else (sequence owners and values, materialized-view refreshes, triggers) in dump order.
///
/// A plain `ALTER TABLE ONLY t ADD CONSTRAINT c PRIMARY KEY (cols)` (or `UNIQUE (cols)`) becomes
/// `CREATE UNIQUE INDEX c ON t USING btree (cols)` plus `ALTER TABLE ONLY t ADD CONSTRAINT c PRIMARY KEY
/// USING INDEX c`: the same constraint and index, but the build takes a SHARE lock, so it runs next to the
/// table's other index builds instead of waiting for them. Any other form is kept as written.
struct PostDataPlan: Sendable, Hashable {
    var builds: [String] = []
    var attachments: [String] = []
    var foreignKeys: [String] = []
    var rest: [String] = []

    init(_ statements: [String]) {
        for statement in statements {
            if let split = Self.splitKey(statement) {
                builds.append(split.build)
                attachments.append(split.attach)
            } else if statement.hasPrefix("CREATE INDEX ") || statement.hasPrefix("CREATE UNIQUE INDEX ") {
                builds.append(statement)
            } else if statement.hasPrefix("ALTER TABLE "), statement.contains(" ADD CONSTRAINT ") {
                if statement.range(of: #" ADD CONSTRAINT ("[^"]*"|\S+) FOREIGN KEY \("#, options: .regularExpression) != nil {
                    foreignKeys.append(statement)
                } else {
                    builds.append(statement)
                }
            } else {
                rest.append(statement)
            }
        }
    }

    private static let keyPattern = try! NSRegularExpression(
        pattern: #"^ALTER TABLE ONLY (\S+) ADD CONSTRAINT ("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*) (PRIMARY KEY|UNIQUE) \(([^()"]+)\)$"#)

    /// The index build and the attachment for a plain primary key or unique constraint, or nil.
    static func splitKey(_ statement: String) -> (build: String, attach: String)? {
        let range = NSRange(statement.startIndex..., in: statement)
        guard let match = keyPattern.firstMatch(in: statement, range: range), match.numberOfRanges == 5,
              let table = Range(match.range(at: 1), in: statement), let name = Range(match.range(at: 2), in: statement),
              let kind = Range(match.range(at: 3), in: statement), let columns = Range(match.range(at: 4), in: statement)
        else { return nil }
        let t = statement[table], n = statement[name]
        return ("CREATE UNIQUE INDEX \(n) ON \(t) USING btree (\(statement[columns]))",
                "ALTER TABLE ONLY \(t) ADD CONSTRAINT \(n) \(statement[kind]) USING INDEX \(n)")
    }
}
