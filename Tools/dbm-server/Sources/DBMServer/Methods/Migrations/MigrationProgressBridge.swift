import JSONRPC
import Migrations

/// Turns a run's per-migration reports into `$/progress` (begin, a report as each migration starts and
/// finishes with the run's percentage, end). Does nothing when the client sent no `work_done_token`.
struct MigrationProgressBridge: Sendable {
    let reporter: ProgressReporter

    init(_ context: RequestContext) { reporter = context.progress }

    /// Runs `body` between `begin` and `end`, handing it the handler the manager calls per migration.
    func run<T: Sendable>(title: String, _ body: (MigrationProgressHandler?) async throws -> T) async throws -> T {
        guard reporter.isEnabled else { return try await body(nil) }
        reporter.begin(title: title, percentage: 0, cancellable: true)
        let reporter = self.reporter
        do {
            let result = try await body { progress in
                let verb = progress.direction == .down || progress.direction == .rollback ? "rolling back" : "applying"
                switch progress.phase {
                case .started:
                    reporter.report(message: "\(verb) \(progress.revision) \(progress.description) (\(progress.index)/\(progress.total))",
                                    percentage: (progress.index - 1) * 100 / max(progress.total, 1))
                case .finished:
                    reporter.report(message: "\(progress.revision) done in \(progress.executionTimeMs ?? 0) ms (\(progress.index)/\(progress.total))",
                                    percentage: progress.index * 100 / max(progress.total, 1))
                }
            }
            reporter.end(message: "done")
            return result
        } catch {
            reporter.end(message: "failed")
            throw error
        }
    }
}
