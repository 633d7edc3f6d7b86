import Drivers

/// The one place the Migrations package reaches for the engines: everything else speaks `DatabaseConnection`.
enum DatabaseConnector {
    static func connect(_ configuration: ConnectionConfiguration) async throws -> any DatabaseConnection {
        try await Database.connect(configuration)
    }
}
