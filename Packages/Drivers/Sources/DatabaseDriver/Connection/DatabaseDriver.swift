/// An engine: opens connections and administers databases (list, create, drop) on a server.
public protocol DatabaseDriver: Sendable {
    var dialect: Dialect { get }

    /// Opens a connection. Throws `.connectionRefused`, `.authenticationFailed`, `.unknownDatabase` as the
    /// engine reports them.
    func connect(_ configuration: ConnectionConfiguration) async throws -> any DatabaseConnection

    /// The databases on the server the configuration points at (SQLite: the `.db`, `.sqlite`, `.sqlite3`
    /// files in the database file's directory).
    func listDatabases(_ configuration: ConnectionConfiguration) async throws -> [String]

    /// Creates a database on the configuration's server (SQLite: a new file). Throws `.duplicateObject`
    /// when it exists.
    func createDatabase(_ name: String, options: CreateDatabaseOptions, on configuration: ConnectionConfiguration) async throws

    /// Drops a database (SQLite: deletes the file and its -wal/-shm/-journal). Throws `.unknownDatabase`
    /// when it does not exist and `ifExists` is false.
    func dropDatabase(_ name: String, ifExists: Bool, on configuration: ConnectionConfiguration) async throws
}

/// Options for `create_database` (the spec's `config` dict).
public struct CreateDatabaseOptions: Sendable, Hashable, Codable {
    /// Character set: PostgreSQL `ENCODING`, MySQL `CHARACTER SET`.
    public var encoding: String?
    /// PostgreSQL `LC_COLLATE`/`LC_CTYPE` via `LOCALE`, MySQL `COLLATE`.
    public var collation: String?
    /// PostgreSQL `TEMPLATE`.
    public var template: String?
    /// PostgreSQL `OWNER`.
    public var owner: String?
    /// Succeed without doing anything when the database exists.
    public var ifNotExists: Bool

    public init(encoding: String? = nil, collation: String? = nil, template: String? = nil, owner: String? = nil, ifNotExists: Bool = false) {
        self.encoding = encoding
        self.collation = collation
        self.template = template
        self.owner = owner
        self.ifNotExists = ifNotExists
    }

    enum CodingKeys: String, CodingKey {
        case encoding, collation, template, owner
        case ifNotExists = "if_not_exists"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        encoding = try c.decodeIfPresent(String.self, forKey: .encoding)
        collation = try c.decodeIfPresent(String.self, forKey: .collation)
        template = try c.decodeIfPresent(String.self, forKey: .template)
        owner = try c.decodeIfPresent(String.self, forKey: .owner)
        ifNotExists = try c.decodeIfPresent(Bool.self, forKey: .ifNotExists) ?? false
    }
}
