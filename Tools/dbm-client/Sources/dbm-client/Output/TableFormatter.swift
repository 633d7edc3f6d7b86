import JSONRPC

/// Renders results as aligned text tables for people.
enum TableFormatter {
    /// A list of objects as a table with one column per key (in first-seen order).
    static func table(_ rows: [JSONValue]) -> String {
        var columns: [String] = []
        for row in rows {
            if case .object(let object) = row {
                for key in object.keys where !columns.contains(key) { columns.append(key) }
            }
        }
        if columns.isEmpty {
            return rows.map(cell).joined(separator: "\n")
        }
        let cells = rows.map { row in columns.map { cell(row[$0] ?? .null) } }
        return render(header: columns, cells: cells) + "\n(\(rows.count) row\(rows.count == 1 ? "" : "s"))"
    }

    /// An object as two columns, key and value.
    static func keyValue(_ object: JSONObject) -> String {
        let width = object.keys.map(\.count).max() ?? 0
        return object.map { key, value in
            key.padding(toLength: width) + "  " + cell(value)
        }.joined(separator: "\n")
    }

    static func render(header: [String], cells: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ values: [String]) -> String {
            values.enumerated().map { $0 == values.count - 1 ? $1 : $1.padding(toLength: widths[$0]) }.joined(separator: " | ")
        }
        var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")]
        out += cells.map(line)
        return out.joined(separator: "\n")
    }

    /// One value as table text: NULL for null, strings bare, the rest as compact JSON, cut at 80 characters.
    static func cell(_ value: JSONValue) -> String {
        let text: String
        switch value {
        case .null: text = "NULL"
        case .string(let s): text = s
        default: text = String(decoding: value.serialized(), as: UTF8.self)
        }
        let oneLine = text.replacingOccurrences(of: "\n", with: "\\n")
        return oneLine.count > 80 ? String(oneLine.prefix(79)) + "…" : oneLine
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
