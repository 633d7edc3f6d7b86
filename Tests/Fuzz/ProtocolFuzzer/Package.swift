// swift-tools-version:6.0
import PackageDescription

// A libFuzzer target for the JSON-RPC decoder: JSON parsing, message validation and params decoding.
// Build: swift build --package-path Tests/Fuzz/ProtocolFuzzer -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// Run:   .build/debug/ProtocolFuzzer ../corpus -max_total_time=60
let package = Package(
    name: "ProtocolFuzzer",
    dependencies: [.package(path: "../../../Packages/JSONRPC")],
    targets: [
        .executableTarget(
            name: "ProtocolFuzzer",
            dependencies: [.product(name: "JSONRPC", package: "JSONRPC")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
