// swift-tools-version:6.0
import PackageDescription

// Logical backups of a whole database on SQLite, PostgreSQL and MariaDB: a native archive of
// content-addressed, compressed and optionally encrypted chunks, plus a plain SQL format.
let package = Package(
    name: "Backups",
    platforms: [.macOS(.v15)],  // Synchronization (Mutex); Linux has no minimum.
    products: [
        .library(name: "Backups", targets: ["Backups"]),
        .executable(name: "BackupsBench", targets: ["BackupsBench"]),
    ],
    dependencies: [
        .package(path: "../Drivers"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBzip2", providers: [.apt(["libbz2-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // The backup engine: dump, archive, restore, validate, retention, schedules.
        .target(
            name: "Backups",
            dependencies: [
                .product(name: "Drivers", package: "Drivers"),
                .product(name: "CSQLite", package: "Drivers"),
                .product(name: "Crypto", package: "swift-crypto"),
                "CZlib", "CBzip2", "CZstd",
            ]
        ),

        // `make bench`: dbm next to pg_dump/pg_restore, mariadb-dump, sqlite3 .backup (not a test).
        .executableTarget(
            name: "BackupsBench",
            dependencies: ["Backups", .product(name: "Drivers", package: "Drivers")]
        ),

        .testTarget(
            name: "BackupsTests",
            dependencies: [
                "Backups",
                .product(name: "DriverTestSupport", package: "Drivers"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
