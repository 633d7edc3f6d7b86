import Backups
import DriverTestSupport
import Drivers
import Foundation
import XCTest

/// schedule_backup persisted in the destination, run_due claiming due schedules once, and retention that
/// never removes a backup a kept one needs.
final class ScheduleAndRetentionTests: XCTestCase {
    private func makeSource() async throws -> ConnectionConfiguration {
        let configuration = ConnectionConfiguration(dialect: .sqlite, database: TestDatabases.temporaryDirectory().appendingPathComponent("shop.db").path)
        let db = try await Database.connect(configuration)
        try await db.executeScript("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO item VALUES (1, 'a'), (2, 'b');")
        await db.close()
        return configuration
    }

    private func insert(_ configuration: ConnectionConfiguration, _ id: Int) async throws {
        let db = try await Database.connect(configuration)
        _ = try await db.execute("INSERT INTO item VALUES (\(id), 'more')")
        await db.close()
    }

    func testScheduledBackupsRunWhenDueOnceAndArePersisted() async throws {
        let source = try await makeSource()
        let directory = TestDatabases.temporaryDirectory().path
        let manager = BackupManager(defaults: BackupConfig(destination: directory))
        let schedule = try manager.scheduleBackup(ScheduleBackupParams(
            databaseName: "shop", schedule: "@daily", databaseURL: source.url,
            backupConfig: BackupConfig(type: .incremental, compression: .zstd)))
        XCTAssertTrue(schedule.scheduleID.hasPrefix("sched-"))
        XCTAssertNotNil(schedule.nextRunAt)
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/schedules.json")[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)

        // A new manager on the same directory sees the schedule: it lives in the destination.
        let reopened = try BackupManager(configPath: directory)
        XCTAssertEqual(try reopened.listSchedules().map(\.scheduleID), [schedule.scheduleID])

        let notYet = try await reopened.runDue(RunDueParams(now: Date().formatted(.iso8601)))
        XCTAssertEqual(notYet.ran, [], "a daily schedule ran before its first midnight")

        let later = Date().addingTimeInterval(2 * 86_400).formatted(.iso8601)
        let first = try await reopened.runDue(RunDueParams(now: later))
        XCTAssertEqual(first.ran.map(\.status), ["completed"], "\(first)")
        let again = try await reopened.runDue(RunDueParams(now: later))
        XCTAssertEqual(again.ran, [], "a schedule ran twice for one due time")

        try await insert(source, 3)
        let evenLater = Date().addingTimeInterval(3 * 86_400 + 60).formatted(.iso8601)
        let second = try await reopened.runDue(RunDueParams(now: evenLater))
        XCTAssertEqual(second.ran.map(\.status), ["completed"])

        let backups = reopened.listBackups()
        // The first scheduled incremental had no base, so it was a full backup; the next builds on it.
        XCTAssertEqual(backups.map(\.backupType), [.full, .incremental])
        XCTAssertEqual(backups.last?.parentBackup, backups.first?.id)
        let listed = try reopened.listSchedules()
        XCTAssertEqual(listed.first?.lastBackupID, backups.last?.id)
        XCTAssertFalse(listed.first?.database.contains("password") ?? true)

        _ = try reopened.deleteSchedule(ScheduleIDParams(scheduleID: schedule.scheduleID))
        XCTAssertEqual(try reopened.listSchedules().count, 0)
        XCTAssertThrowsError(try reopened.deleteSchedule(ScheduleIDParams(scheduleID: schedule.scheduleID)))
    }

    func testInvalidScheduleIsRefused() async throws {
        let source = try await makeSource()
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path))
        XCTAssertThrowsError(try manager.scheduleBackup(ScheduleBackupParams(databaseName: "shop", schedule: "every day", databaseURL: source.url))) {
            XCTAssertEqual(($0 as? BackupError)?.code, .invalidSchedule)
        }
    }

    func testPruneKeepsTheFullBackupAnIncrementalNeeds() async throws {
        let source = try await makeSource()
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path))
        let full = try await manager.createBackup(of: source, params: CreateBackupParams(databaseName: "shop"))
        try await insert(source, 3)
        let incremental = try await manager.createBackup(of: source, params: CreateBackupParams(databaseName: "shop", backupType: "incremental"))

        // keep_last 1 keeps the incremental, and so the full it builds on.
        let kept = try manager.prune(PruneParams(keepLast: 1))
        XCTAssertEqual(kept.deleted, [])
        XCTAssertEqual(kept.kept.map(\.backupID), [full.id])
        XCTAssertEqual(manager.listBackups().count, 2)

        // A newer full backup makes the old chain removable.
        try await insert(source, 4)
        let newest = try await manager.createBackup(of: source, params: CreateBackupParams(databaseName: "shop"))
        let dryRun = try manager.prune(PruneParams(keepLast: 1, dryRun: true))
        XCTAssertEqual(Set(dryRun.deleted.map(\.backupID)), [full.id, incremental.id])
        XCTAssertEqual(manager.listBackups().count, 3, "a dry run deleted backups")
        let pruned = try manager.prune(PruneParams(keepLast: 1))
        XCTAssertEqual(Set(pruned.deleted.map(\.backupID)), [full.id, incremental.id])
        XCTAssertEqual(manager.listBackups().map(\.id), [newest.id])
    }

    func testRetentionDaysRemovesExpiredBackupsButNotTheBaseOfAKeptOne() async throws {
        let source = try await makeSource()
        let manager = BackupManager(defaults: BackupConfig(destination: TestDatabases.temporaryDirectory().path))
        // The full backup expires at once (retention 0 days); the incremental keeps its own 30 days.
        let full = try await manager.createBackup(of: source, params: CreateBackupParams(databaseName: "shop", retentionDays: 0))
        try await insert(source, 3)
        _ = try await manager.createBackup(of: source, params: CreateBackupParams(databaseName: "shop", backupType: "incremental", retentionDays: 30))
        let result = try manager.prune()
        XCTAssertEqual(result.deleted, [])
        XCTAssertEqual(result.kept.first?.backupID, full.id)
        XCTAssertTrue(result.kept.first?.reason.hasPrefix("needed by") ?? false)

        let other = try await manager.createBackup(of: source, params: CreateBackupParams(databaseName: "other", retentionDays: 0))
        let expired = try manager.prune(PruneParams(databaseName: "other"))
        XCTAssertEqual(expired.deleted.map(\.backupID), [other.id])
    }
}
