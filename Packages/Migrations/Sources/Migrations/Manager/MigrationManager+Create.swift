import Foundation

extension MigrationManager {
    /// `create_migration(description)`: writes the next migration into the directory, in the directory's format
    /// (the toolkit's own when the directory is empty or does not exist yet: it is created), and returns it as
    /// read back from disk.
    ///
    /// Without SQL the files hold only a comment with the description, ready to be filled in. For a target schema,
    /// `dbm-server` fills `upgradeSQL`/`downgradeSQL` from the Schema package's diff (this package does not depend
    /// on Schema).
    /// - Parameters:
    ///   - revision: the version to use; by default the next one (see `MigrationFileWriter.nextRevision`).
    ///   - dependencies: revisions it depends on, written as `-- dbm:depends-on:`.
    /// - Throws: `MigrationError` when the directory is unreadable or a file of that name exists;
    ///   `.invalidRequest` for a description with a NUL byte, or a revision or dependency that is not a plain
    ///   version (letters, digits, `.`, `_`, `-`; it becomes part of a file name and a comment line).
    public func createMigration(description: String, upgradeSQL: String? = nil, downgradeSQL: String? = nil,
                                dependencies: [String] = [], revision: String? = nil) throws(MigrationError) -> Migration {
        try MigrationFileWriter.check(description: description, revision: revision, dependencies: dependencies)
        if !FileManager.default.fileExists(atPath: migrationDirectory) {
            do { try FileManager.default.createDirectory(atPath: migrationDirectory, withIntermediateDirectories: true) } catch {
                throw MigrationError(.invalidDirectory, "cannot create the migration directory \(migrationDirectory): \(error.localizedDescription)")
            }
        }
        let directory = try loadDirectory()
        let writer = MigrationFileWriter(directory: directory)
        let revision = revision ?? writer.nextRevision()
        if directory.migrations.contains(where: { $0.revision == revision && $0.kind != .repeatable }) {
            throw MigrationError(.invalidRequest, "revision \(revision) already exists in \(directory.path)", revision: revision)
        }
        let files = try writer.write(revision: revision, description: description, upgradeSQL: upgradeSQL,
                                     downgradeSQL: downgradeSQL, dependencies: dependencies)
        let reloaded = try MigrationDirectory.load(directory.path, format: directory.format)
        guard let created = reloaded.migrations.first(where: { $0.files.first == files.first }) else {
            throw MigrationError(.invalidMigration, "wrote \(files.joined(separator: ", ")) but cannot read it back as a \(directory.format.rawValue) migration")
        }
        return created
    }
}
