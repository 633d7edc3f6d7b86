// swift-tools-version:6.0
import PackageDescription

// The bottom of dbm: one connection abstraction over SQLite, PostgreSQL and MySQL/MariaDB,
// each on its engine's own C client library.
let package = Package(
    name: "Drivers",
    products: [
        .library(name: "Drivers", targets: ["Drivers"]),
        .library(name: "DatabaseDriver", targets: ["DatabaseDriver"]),
        .library(name: "DriverTestSupport", targets: ["DriverTestSupport"]),
        // libsqlite3 itself, for packages above that keep a private SQLite file (the Backups chunk index).
        .library(name: "CSQLite", targets: ["CSQLite"]),
        .executable(name: "DriversBench", targets: ["DriversBench"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"])]),

        // Engine-independent vocabulary: values, rows, errors, configuration, placeholders, the connection protocol.
        .target(name: "DatabaseDriver"),
        .target(name: "SQLiteDriver", dependencies: ["DatabaseDriver", "CSQLite"], exclude: ["TYPE_MAPPING.md"]),
        .target(name: "PostgreSQLDriver", dependencies: ["DatabaseDriver", "CLibPQ"]),
        .target(name: "MySQLDriver", dependencies: ["DatabaseDriver", "CMariaDB"], exclude: ["TYPE_MAPPING.md"]),
        // The public face: opens a connection for any URL, pools connections, administers databases.
        .target(name: "Drivers", dependencies: ["DatabaseDriver", "SQLiteDriver", "PostgreSQLDriver", "MySQLDriver"]),
        // Test databases (from DBM_TEST_POSTGRES_URL / DBM_TEST_MYSQL_URL), scratch databases, fixtures, temporary directories.
        .target(name: "DriverTestSupport", dependencies: ["DatabaseDriver"]),

        // `make bench`: streams a query through the driver and reports time and peak memory.
        .executableTarget(name: "DriversBench", dependencies: ["Drivers"]),

        .testTarget(name: "DatabaseDriverTests", dependencies: ["DatabaseDriver"]),
        .testTarget(name: "DriversTests", dependencies: ["Drivers", "DriverTestSupport"]),
        .testTarget(name: "SQLiteDriverTests", dependencies: ["SQLiteDriver", "DriverTestSupport"]),
        .testTarget(name: "PostgreSQLDriverTests", dependencies: ["PostgreSQLDriver", "DriverTestSupport"]),
        .testTarget(name: "MySQLDriverTests", dependencies: ["MySQLDriver", "DriverTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
