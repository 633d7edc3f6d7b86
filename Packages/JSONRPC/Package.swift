// swift-tools-version:6.0
import PackageDescription

// The JSON-RPC 2.0 core of dbm. It knows nothing about databases: the protocol model (values, messages,
// errors, typed methods, OpenRPC generation) and a server that speaks it over a pair of file descriptors.
let package = Package(
    name: "JSONRPC",
    platforms: [.macOS(.v15)],  // Synchronization (Mutex, Atomic); Linux has no minimum.
    products: [
        .library(name: "JSONRPC", targets: ["JSONRPC"]),
        .library(name: "JSONRPCServer", targets: ["JSONRPCServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The protocol model: JSON values, messages, errors, the method registry, OpenRPC. No I/O.
        .target(name: "JSONRPC"),
        // Framing, the connection loop and the LSP-style lifecycle over file descriptors.
        .target(
            name: "JSONRPCServer",
            dependencies: ["JSONRPC", .product(name: "Logging", package: "swift-log")]
        ),

        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"]),
        .testTarget(
            name: "JSONRPCServerTests",
            dependencies: ["JSONRPCServer", "JSONRPC", .product(name: "Logging", package: "swift-log")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
