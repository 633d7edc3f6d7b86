// swift-tools-version:6.0
import PackageDescription

// Schema as data: a SchemaDefinition model, DDL for SQLite, PostgreSQL and MySQL/MariaDB, validation,
// inspection of live databases, diffs and migrations, templates and schemas generated from models.
let package = Package(
    name: "Schema",
    products: [
        .library(name: "Schema", targets: ["Schema"]),
        .executable(name: "SchemaBench", targets: ["SchemaBench"]),
    ],
    dependencies: [
        .package(path: "../Drivers"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .target(name: "Schema", dependencies: [
            .product(name: "Drivers", package: "Drivers"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // `make bench`: inspects a 1,000-table PostgreSQL database and prints the time and catalog query count.
        .executableTarget(name: "SchemaBench", dependencies: [
            "Schema",
            .product(name: "Drivers", package: "Drivers"),
        ]),
        // Unit tests: the model, DDL, validation, diff and model import; no database needed.
        .testTarget(name: "SchemaTests", dependencies: ["Schema"]),
        // Integration tests against real SQLite files and the PostgreSQL and MariaDB test servers.
        .testTarget(name: "SchemaIntegrationTests", dependencies: [
            "Schema",
            .product(name: "Drivers", package: "Drivers"),
            .product(name: "DriverTestSupport", package: "Drivers"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
