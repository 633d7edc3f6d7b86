// swift-tools-version:6.0
import PackageDescription

// The root package builds the two tools and the cross-package integration tests.
// Each module under Packages/ is a package of its own and builds and tests on its own.
let package = Package(
    name: "dbm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dbm-server", targets: ["dbm-server"]),
        .executable(name: "dbm-client", targets: ["dbm-client"]),
    ],
    dependencies: [
        .package(path: "Packages/Drivers"),
        .package(path: "Packages/JSONRPC"),
        .package(path: "Packages/Schema"),
        .package(path: "Packages/Monitoring"),
        .package(path: "Packages/Migrations"),
        .package(path: "Packages/Backups"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The method handlers: each spec function or class method as one typed JSON-RPC method.
        .target(
            name: "DBMServer",
            dependencies: [
                .product(name: "Drivers", package: "Drivers"),
                .product(name: "Schema", package: "Schema"),
                .product(name: "Monitoring", package: "Monitoring"),
                .product(name: "Migrations", package: "Migrations"),
                .product(name: "Backups", package: "Backups"),
                .product(name: "JSONRPC", package: "JSONRPC"),
                .product(name: "JSONRPCServer", package: "JSONRPC"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/dbm-server/Sources/DBMServer"
        ),
        .executableTarget(
            name: "dbm-server",
            dependencies: [
                "DBMServer",
                .product(name: "Backups", package: "Backups"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/dbm-server/Sources/dbm-server"
        ),
        .executableTarget(
            name: "dbm-client",
            dependencies: [
                .product(name: "JSONRPC", package: "JSONRPC"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/dbm-client/Sources/dbm-client"
        ),
        // `make bench`: protocol latency, pipelined throughput and execute_query over stdio.
        .executableTarget(name: "ServerBench", path: "Tests/Benchmarks/ServerBench"),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "DBMServer",
                .product(name: "Drivers", package: "Drivers"),
                .product(name: "DriverTestSupport", package: "Drivers"),
                .product(name: "JSONRPC", package: "JSONRPC"),
            ],
            path: "Tests/IntegrationTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
