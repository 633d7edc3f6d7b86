import Backups
import Drivers
import Foundation
import JSONRPC
import Monitoring

/// `manage_databases`: both spec variants.
///
/// - 001: `manage_databases(operation, connection_config, **kwargs)` runs `create`, `drop`,
///   `health_check`, `backup` (the `backup_database` params: `backup_config`, ...) or `restore`
///   (`backup_path`, `target_database`) and returns the spec's result dict.
/// - 000: `manage_databases()` with no operation returns the DatabaseManager interface: the
///   `DatabaseManager.*` methods this server offers.
enum ManageDatabases: RPCMethod {
    enum Operation: String, Codable, Sendable, CaseIterable, JSONSchemaProviding {
        case create, drop
        case healthCheck = "health_check"
        case backup, restore, optimize
        static var jsonSchema: JSONValue { ["type": "string", "enum": .array(allCases.map { .string($0.rawValue) })] }
    }

    struct Params: Decodable, Sendable {
        let operation: Operation?
        let database_name: String?
        let options: CreateDatabaseOptions?
        let target: DatabaseTarget
        /// For `backup`: the `backup_database` params read from the same object.
        let backup: CreateBackupRequest
        /// For `restore`: `backup_path` and `target_database`.
        let restore: RestoreBackupRequest?
        /// For `optimize`: the `optimize_database` params read from the same object.
        let optimize: OptimizeDatabaseMethod.Params
        /// For `health_check`: `metrics_config` (its `alert_thresholds`) as `collect_metrics` reads it.
        let health: CollectMetricsRequest
        let workspace_dir: String?
        enum CodingKeys: String, CodingKey { case operation, database_name, options, name, backup_path, workspace_dir, metrics_config }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            operation = try c.decodeIfPresent(Operation.self, forKey: .operation)
            let databaseName = try c.decodeIfPresent(String.self, forKey: .database_name)
            let name = try c.decodeIfPresent(String.self, forKey: .name)
            database_name = databaseName ?? name
            options = try c.decodeIfPresent(CreateDatabaseOptions.self, forKey: .options)
            target = try DatabaseTarget(from: decoder)
            backup = try CreateBackupRequest(from: decoder)
            restore = c.contains(.backup_path) ? try RestoreBackupRequest(from: decoder) : nil
            optimize = try OptimizeDatabaseMethod.Params(from: decoder)
            health = CollectMetricsRequest(metricsConfig: try c.decodeIfPresent(MetricsConfig.self, forKey: .metrics_config))
            workspace_dir = try c.decodeIfPresent(String.self, forKey: .workspace_dir)
        }
    }

    /// The spec's result dict (001), or the manager interface (000) when no operation was given.
    struct Result: Codable, Sendable {
        var operation: String?
        var success: Bool?
        var database_name: String?
        var execution_time: Double?
        var affected_objects: Int?
        var health_status: String?
        var error_message: String?
        var recommendations: [String]?
        /// Health check details: latency of a trivial query in ms, server version, size.
        var details: HealthDetails?
        /// Health check: the alerts `collect_metrics` raised from `metrics_config.alert_thresholds`.
        var alerts: [MetricsAlert]?
        /// Health check: the metric checks, skipped ones with their reasons.
        var checks: [MetricsCheck]?
        /// 000 variant: the interface's name and its methods.
        var manager: String?
        var methods: [String]?
        /// `backup`: the Backup record.
        var backup: BackupRecord?
        /// `restore`: what was restored.
        var restore: RestoreResult?
        /// `optimize`: the optimize_database result (findings, score, applied changes, measured gain).
        var optimization: OptimizationResult?
    }

    struct HealthDetails: Codable, Sendable {
        var latency_ms: Double
        var server_version: String
        var size_bytes: Int64?
        var table_count: Int
    }

    static let name = "manage_databases"
    static let summary = "Runs a database administration operation (create, drop, health_check, backup, restore, optimize); with no operation, describes the DatabaseManager interface."
    static let paramDescriptions = [
        "operation": "create | drop | health_check | backup | restore | optimize",
        "optimization_type": "For optimize: performance | storage | query | maintenance; with apply_changes, analyze_only, workload as optimize_database",
        "backup_config": "For backup: as backup_database's backup_config",
        "backup_path": "For restore: the backup's directory or id",
        "target_database": "For restore: a URL, or a database name on the connection's server",
        "connection_config": "The server (and, for health_check, the database) to act on; or connection / database_url",
        "database_name": "The database to create or drop",
        "options": "For create: {encoding, collation, template, owner, if_not_exists}",
        "metrics_config": "For health_check: {alert_thresholds: {metric: limit}} as collect_metrics; health_status and alerts come from them",
        "workspace_dir": "For health_check and optimize: the monitoring workspace where the sample is stored",
    ]

    static func handle(_ params: Params, _ state: ServerState, _ context: RequestContext, methods: [String]) async throws -> Result {
        guard let operation = params.operation else {
            return Result(manager: "DatabaseManager", methods: methods)
        }
        let started = ContinuousClock.now
        var result = Result(operation: operation.rawValue)
        func elapsed() -> Double { (ContinuousClock.now - started).seconds }
        switch operation {
        case .backup:
            let record = try await params.backup.run(state, context)
            result.database_name = record.databaseName
            result.backup = record
            result.success = true
            result.affected_objects = 1
        case .optimize:
            let optimization = try await OptimizeDatabaseMethod.handle(params.optimize, state)
            let configuration = try await state.connections.configuration(for: params.target)
            result.database_name = params.database_name ?? configuration.database
            result.optimization = optimization
            result.success = true
            result.affected_objects = optimization.recommendationsApplied
            result.recommendations = optimization.findings.map { "\($0.description) \($0.recommendation)" }
        case .restore:
            guard let restore = params.restore else {
                throw RPCError(code: RPCError.Code.invalidParams, message: "restore needs backup_path and target_database")
            }
            let restored = try await restore.run(state, context)
            result.database_name = restore.restore.targetDatabase
            result.restore = restored
            result.success = restored.success
            result.affected_objects = restored.tablesRestored
        case .create, .drop:
            guard let name = params.database_name else {
                throw RPCError(code: RPCError.Code.invalidParams, message: "\(operation.rawValue) needs database_name")
            }
            let (server, database) = try await DatabaseNaming.resolve(name: name, target: params.target, state: state)
            try DatabaseNaming.refuseWhenReadOnly(state, server, operation.rawValue)
            let driver = Database.driver(for: server.dialect)
            if operation == .create {
                try await driver.createDatabase(database, options: params.options ?? CreateDatabaseOptions(), on: server)
            } else {
                try await driver.dropDatabase(database, ifExists: false, on: server)
            }
            result.database_name = database
            result.success = true
            result.affected_objects = 1
        case .healthCheck:
            let configuration = try await state.connections.configuration(for: params.target)
            result.database_name = configuration.database
            let workspace = try params.workspace_dir.map { MonitoringWorkspace(path: try state.policy.paths.resolve($0, parameter: "workspace_dir")) } ?? state.workspace
            do {
                let check = try await HealthCheck.run(configuration, request: params.health, workspace: workspace, recorder: state.statements)
                result.details = HealthDetails(latency_ms: check.latencyMS, server_version: check.info.serverVersion,
                                               size_bytes: check.info.sizeBytes, table_count: check.info.tableCount)
                result.success = true
                result.affected_objects = 0
                // Health is collect_metrics' evaluation; a trivial query slower than a second is a warning on top.
                var status = check.metrics.healthStatus
                var recommendations = check.metrics.alerts.map(\.message)
                if check.latencyMS > 1000 {
                    if status == .healthy { status = .warning }
                    recommendations.append("A trivial query took \(Int(check.latencyMS)) ms: check server load and network latency.")
                }
                result.health_status = status.rawValue
                result.alerts = check.metrics.alerts
                result.checks = check.metrics.checks
                if configuration.dialect != .sqlite, configuration.tls.mode == nil || configuration.tls.mode == .disable || configuration.tls.mode == .prefer || configuration.tls.mode == .allow,
                   let host = configuration.host, !["127.0.0.1", "localhost", "::1"].contains(host) {
                    recommendations.append("The connection to \(host) does not require TLS: use sslmode=verify-full.")
                }
                if check.info.tableCount == 0 { recommendations.append("The database has no tables.") }
                result.recommendations = recommendations
            } catch let error as DatabaseError {
                result.success = false
                result.health_status = "critical"
                result.error_message = error.description
                result.recommendations = ["The database could not be reached: \(error.code.rawValue)."]
            }
        }
        result.execution_time = elapsed()
        return result
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }

    /// The duration in milliseconds as a Double.
    var milliseconds: Double { seconds * 1000 }
}

