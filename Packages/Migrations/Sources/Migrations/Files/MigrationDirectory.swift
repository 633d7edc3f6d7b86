import Foundation

/// The migrations of one directory, in the order they apply, with the format they were detected in.
///
/// Loading reads every migration file once and hashes it once: cost grows linearly with the number of
/// files. Files that do not belong to the detected format are listed in `ignoredFiles` (and reported by
/// `validate_migrations`), not silently dropped.
public struct MigrationDirectory: Sendable {
    public var path: String
    public var format: MigrationFormat
    /// Versioned and baseline migrations in apply order (dependencies resolved), then repeatable ones.
    public var migrations: [Migration]
    /// `.sql` files the format does not recognise (a golang-migrate directory's `README.sql`, say).
    public var ignoredFiles: [String]

    /// Reads a directory.
    /// - Parameter format: the format to read it in; `nil` detects it from the file names.
    /// - Throws: `MigrationError.invalidDirectory` when it is missing or unreadable;
    ///   `.invalidMigration` for a duplicate version or a file the format cannot read;
    ///   `.missingDependency` / `.dependencyCycle` from the dependency order.
    public static func load(_ path: String, format: MigrationFormat? = nil) throws(MigrationError) -> MigrationDirectory {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        guard let entries = FileSystem.list(url.path) else {
            throw MigrationError(.invalidDirectory, "migration directory \(path) does not exist or cannot be read")
        }
        let folders = entries.filter(\.isDirectory).map(\.name).filter { name in
            if case .contents = FileSystem.read(url.path + "/" + name + "/up.sql") { return true }
            return false
        }
        let files = entries.filter { !$0.isDirectory && $0.name.hasSuffix(".sql") }.map(\.name)
        let detected = format ?? detectFormat(sqlFiles: files, migrationFolders: folders)
        var reader = DirectoryReader(url: url, format: detected)
        try reader.read(files: files, folders: folders)
        return MigrationDirectory(path: url.path, format: detected, migrations: try reader.ordered(), ignoredFiles: reader.ignored)
    }

    /// The format of a directory, from its names alone:
    /// folders with `up.sql` → `.dbm`; Flyway prefixes (`V1__`, `R__`, `B1__`) → `.flyway`; `.up.sql`/`.down.sql`
    /// pairs with unique numeric versions → `.golangMigrate`, with repeated numbers, number-only names or
    /// `_up.sql` → `.fileOrder`; plain `<digits>_<name>.sql` → `.dbmate`; nothing → `.dbm`.
    public static func detectFormat(sqlFiles: [String], migrationFolders: [String] = []) -> MigrationFormat {
        if !migrationFolders.isEmpty { return .dbm }
        guard !sqlFiles.isEmpty else { return .dbm }
        let flyway = sqlFiles.filter { MigrationFileName.flyway($0) != nil }.count
        let directional = sqlFiles.filter { MigrationFileName.fileOrder($0) != nil }
        let dbmate = sqlFiles.filter { MigrationFileName.dbmate($0) != nil }.count
        if flyway > 0 && flyway >= directional.count && flyway >= dbmate { return .flyway }
        if !directional.isEmpty && directional.count >= dbmate {
            var seen: Set<String> = []
            for file in directional {
                guard let name = MigrationFileName.golangMigrate(file) else { return .fileOrder }
                let key = name.revision.drop(while: { $0 == "0" }) + (name.part == .up ? "/up" : "/down")
                if !seen.insert(String(key)).inserted { return .fileOrder }
            }
            return .golangMigrate
        }
        return dbmate > 0 ? .dbmate : .dbm
    }
}

/// Reads the files of one directory in one format.
private struct DirectoryReader {
    let url: URL
    let format: MigrationFormat
    var byRevision: [String: Migration] = [:]
    var order: [String] = []
    var ignored: [String] = []
    /// Flyway undo files, attached to their versions once all files are read.
    var undo: [String: (sql: String, file: String)] = [:]
    /// Down files of pair formats whose up file may come later in the listing.
    var downs: [String: (sql: String, file: String)] = [:]

    init(url: URL, format: MigrationFormat) {
        self.url = url
        self.format = format
    }

    mutating func read(files: [String], folders: [String]) throws(MigrationError) {
        if format == .dbm {
            for folder in folders { try readFolder(folder) }
            ignored = files
            return
        }
        ignored = folders
        for file in files {
            switch format {
            case .golangMigrate: try readPairFile(file, name: MigrationFileName.golangMigrate(file))
            case .fileOrder: try readPairFile(file, name: MigrationFileName.fileOrder(file))
            case .flyway: try readFlywayFile(file)
            case .dbmate: try readDbmateFile(file)
            case .dbm: break
            }
        }
        for (revision, down) in downs {
            guard byRevision[revision] != nil else { ignored.append(down.file); continue }
            byRevision[revision]?.downgradeSQL = down.sql
            byRevision[revision]?.files.append(down.file)
        }
        for (revision, u) in undo {
            guard byRevision[revision] != nil else { ignored.append(u.file); continue }
            byRevision[revision]?.downgradeSQL = u.sql
            byRevision[revision]?.files.append(u.file)
        }
        ignored.sort()
    }

