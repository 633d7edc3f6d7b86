// swift-tools-version:6.0
import PackageDescription

// Versioned, checksummed, locked, reversible migrations over the Drivers package, reading the
// toolkit's own format and the formats of golang-migrate, Flyway, dbmate and maragudk/migrate.
let package = Package(
    name: "Migrations",
    products: [
        .library(name: "Migrations", targets: ["Migrations"]),
        .executable(name: "MigrationsBench", targets: ["MigrationsBench"]),
    ],
    dependencies: [
        .package(path: "../Drivers"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .target(name: "Migrations", dependencies: [
            .product(name: "Drivers", package: "Drivers"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Applies 1,000 small generated migrations to SQLite and PostgreSQL and prints the times.
        .executableTarget(name: "MigrationsBench", dependencies: [
            "Migrations",
            .product(name: "Drivers", package: "Drivers"),
        ]),
        // Engine-independent: file formats, splitting, ordering, checksums. No database needed.
        .testTarget(name: "MigrationsTests", dependencies: [
            "Migrations",
            .product(name: "DriverTestSupport", package: "Drivers"),
        ]),
        // Against real SQLite files and the PostgreSQL / MariaDB test servers.
        .testTarget(name: "MigrationsIntegrationTests", dependencies: [
            "Migrations",
            .product(name: "DriverTestSupport", package: "Drivers"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