/// `manage_databases(operation: "health_check")`: a fresh connection, the latency of a trivial query,
/// the database's details, and one `collect_metrics` sample whose alerts and health status (from the
/// same `alert_thresholds`) are the check's. The sample is stored in the workspace's history.
enum HealthCheck {
    struct Outcome: Sendable {
        var latencyMS: Double
        var info: DatabaseInfo
        var metrics: DatabaseMetrics
    }

    /// Throws `DatabaseError` when the database cannot be reached (the caller reports it as critical).
    static func run(_ configuration: ConnectionConfiguration, request: CollectMetricsRequest, workspace: MonitoringWorkspace,
                    recorder: StatementRecorder) async throws -> Outcome {
        let connection = try await Database.connect(configuration)
        do {
            let probe = ContinuousClock.now
            _ = try await connection.scalar("SELECT 1")
            let latency = (ContinuousClock.now - probe).milliseconds
            let info = try await connection.databaseInfo()
            let history = try await MetricsHistory.open(workspace)
            let metrics: DatabaseMetrics
            do {
                metrics = try await PerformanceMonitor(connection: connection, history: history, recorder: recorder).collectMetrics(request)
                await history.close()
            } catch {
                await history.close()
                throw error
            }
            await connection.close()
            return Outcome(latencyMS: latency, info: info, metrics: metrics)
        } catch {
            await connection.close()
            throw error
        }
    }
}
