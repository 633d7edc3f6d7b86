// swift-tools-version:6.0
import PackageDescription

// Monitoring: metrics with history, slow queries and plans, reports, and measured optimizations,
// on top of the Drivers package.
let package = Package(
    name: "Monitoring",
    platforms: [.macOS(.v15)],  // Synchronization (Mutex); Linux has no minimum.
    products: [
        .library(name: "Monitoring", targets: ["Monitoring"]),
        .executable(name: "MonitoringBench", targets: ["MonitoringBench"]),
    ],
    dependencies: [
        .package(path: "../Drivers"),
    ],
    targets: [
        .target(name: "Monitoring", dependencies: [.product(name: "Drivers", package: "Drivers")]),
        // `make bench`: collect_metrics on 1,000 tables, the 1-second-interval overhead, the missing-index speed-up.
        .executableTarget(name: "MonitoringBench", dependencies: ["Monitoring", .product(name: "Drivers", package: "Drivers")]),
        .testTarget(name: "MonitoringTests", dependencies: [
            "Monitoring",
            .product(name: "Drivers", package: "Drivers"),
            .product(name: "DriverTestSupport", package: "Drivers"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
