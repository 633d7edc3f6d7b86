import JSONRPC

/// Every method this server offers, registered against one shared `ServerState`.
///
/// A module's methods are registered here only when they are implemented: what is not registered is
/// absent from `rpc.discover`.
public enum MethodCatalog {
    public static func registry(state: ServerState) -> MethodRegistry {
        var registry = MethodRegistry()
        func add<M: RPCMethod>(_ method: M.Type, _ handler: @escaping @Sendable (M.Params, ServerState) async throws -> M.Result) {
            registry.register(method) { params, _ in
                guard let audit = state.audit else { return try await handler(params, state) }
                return try await audit.around(M.name, params, state) { try await handler(params, state) }
            }
        }
        /// For handlers that report `$/progress` or poll cancellation through the request's context.
        func add<M: RPCMethod>(_ method: M.Type, _ handler: @escaping @Sendable (M.Params, ServerState, RequestContext) async throws -> M.Result) {
            registry.register(method) { params, context in
                guard let audit = state.audit else { return try await handler(params, state, context) }
                return try await audit.around(M.name, params, state) { try await handler(params, state, context) }
            }
        }
        add(DatabaseManagerConnect.self, DatabaseManagerConnect.handle)
        add(DatabaseManagerDisconnect.self, DatabaseManagerDisconnect.handle)
        add(DatabaseManagerExecuteQuery.self, DatabaseManagerExecuteQuery.handle)
        add(DatabaseManagerGetDatabaseInfo.self, DatabaseManagerGetDatabaseInfo.handle)
        add(DatabaseManagerListDatabases.self, DatabaseManagerListDatabases.handle)
        add(DatabaseManagerCreateDatabase.self, DatabaseManagerCreateDatabase.handle)
        add(DatabaseManagerDropDatabase.self, DatabaseManagerDropDatabase.handle)

        add(DatabaseConnectionConnect.self, DatabaseConnectionConnect.handle)
        add(DatabaseConnectionTestConnection.self, DatabaseConnectionTestConnection.handle)
        add(DatabaseConnectionGetConnectionInfo.self, DatabaseConnectionGetConnectionInfo.handle)
        add(DatabaseConnectionClose.self, DatabaseConnectionClose.handle)

        add(GenerateSchemaMethod.self, GenerateSchemaMethod.handle)
        add(GenerateSchemaFromModelsMethod.self, GenerateSchemaFromModelsMethod.handle)
        add(SchemaGeneratorGenerateFromModels.self, SchemaGeneratorGenerateFromModels.handle)
        add(SchemaGeneratorGenerateMigrations.self, SchemaGeneratorGenerateMigrations.handle)
        add(SchemaGeneratorValidateSchema.self, SchemaGeneratorValidateSchema.handle)
        add(SchemaGeneratorExportSchema.self, SchemaGeneratorExportSchema.handle)
        add(SchemaGeneratorImportSchema.self, SchemaGeneratorImportSchema.handle)
        add(SchemaGeneratorInspectDatabase.self, SchemaGeneratorInspectDatabase.handle)
        add(SchemaDefinitionToSQL.self, SchemaDefinitionToSQL.handle)
        add(SchemaDefinitionValidate.self, SchemaDefinitionValidate.handle)
        add(SchemaDefinitionDiff.self, SchemaDefinitionDiff.handle)
        add(SchemaDefinitionApplyToDatabase.self, SchemaDefinitionApplyToDatabase.handle)

        registry.register(MonitorDatabaseMethod.self) { params, context in try await MonitorDatabaseMethod.handle(params, state, context) }
        add(OptimizeDatabaseMethod.self, OptimizeDatabaseMethod.handle)
        add(PerformanceMonitorCollectMetrics.self, PerformanceMonitorCollectMetrics.handle)
        add(PerformanceMonitorAnalyzePerformance.self, PerformanceMonitorAnalyzePerformance.handle)
        add(PerformanceMonitorGetSlowQueries.self, PerformanceMonitorGetSlowQueries.handle)
        add(PerformanceMonitorSuggestOptimizations.self, PerformanceMonitorSuggestOptimizations.handle)
        add(PerformanceMonitorMonitorQueryPerformance.self, PerformanceMonitorMonitorQueryPerformance.handle)
        add(PerformanceMonitorGenerateReport.self, PerformanceMonitorGenerateReport.handle)
        add(PerformanceMonitorRollbackOptimization.self, PerformanceMonitorRollbackOptimization.handle)
        add(DatabaseMetricsToDict.self, DatabaseMetricsToDict.handle)
        add(DatabaseMetricsGetSummary.self, DatabaseMetricsGetSummary.handle)
        add(DatabaseMetricsDetectAnomalies.self, DatabaseMetricsDetectAnomalies.handle)
        add(RunMigrationsMethod.self, RunMigrationsMethod.handle)
        add(MigrationManagerGetCurrentRevision.self, MigrationManagerGetCurrentRevision.handle)
        add(MigrationManagerGetPendingMigrations.self, MigrationManagerGetPendingMigrations.handle)
        add(MigrationManagerUpgrade.self, MigrationManagerUpgrade.handle)
        add(MigrationManagerDowngrade.self, MigrationManagerDowngrade.handle)
        add(MigrationManagerCreateMigration.self, MigrationManagerCreateMigration.handle)
        add(MigrationManagerValidateMigrations.self, MigrationManagerValidateMigrations.handle)
        add(MigrationManagerGetMigrationHistory.self, MigrationManagerGetMigrationHistory.handle)
        add(MigrationManagerStatus.self, MigrationManagerStatus.handle)
        add(MigrationManagerRepair.self, MigrationManagerRepair.handle)
        add(MigrationManagerBaseline.self, MigrationManagerBaseline.handle)
        add(MigrationApply.self, MigrationApply.handle)
        add(MigrationRollback.self, MigrationRollback.handle)
        add(MigrationValidate.self, MigrationValidate.handle)
        add(MigrationToDict.self, MigrationToDict.handle)
        add(BackupDatabaseMethod.self, BackupDatabaseMethod.handle)
        add(BackupManagerCreateBackup.self, BackupManagerCreateBackup.handle)
        add(BackupManagerRestoreBackup.self, BackupManagerRestoreBackup.handle)
        add(BackupManagerListBackups.self, BackupManagerListBackups.handle)
        add(BackupManagerValidateBackup.self, BackupManagerValidateBackup.handle)
        add(BackupManagerDeleteBackup.self, BackupManagerDeleteBackup.handle)
        add(BackupManagerScheduleBackup.self, BackupManagerScheduleBackup.handle)
        add(BackupManagerRunDue.self, BackupManagerRunDue.handle)
        add(BackupManagerPrune.self, BackupManagerPrune.handle)
        add(BackupManagerListSchedules.self, BackupManagerListSchedules.handle)
        add(BackupManagerDeleteSchedule.self, BackupManagerDeleteSchedule.handle)
        add(BackupRestore.self, BackupRestore.handle)
        add(BackupValidate.self, BackupValidate.handle)
        add(BackupGetInfo.self, BackupGetInfo.handle)
        add(BackupDelete.self, BackupDelete.handle)

        let managerMethods = registry.descriptors.map(\.name).filter { $0.hasPrefix("DatabaseManager.") }.sorted()
        add(ManageDatabases.self) { params, state, context in try await ManageDatabases.handle(params, state, context, methods: managerMethods) }
        return registry
    }
}
