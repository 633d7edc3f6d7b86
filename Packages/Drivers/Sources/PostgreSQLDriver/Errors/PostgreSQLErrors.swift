import CLibPQ

/// Builds `DatabaseError`s from libpq's results and connection state.
///
/// Messages are the server's primary message (no `DETAIL`, which repeats row values); data-exception
/// messages have their quoted input replaced by `***` because it may be a bound value.
enum PostgreSQLErrors {
    static let engine = "postgresql"

    /// The error a failed result (`PGRES_FATAL_ERROR`) describes. A result without SQLSTATE on a
    /// connection that went bad is a lost connection.
    static func error(from result: OpaquePointer?, connection: OpaquePointer?, sql: String?) -> DatabaseError {
        let sqlState = result.flatMap { field($0, "C") }
        let primary = result.flatMap { field($0, "M") }
        let message = primary ?? connectionMessage(connection) ?? "the statement failed without a message"
        guard let sqlState else {
            if connection == nil || PQstatus(connection) == CONNECTION_BAD {
                return DatabaseError(.connectionLost, message, sql: sql, engine: engine)
            }
            return DatabaseError(.other, message, sql: sql, engine: engine)
        }
        var code = SQLState.code(for: sqlState)
        if code != .connectionLost, let connection, PQstatus(connection) == CONNECTION_BAD {
            code = .connectionLost
        }
        let text = SQLState.quotesInput(sqlState) ? redactQuoted(message) : message
        return DatabaseError(code, text, engineCode: sqlState, sql: sql, engine: engine)
    }

    /// The error for a libpq call that failed before the server answered (send failed, connection dropped).
    static func error(connection: OpaquePointer?, sql: String?) -> DatabaseError {
        let message = connectionMessage(connection) ?? "the connection failed"
        let code: DatabaseError.Code = (connection == nil || PQstatus(connection) == CONNECTION_BAD) ? .connectionLost : .other
        return DatabaseError(code, message, sql: sql, engine: engine)
    }

    /// Classifies a failed connection attempt from libpq's message: the server sends no SQLSTATE that
    /// libpq would expose before the connection exists. The SQLSTATE the server used is filled in where
    /// the message identifies it.
    static func connectFailure(_ rawMessage: String) -> DatabaseError {
        let message = tidy(rawMessage)
        let lower = message.lowercased()
        let (code, sqlState): (DatabaseError.Code, String?) =
            if lower.contains("password authentication failed") {
                (.authenticationFailed, "28P01")
            } else if lower.contains("no password supplied") || lower.contains("authentication failed")
                || lower.contains("pg_hba.conf") || (lower.contains("role \"") && lower.contains("does not exist")) {
                (.authenticationFailed, "28000")
            } else if lower.contains("database \"") && lower.contains("does not exist") {
                (.unknownDatabase, "3D000")
            } else if lower.contains("the database system is") {
                (.connectionLost, "57P03")
            } else if lower.contains("invalid connection option") || lower.contains("invalid sslmode")
                || lower.contains("invalid integer value") || lower.contains("invalid port") {
                (.invalidConfiguration, nil)
            } else if lower.contains("too many connections") || lower.contains("remaining connection slots") {
                (.busy, "53300")
            } else {
                // Refused, timed out, unknown host, TLS could not be negotiated: the server was not reached.
                (.connectionRefused, nil)
            }
        return DatabaseError(code, message, engineCode: sqlState, engine: engine)
    }

    /// libpq's current error message for the connection, trimmed, or `nil` when it is empty.
    static func connectionMessage(_ connection: OpaquePointer?) -> String? {
        guard let connection, let raw = PQerrorMessage(connection) else { return nil }
        let message = tidy(String(cString: raw))
        return message.isEmpty ? nil : message
    }

    private static func field(_ result: OpaquePointer, _ code: Character) -> String? {
        guard let raw = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
        return String(cString: raw)
    }

    /// Drops libpq's `FATAL:  ` prefixes and trailing newlines, and joins the lines of a multi-host message.
    private static func tidy(_ message: String) -> String {
        message.split(separator: "\n")
            .map { $0.trimmingPrefix("FATAL:  ").trimmingPrefix("ERROR:  ") }
            .map { String($0).trimmingSpaces }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
    }

    /// Replaces every double-quoted part of a message with `"***"`.
    static func redactQuoted(_ message: String) -> String {
        var out = ""
        var inQuote = false
        for ch in message {
            if ch == "\"" {
                out += inQuote ? "***\"" : "\""
                inQuote.toggle()
            } else if !inQuote {
                out.append(ch)
            }
        }
        if inQuote { out += "***" }
        return out
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return Substring(scalars[first...last])
    }
}
