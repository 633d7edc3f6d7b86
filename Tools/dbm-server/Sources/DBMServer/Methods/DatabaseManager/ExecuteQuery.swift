import Drivers
import JSONRPC
import Monitoring

/// `DatabaseManager.execute_query(query, params, connection)`: runs one statement with bound
/// parameters and returns its rows as objects keyed by column name (an empty list for statements
/// without rows). Each run is added to the server's statement record (`ServerState.statements`).
enum DatabaseManagerExecuteQuery: RPCMethod {
    struct Params: Decodable, Sendable {
        let query: String
        let params: JSONValue?
        let target: DatabaseTarget

        enum CodingKeys: String, CodingKey { case query, params }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            query = try c.decode(String.self, forKey: .query)
            params = try c.decodeIfPresent(JSONValue.self, forKey: .params)
            target = try DatabaseTarget(from: decoder)
        }
    }
    typealias Result = QueryRows

    static let name = "DatabaseManager.execute_query"
    static let summary = "Runs one SQL statement with bound parameters and returns its rows as objects."
    static let details = """
        Parameters are always bound, never spliced into the SQL: `params` as an object binds `:name` \
        placeholders, as an array binds `?` or `$1`-style placeholders, whatever the engine. A value \
        `{"$type": "decimal", "value": "1.10"}` binds a typed value (decimal, blob as base64, date, time, \
        timestamp, timestamptz, uuid, json). Decimals come back as strings, blobs as base64. \
        Each run is added to the server's statement record (normalised text with literals as `?`, time, \
        rows, errors; never the bound values), which `PerformanceMonitor.get_slow_queries` and \
        `collect_metrics` read where the engine keeps no statement statistics.
        """
    static let paramDescriptions = [
        "query": "One SQL statement",
        "params": "Object for :name placeholders, array for ? or $n placeholders",
        "connection": "A connection_id (or pass database_url / connection_config)",
    ]

    static func handle(_ params: Params, _ state: ServerState) async throws -> Result {
        let arguments = try ValueCoding.arguments(params.params)
        let pool = try await state.connections.pool(for: params.target)
        let sql = params.query
        let recorder = state.statements
        return try await pool.withConnection { connection in
            // The statement record gets the normalised text, time and row count; never the bound values.
            let started = ContinuousClock.now
            do {
                let rows = try await connection.withCursor(sql, arguments) { try QueryRows(cursor: $0) }
                recorder.record(sql, dialect: connection.dialect, databaseKey: connection.configuration.redactedURL,
                                durationMS: (ContinuousClock.now - started).milliseconds, rows: Int64(rows.rowCount))
                return rows
            } catch {
                recorder.record(sql, dialect: connection.dialect, databaseKey: connection.configuration.redactedURL,
                                durationMS: (ContinuousClock.now - started).milliseconds, rows: nil, failed: true)
                throw error
            }
        }
    }
}