    /// Apply order: file-name order for `.fileOrder`, version order otherwise; baselines before versioned
    /// migrations of the same version; repeatables last, by description; then dependencies.
    func ordered() throws(MigrationError) -> [Migration] {
        var all = order.compactMap { byRevision[$0] }
        if format != .fileOrder {
            all.sort { a, b in
                let aRepeatable = a.kind == .repeatable, bRepeatable = b.kind == .repeatable
                if aRepeatable != bRepeatable { return bRepeatable }
                if aRepeatable { return a.description < b.description }
                let c = VersionOrder.compare(a.revision, b.revision)
                if c != 0 { return c < 0 }
                return a.kind == .baseline && b.kind != .baseline
            }
        }
        return try DependencyResolver.order(all)
    }

    // MARK: per format

    func read(_ relative: String) throws(MigrationError) -> (text: String, data: Data, modified: Date?) {
        guard let contents = readIfPresent(relative) else {
            throw MigrationError(.invalidDirectory, "cannot read \(url.path)/\(relative): no such file")
        }
        return try contents.get()
    }

    /// The file, `nil` when it does not exist.
    func readIfPresent(_ relative: String) -> Result<(text: String, data: Data, modified: Date?), MigrationError>? {
        switch FileSystem.read(url.path + "/" + relative) {
        case .contents(let data, let modified): .success((String(decoding: data, as: UTF8.self), data, modified))
        case .missing: nil
        case .failed(let why): .failure(MigrationError(.invalidDirectory, "cannot read \(url.path)/\(relative): \(why)"))
        }
    }

    mutating func add(_ migration: Migration, key: String? = nil) throws(MigrationError) {
        let key = key ?? migration.revision
        if let existing = byRevision[key] {
            throw MigrationError(.invalidMigration,
                "version \(migration.revision) appears twice: \(existing.files.first ?? "?") and \(migration.files.first ?? "?")",
                revision: migration.revision)
        }
        byRevision[key] = migration
        order.append(key)
    }

    mutating func readFolder(_ folder: String) throws(MigrationError) {
        guard let name = MigrationFileName.dbmFolder(folder) else { ignored.append(folder); return }
        let up = try read(folder + "/up.sql")
        let down = try readIfPresent(folder + "/down.sql")?.get().text
        let directives = MigrationDirectives(parsing: up.text)
        var files = [folder + "/up.sql"]
        if down != nil { files.append(folder + "/down.sql") }
        try add(Migration(revision: name.revision, name: folder, description: name.description, upgradeSQL: up.text,
                          downgradeSQL: down, checksum: Checksums.sha256(up.data), dependencies: directives.dependencies,
                          createdAt: up.modified, transactional: !directives.noTransaction, files: files))
    }

    mutating func readPairFile(_ file: String, name: MigrationFileName?) throws(MigrationError) {
        guard let name else { ignored.append(file); return }
        let contents = try read(file)
        if name.part == .down {
            if downs[name.revision] != nil {
                throw MigrationError(.invalidMigration, "two down files for version \(name.revision): \(downs[name.revision]!.file) and \(file)")
            }
            downs[name.revision] = (contents.text, file)
            return
        }
        let directives = MigrationDirectives(parsing: contents.text)
        try add(Migration(revision: name.revision, name: name.stem, description: name.description, upgradeSQL: contents.text,
                          checksum: Checksums.sha256(contents.data), dependencies: directives.dependencies,
                          createdAt: contents.modified, transactional: !directives.noTransaction, files: [file]))
    }

    mutating func readFlywayFile(_ file: String) throws(MigrationError) {
        guard let name = MigrationFileName.flyway(file) else { ignored.append(file); return }
        let contents = try read(file)
        if name.part == .down {
            undo[VersionOrder.flywayKey(name.revision)] = (contents.text, file)
            return
        }
        let directives = MigrationDirectives(parsing: contents.text)
        let versionKey = name.kind == .repeatable ? name.revision : VersionOrder.flywayKey(name.revision)
        let key = name.kind == .baseline ? "B" + versionKey : versionKey
        try add(Migration(revision: name.revision, name: name.stem, description: name.description, upgradeSQL: contents.text,
                          checksum: Checksums.sha256(contents.data), dependencies: directives.dependencies,
                          createdAt: contents.modified, kind: name.kind, transactional: !directives.noTransaction,
                          files: [file]), key: key)
    }

    mutating func readDbmateFile(_ file: String) throws(MigrationError) {
        guard let name = MigrationFileName.dbmate(file) else { ignored.append(file); return }
        let contents = try read(file)
        let parsed = try DbmateFile(parsing: contents.text, file: file)
        let directives = MigrationDirectives(parsing: contents.text)
        try add(Migration(revision: name.revision, name: name.stem, description: name.description, upgradeSQL: parsed.up,
                          downgradeSQL: parsed.down, checksum: Checksums.sha256(contents.data),
                          dependencies: directives.dependencies, createdAt: contents.modified,
                          transactional: !(parsed.noTransaction || directives.noTransaction), files: [file]))
    }
}
