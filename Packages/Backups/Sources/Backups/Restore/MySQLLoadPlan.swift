import DatabaseDriver

/// How one MariaDB table's rows are loaded with `LOAD DATA LOCAL INFILE`: the columns of the entry's
/// INSERT prefix, in order, each with the way its values are written in the stream.
///
/// Binary and spatial columns read their hex digits into a user variable and store `UNHEX(@v)`, exactly
/// what the dump's `X'…'` literal means; BIT columns read their integer into a variable and store
/// `CAST(@v AS UNSIGNED)`, as the INSERT literal did; every other column reads its text directly.
struct MySQLLoadPlan: Sendable, Hashable {
    enum ColumnMode: String, Sendable, Hashable, CustomStringConvertible {
        case text, hex, bit
        var description: String { rawValue }
    }

    struct Column: Sendable, Hashable {
        var name: String
        var mode: ColumnMode
    }

    var table: String
    var columns: [Column]

    /// A plan for `entry`'s `INSERT INTO \`t\` (\`a\`, \`b\`) VALUES ` prefix, with the target's column types
    /// (`information_schema.COLUMNS.DATA_TYPE`, lower case, by column name); nil when the prefix has another
    /// shape or names a column the target does not have.
    init?(table: String, insertPrefix: String, columnTypes: [String: String]) {
        guard let names = Self.columnNames(insertPrefix: insertPrefix, table: table), !names.isEmpty else { return nil }
        var columns = [Column]()
        for name in names {
            guard let type = columnTypes[name] else { return nil }
            let mode: ColumnMode = MySQLDumper.binaryTypes.contains(type) ? .hex : type == "bit" ? .bit : .text
            columns.append(Column(name: name, mode: mode))
        }
        self.table = table
        self.columns = columns
    }

    /// The `LOAD DATA LOCAL INFILE` statement; the file name is a label, no file is read.
    var statement: String {
        let q = Dialect.mysql
        var targets = [String]()
        var assignments = [String]()
        for (index, column) in columns.enumerated() {
            switch column.mode {
            case .text:
                targets.append(q.quote(column.name))
            case .hex:
                targets.append("@c\(index)")
                assignments.append("\(q.quote(column.name)) = UNHEX(@c\(index))")
            case .bit:
                targets.append("@c\(index)")
                assignments.append("\(q.quote(column.name)) = CAST(@c\(index) AS UNSIGNED)")
            }
        }
        var sql = "LOAD DATA LOCAL INFILE 'dbm-restore-stream' INTO TABLE \(q.quote(table)) CHARACTER SET utf8mb4 "
            + "FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (\(targets.joined(separator: ", ")))"
        if !assignments.isEmpty { sql += " SET " + assignments.joined(separator: ", ") }
        return sql
    }

    /// The backquoted column names of `INSERT INTO \`table\` (\`a\`, \`b\`) VALUES `, or nil.
    static func columnNames(insertPrefix: String, table: String) -> [String]? {
        let head = "INSERT INTO \(Dialect.mysql.quote(table)) ("
        guard insertPrefix.hasPrefix(head), insertPrefix.hasSuffix(") VALUES ") else { return nil }
        var rest = Substring(insertPrefix.dropFirst(head.count).dropLast(") VALUES ".count))
        var names = [String]()
        while !rest.isEmpty {
            guard rest.first == "`" else { return nil }
            rest = rest.dropFirst()
            var name = ""
            var closed = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if character == "`" {
                    if rest.first == "`" { name.append("`"); rest = rest.dropFirst() } else { closed = true; break }
                } else {
                    name.append(character)
                }
            }
            guard closed else { return nil }
            names.append(name)
            if rest.isEmpty { break }
            guard rest.hasPrefix(", ") else { return nil }
            rest = rest.dropFirst(2)
        }
        return names
    }
}
